"""One-line fields keep no control characters; multi-line fields keep only their line breaks.

The same cleaning on every way in: a web form, the JSON API (and so the bulk import, which
goes through the same service checks).
"""

import pytest
from sqlalchemy import select

from pilotmgr.core.text import multi_line, one_line
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Task
from tests.pilots.tasks_org import task_org


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Tổng hợp\r\nbáo cáo", "Tổng hợp báo cáo"),
        ("  Tổng hợp \n\n  báo cáo\t\ttuần ", "Tổng hợp báo cáo tuần"),
        ("Mã\x00QR\x07 tại quầy", "Mã QR tại quầy"),
        ("Dòng\u2028mới\x85nữa", "Dòng mới nữa"),
        ("Hai  dấu cách giữ nguyên", "Hai  dấu cách giữ nguyên"),
    ],
)
def test_a_one_line_value_turns_each_run_of_breaks_and_controls_into_one_space(typed, stored):
    assert one_line(typed) == stored


def test_a_multi_line_value_keeps_its_line_breaks_and_loses_other_controls():
    typed = "Bước 1\r\nBước 2\rBước 3\n\n\tGhi\x00 chú\x1b"
    assert multi_line(typed) == "Bước 1\nBước 2\nBước 3\n\n Ghi chú"


@pytest.fixture
def org(make):
    return task_org(make)


def _task(title: str) -> Task:
    return db.session.scalar(select(Task).where(Task.title == title))


def test_a_title_typed_with_line_breaks_in_the_web_form_is_stored_on_one_line(org, login):
    client = login(org.lead)
    response = client.post(
        f"/pilots/{org.pilot.id}/tasks",
        data={
            "csrf_token": client.csrf,
            "title": "Tập huấn\r\ntổ công nghệ số",
            "assignee": org.staff2.email,
            "due_date": "15/01/2027",
            "priority": "normal",
            "deliverable": "Danh sách học viên",
            "how": "Bước 1\r\nBước 2\x00",
        },
    )
    assert response.status_code == 302
    task = _task("Tập huấn tổ công nghệ số")
    assert task is not None and task.how == "Bước 1\nBước 2"


def test_a_title_sent_with_line_breaks_to_the_api_is_stored_on_one_line(org, api):
    response = api(org.lead).post(
        f"/pilots/{org.pilot.id}/tasks",
        json={"title": "Khảo sát\nngười dân\t", "how": "Bước 1\r\nBước 2\x0b"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["title"] == "Khảo sát người dân"
    assert _task("Khảo sát người dân").how == "Bước 1\nBước 2"
