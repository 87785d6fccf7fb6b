"""`flask scheduler run`: the one long-running process that calls the periodic functions.

The jobs only call plain functions that are also CLI commands; every job is declared in JOBS
with a fixed id. Never started inside web workers or tests.
"""

from __future__ import annotations

import logging
import time

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from pilotmgr.core.clock import local_zone
from pilotmgr.extensions import db
from pilotmgr.notices.rules import DIGEST_AT

log = logging.getLogger("pilotmgr.scheduler")
#: pg_try_advisory_lock key: "pilotmgr" in ASCII, so one scheduler works at a time.
ADVISORY_LOCK = 0x70696C6F746D6772


def scan_reminders() -> None:
    from pilotmgr.reminders.service import scan

    log.info("reminders: %s", scan())


def send_outbox() -> None:
    from pilotmgr.notices.outbox import send_outbox as send

    result = send()
    if result["sent"] or result["failed"]:
        log.info("outbox: %s", result)


def send_digests() -> None:
    from pilotmgr.reminders.digests import send_digests as digests

    log.info("digests queued: %s", digests())


def send_leader_digests() -> None:
    from pilotmgr.dashboard.digest import queue_leader_digests

    log.info("leader digests queued: %s", queue_leader_digests())


def purge_imports() -> None:
    from pilotmgr.exports.uploads import purge

    removed = purge()
    if removed:
        log.info("import uploads removed: %s", removed)


#: (id, function, trigger, trigger arguments)
JOBS = [
    ("reminders-scan", scan_reminders, "cron", {"minute": "*/5"}),
    ("outbox-send", send_outbox, "interval", {"minutes": 1}),
    ("digests", send_digests, "cron", {"hour": DIGEST_AT.hour, "minute": DIGEST_AT.minute}),
    (
        "leader-digest",
        send_leader_digests,
        "cron",
        {"day_of_week": "mon", "hour": DIGEST_AT.hour, "minute": DIGEST_AT.minute},
    ),
    ("imports-purge", purge_imports, "cron", {"minute": 17}),
]


def _in_app(app: Flask, func):
    def run():
        with app.app_context():
            try:
                func()
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("job %s failed", func.__name__)
            finally:
                db.session.remove()

    run.__name__ = func.__name__
    return run


def build_scheduler(app: Flask) -> BlockingScheduler:
    with app.app_context():
        zone = local_zone()
    scheduler = BlockingScheduler(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    for job_id, func, trigger, args in JOBS:
        scheduler.add_job(
            _in_app(app, func), trigger, id=job_id, name=job_id, replace_existing=True, **args
        )
    return scheduler


def hold_lock(app: Flask, wait_seconds: float = 30.0):
    """On PostgreSQL, wait until this process holds the scheduler's advisory lock."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return None
        conn = db.engine.connect()
        while not conn.execute(
            text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK}
        ).scalar():
            conn.rollback()
            log.warning("another scheduler holds the lock; standing by")
            time.sleep(wait_seconds)
        conn.commit()
        return conn


def run(app: Flask) -> None:
    lock = hold_lock(app)
    scheduler = build_scheduler(app)
    log.info("scheduler started with jobs: %s", ", ".join(j[0] for j in JOBS))
    try:
        scheduler.start()
    finally:
        if lock is not None:
            lock.close()
