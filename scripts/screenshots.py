"""Take the README screenshots: demo data in a temporary database, served and shot in Chromium.

Run from the repository root: `.venv/bin/python scripts/screenshots.py` (needs Debian's chromium).
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402
from pilotmgr import create_app  # noqa: E402
from pilotmgr.extensions import db  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "demo-pilotmgr"


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/my-work")


def main() -> None:
    from playwright.sync_api import sync_playwright

    from devtools.demo.data import load_demo
    from pilotmgr.pilots.models import Pilot

    with tempfile.TemporaryDirectory() as tmp:

        class ShotConfig(Config):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/demo.sqlite"

        app = create_app(ShotConfig)
        with app.app_context():
            db.create_all()
            load_demo()
            db.session.commit()
            pilot_id = db.session.scalar(
                db.select(Pilot.id).where(Pilot.stage == "piloting").order_by(Pilot.id)
            )
            challenge_id = db.session.scalar(
                db.select(Pilot.challenge_id).where(Pilot.stage == "evaluating").order_by(Pilot.id)
            )
            rolling_id = db.session.scalar(
                db.select(Pilot.id).where(Pilot.stage == "rolling_out").order_by(Pilot.id)
            )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            # Staff: *Việc của tôi* with its actions, on a desktop and on a 390 px phone.
            for name, width, height in (
                ("staff-my-work", 1280, 900),
                ("staff-my-work-phone", 390, 844),
            ):
                phone = browser.new_page(
                    viewport={"width": width, "height": height}, locale="vi-VN"
                )
                _log_in(phone, base, "staff@demo.gov.vn")
                phone.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                phone.close()
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
            _log_in(page, base, "head@demo.gov.vn")
            page.screenshot(path=str(OUT / "my-work.png"), full_page=True)
            page.goto(f"{base}/pilots/{pilot_id}")
            page.screenshot(path=str(OUT / "pilot.png"), full_page=True)
            page.goto(f"{base}/pilots")
            page.screenshot(path=str(OUT / "pilots.png"), full_page=True)
            page.goto(f"{base}/challenges/{challenge_id}/comparison")
            page.screenshot(path=str(OUT / "comparison.png"), full_page=True)
            page.goto(f"{base}/notifications")
            page.screenshot(path=str(OUT / "notifications.png"), full_page=True)
            page.goto(f"{base}/pilots/{rolling_id}/rollout")
            page.screenshot(path=str(OUT / "rollout.png"), full_page=True)
            page.goto(f"{base}/dashboard")
            page.screenshot(path=str(OUT / "dashboard.png"), full_page=True)
            browser.close()
        server.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
