"""A head compares three pilots of one challenge, selects the best and confirms what it does."""

import re

from sqlalchemy import select, update

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Pilot
from pilotmgr.results.models import Evaluation, Measurement
from tests.browser.conftest import log_in, log_out
from tests.factories import PASSWORD


def test_a_head_compares_three_pilots_and_selects_one(live_server, browser_page, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    head = make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    lead = make.user("lead", department)
    challenge = make.challenge("Thanh toán không dùng tiền mặt tại bệnh viện")
    names = ["Bệnh viện Đa khoa tỉnh", "Bệnh viện Sản Nhi", "Trung tâm Y tế Gia Bình"]
    pilots = []
    for name, score, value in zip(names, (4, 5, 3), (70, 85, 50), strict=True):
        pilot = make.pilot(
            "evaluating",
            owner=lead,
            unit_=department,
            title=f"QR viện phí — {name}",
            challenge_id=challenge.id,
        )
        kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
        db.session.execute(
            update(Measurement).where(Measurement.kpi_id == kpi.id).values(value=value)
        )
        db.session.execute(
            update(Evaluation)
            .where(Evaluation.pilot_id == pilot.id)
            .values(
                feasibility=score,
                effectiveness=score,
                needs_fit=score,
                cost=score,
                scalability=score,
            )
        )
        pilots.append(pilot)
    db.session.commit()
    page = browser_page

    log_in(page, live_server, head.email, PASSWORD)
    page.goto(f"{live_server}/pilots/{pilots[0].id}")
    page.click("text=So sánh với các thí điểm khác cùng vấn đề")
    page.wait_for_url(re.compile(r".*/challenges/\d+/comparison$"))
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 3
    assert "Sản Nhi" in rows.nth(0).inner_text()  # the best composite score ranks first

    form = page.locator("#selection-form")
    form.locator(f"#sel-{pilots[1].id}").check()
    form.get_by_label(f"Công thức thành công của “QR viện phí — {names[1]}”").fill(
        "QR tại quầy + hóa đơn điện tử tức thì"
    )
    form.get_by_label("Căn cứ, lý do").fill("Hiệu quả và mức hài lòng cao nhất.")
    form.get_by_role("button", name="Quyết định…").click()
    page.wait_for_load_state()

    # Lessons are needed when the others close: the form says so and keeps what was typed.
    form = page.locator("#selection-form")
    assert form.get_by_text("Cần ghi bài học kinh nghiệm khi đóng thí điểm.").first.is_visible()
    assert form.locator(f"#sel-{pilots[1].id}").is_checked()
    form.get_by_label("Bài học kinh nghiệm").fill("Cần tập huấn thu ngân trước khi mở rộng.")
    form.get_by_role("button", name="Quyết định…").click()
    page.wait_for_load_state()

    # Before anything moves, the head reads exactly what the decision will do.
    consequences = page.locator("#consequences li").all_inner_texts()
    assert consequences[0].startswith(f"“QR viện phí — {names[1]}” được lựa chọn")
    assert "QR tại quầy + hóa đơn điện tử tức thì" in consequences[0]
    closing = [c for c in consequences if "đóng lại vì không được lựa chọn" in c]
    assert len(closing) == 2 and names[0] in " ".join(closing) and names[2] in " ".join(closing)
    db.session.expire_all()
    assert {p.stage for p in db.session.scalars(select(Pilot))} == {"evaluating"}
    page.click("#confirm-button")
    page.wait_for_url(re.compile(r".*/challenges/\d+/comparison$"))

    assert page.get_by_text("Đã quyết định lựa chọn").is_visible()
    assert page.locator("#selection-form").count() == 0  # nothing is left to decide
    db.session.expire_all()
    stages = {p.title: (p.stage, p.outcome) for p in db.session.scalars(select(Pilot))}
    assert stages[f"QR viện phí — {names[1]}"] == ("selected", None)
    assert stages[f"QR viện phí — {names[0]}"] == ("closed", "not_selected")
    assert stages[f"QR viện phí — {names[2]}"] == ("closed", "not_selected")

    # The owner reads what became of each of their pilots.
    log_out(page)
    log_in(page, live_server, lead.email, PASSWORD)
    page.get_by_role("link", name=re.compile("Thông báo")).first.click()
    assert page.get_by_text(
        f"Được lựa chọn là mô hình thành công: QR viện phí — {names[1]}"
    ).is_visible()
    assert page.get_by_text(f"Không được lựa chọn: QR viện phí — {names[0]}").is_visible()
