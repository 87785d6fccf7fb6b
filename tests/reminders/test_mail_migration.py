"""Migration 0014 cleans stored one-line fields and puts mail stuck in "sending" back in the queue."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from config import TestConfig
from pilotmgr import create_app
from pilotmgr.extensions import db

AT = "2026-12-01 01:00:00"
OUTBOX = (
    "INSERT INTO outbox (to_addr, subject, text_body, html_body, message_id, status, attempts,"
    " last_error, next_attempt_at, created_at, claimed_at) VALUES (:to, :subject, 'x', 'x',"
    " :mid, :status, 0, '', '2026-12-01 01:00:00', '2026-12-01 01:00:00', :claimed)"
)


def _mail(conn, mid, status="pending", subject="Nhắc việc", claimed=None):
    conn.execute(
        text(OUTBOX),
        {"to": "a@b.vn", "subject": subject, "mid": mid, "status": status, "claimed": claimed},
    )


def test_upgrade_cleans_one_line_fields_and_requeues_stuck_mail(tmp_path):
    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'm.sqlite'}"

    app = create_app(MigrationConfig)
    with app.app_context():
        upgrade(revision="0013")
        with db.engine.begin() as conn:
            unit = (
                "INSERT INTO units (code, name, path, is_active, version, created_at)"
                " VALUES (:code, :name, :code, 1, 1, :at)"
            )
            conn.execute(text(unit), {"code": "HN\r\n1", "name": "Thành phố\r\nHà Nội\t", "at": AT})
            conn.execute(text(unit), {"code": "DN 1", "name": "Đà Nẵng", "at": AT})
            conn.execute(text(unit), {"code": "DN\n1", "name": "Đà\x00Nẵng", "at": AT})
            _mail(conn, "<reminder-1@localhost>", "sending", "Hạn\r\nhôm nay", "2026-12-01 01:00")
            _mail(conn, "<leader-digest-3-2026-W49@localhost>")
        upgrade(revision="0014")
        with db.engine.connect() as conn:
            units = dict(conn.execute(text("SELECT code, name FROM units")).all())
            mails = conn.execute(
                text("SELECT message_id, status, subject, category, claimed_at FROM outbox")
            ).all()
        db.engine.dispose()
    # "DN\n1" would become "DN 1", which another unit has: its code stays, its name is cleaned.
    assert units == {"HN 1": "Thành phố Hà Nội", "DN 1": "Đà Nẵng", "DN\n1": "Đà Nẵng"}
    by_id = {m.message_id: m for m in mails}
    stuck = by_id["<reminder-1@localhost>"]
    assert (stuck.status, stuck.subject, stuck.claimed_at) == ("pending", "Hạn hôm nay", None)
    assert by_id["<leader-digest-3-2026-W49@localhost>"].category == "leader_digest"
    assert stuck.category == "notices"
