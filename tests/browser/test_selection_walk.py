"""A head compares three pilots of one challenge in the browser and selects the best."""

import re

from sqlalchemy import select, update

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Pilot
from pilotmgr.results.models import Evaluation, Measurement
from tests.browser.conftest import log_in
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
    form.locator(f"input[name=formula_{pilots[1].id}]").fill(
        "QR tại quầy + hóa đơn điện tử tức thì"
    )
    form.locator("#rationale").fill("Hiệu quả và mức hài lòng cao nhất.")
    form.locator("#lessons").fill("Cần tập huấn thu ngân trước khi mở rộng.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    assert page.get_by_text("Đã quyết định lựa chọn").is_visible()
    db.session.expire_all()
    stages = {p.title: (p.stage, p.outcome) for p in db.session.scalars(select(Pilot))}
    assert stages[f"QR viện phí — {names[1]}"] == ("selected", None)
    assert stages[f"QR viện phí — {names[0]}"] == ("closed", "not_selected")
    assert stages[f"QR viện phí — {names[2]}"] == ("closed", "not_selected")
