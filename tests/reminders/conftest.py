"""Reminder tests: a small organisation, moments in local time, and a real SMTP server."""

from __future__ import annotations

import socket
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Task

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> datetime:
    """'2027-03-10 08:30' in Hanoi time."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


@pytest.fixture
def org(app, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    other = make.unit("DNG", "Thành phố Đà Nẵng")
    o = SimpleNamespace(province=province, department=department)
    o.head_province = make.user("head", province, email="head@bn.gov.vn", name="Phạm Đức Long")
    o.head_department = make.user("head", department, email="head.yt@bn.gov.vn", name="Đỗ Văn Khải")
    o.head_other = make.user("head", other, email="head@dn.gov.vn")
    o.lead = make.user("lead", department, email="lead@bn.gov.vn", name="Cao Thị Hạnh")
    o.staff = make.user("staff", department, email="staff@bn.gov.vn", name="Ngô Văn Tùng")
    o.pilot = make.pilot("piloting", owner=o.lead, unit_=department, end_date=date(2028, 6, 30))
    # The factory's own task would remind too; these tests make the tasks they talk about.
    db.session.execute(update(Task).where(Task.pilot_id == o.pilot.id).values(status="done"))
    db.session.commit()
    return o


def add_task(make, org, due: date, assignee=None, title="Lắp đặt mã QR tại 12 quầy thu") -> Task:
    task = make.task(org.pilot, assignee=assignee or org.staff, due_date=due, title=title)
    db.session.commit()
    return task


class Inbox:
    """Keeps what it accepts; `refuse[address]` is the reply ("550 …", "450 …") to RCPT TO."""

    def __init__(self):
        self.messages = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; `smtp.start()`/`stop()` to simulate an outage."""
    inbox = Inbox()
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    state = SimpleNamespace(inbox=inbox, port=port, controller=None)

    def start():
        state.controller = Controller(inbox, hostname="127.0.0.1", port=port)
        state.controller.start()

    def stop():
        if state.controller is not None:
            state.controller.stop()
            state.controller = None

    state.start, state.stop = start, stop
    start()
    yield state
    stop()
