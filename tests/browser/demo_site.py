"""The demo organisation served once per test module, and the main pages of each of its roles.

Used by the accessibility and phone checks: they read pages and change nothing, so one
demo load serves every test of a module.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import _empty_tables

DEMO_PASSWORD = "demo-pilotmgr"


@dataclass
class DemoSite:
    base: str
    #: role → (e-mail, [(page name, path)])
    roles: dict[str, tuple[str, list[tuple[str, str]]]] = field(default_factory=dict)
    #: More pages a head reads: one pilot per stage, a rollout target, a memo's check page.
    more: list[tuple[str, str]] = field(default_factory=list)


def _more_pages() -> list[tuple[str, str]]:
    from pilotmgr.extensions import db
    from pilotmgr.memos.models import Memo
    from pilotmgr.pilots.models import Pilot
    from pilotmgr.rollout.models import RolloutTarget

    pages = {}
    for stage, pilot_id in db.session.execute(select(Pilot.stage, Pilot.id).order_by(Pilot.id)):
        pages.setdefault(f"Thí điểm ({stage})", f"/pilots/{pilot_id}")
    draft = db.session.scalar(select(Pilot.id).where(Pilot.stage == "draft").limit(1))
    target = db.session.scalar(select(RolloutTarget.id).order_by(RolloutTarget.id).limit(1))
    memo = db.session.scalar(select(Memo.sha256).limit(1))
    pages.update(
        {
            "Sửa thí điểm": f"/pilots/{draft}/edit",
            "Đơn vị nhân rộng": f"/rollout-targets/{target}",
            "Kiểm tra tờ trình": f"/memos/verify/{memo}",
            "Bài học": "/lessons",
            "Nhập dữ liệu": "/import",
            "Trang không có": "/khong-co-trang-nay",
        }
    )
    return list(pages.items())


def _main_pages() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each role's main pages, with ids looked up in the demo data."""
    from pilotmgr.auth.models import User
    from pilotmgr.extensions import db
    from pilotmgr.pilots.models import Pilot, Task

    def user(email):
        return db.session.scalar(select(User).where(User.email == email))

    def first(query):
        return db.session.scalar(query.order_by(Pilot.id).limit(1))

    staff = user("staff@demo.gov.vn")
    lead = user("lead@demo.gov.vn")
    staff_pilot = first(
        select(Pilot.id).join(Task, Task.pilot_id == Pilot.id).where(Task.assignee_id == staff.id)
    )
    lead_pilot = first(select(Pilot.id).where(Pilot.owner_id == lead.id))
    evaluating = db.session.scalar(
        select(Pilot).where(Pilot.stage.in_(("evaluating", "selected"))).order_by(Pilot.id)
    )
    rolling_out = first(select(Pilot.id).where(Pilot.stage == "rolling_out"))
    common = [("Thông báo", "/notifications"), ("Cài đặt", "/settings")]
    return {
        "staff": (
            staff.email,
            [
                ("Việc của tôi", "/my-work"),
                ("Danh sách thí điểm", "/pilots/"),
                ("Trang thí điểm", f"/pilots/{staff_pilot}"),
                *common,
            ],
        ),
        "lead": (
            lead.email,
            [
                ("Việc của tôi", "/my-work"),
                ("Trang thí điểm", f"/pilots/{lead_pilot}"),
                ("Đăng ký thí điểm", "/pilots/new"),
            ],
        ),
        "head": (
            "head@demo.gov.vn",
            [
                ("Việc của tôi", "/my-work"),
                ("Bảng điều hành", "/dashboard"),
                ("Trang thí điểm", f"/pilots/{evaluating.id}"),
                ("So sánh", f"/challenges/{evaluating.challenge_id}/comparison"),
                ("Nhân rộng", "/rollout"),
                ("Bảng nhân rộng", f"/pilots/{rolling_out}/rollout"),
                ("Tìm kiếm", "/search?q=s%E1%BB%91"),
                *common,
            ],
        ),
        "head.bacninh": (
            "head.bacninh@demo.gov.vn",
            [("Việc của tôi", "/my-work"), ("Nhân rộng", "/rollout")],
        ),
        "viewer": (
            "viewer@demo.gov.vn",
            [("Danh sách thí điểm", "/pilots/"), ("Bảng điều hành", "/dashboard")],
        ),
        "admin": (
            "admin@demo.gov.vn",
            [("Người dùng", "/admin/users"), ("Đơn vị", "/admin/units"), *common],
        ),
    }


@pytest.fixture(scope="module")
def demo_site(_app):
    """The demo data, served from a thread; emptied when the module's tests are done."""
    from devtools.demo.data import load_demo
    from pilotmgr.extensions import db

    with _app.app_context():
        load_demo()
        db.session.commit()
        roles, more = _main_pages(), _more_pages()
        db.session.remove()
        server = make_server("127.0.0.1", 0, _app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield DemoSite(f"http://127.0.0.1:{server.server_port}", roles=roles, more=more)
        finally:
            server.shutdown()
            thread.join(timeout=5)
            _empty_tables()


def sign_in(page, base: str, email: str) -> None:
    """Log in through the form and wait for wherever the role lands."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
