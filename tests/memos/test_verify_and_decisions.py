"""The public check of a memo, and the head's decisions kept with the memo they answered."""

from __future__ import annotations

import io
import re

from sqlalchemy import delete, select

from pilotmgr.extensions import db
from pilotmgr.memos import service
from pilotmgr.memos.models import Decision, Memo
from pilotmgr.pilots.models import Task
from tests.conftest import csrf_token
from tests.factories import days
from tests.memos.conftest import needs_poppler, pdftotext


def _issued(org, pilot, kind="rollout"):
    memo = service.issue(org["head"], pilot, {"kind": kind})
    db.session.commit()
    return memo


def test_verify_page_says_issued_with_number_date_unit_title_and_nothing_more(
    app, client, org, selected
):
    memo = _issued(org, selected)
    page = client.get(f"/memos/verify/{memo.sha256}").get_data(as_text=True)
    assert memo.number in page and memo.title in page and org["department"].name in page
    assert memo.issued_on.strftime("%d/%m/%Y") in page
    for secret in ("Nguyễn Thị Hằng", "Phường Kinh Bắc", selected.summary):
        assert secret not in page, secret
    # The budget (450,000,000) however written; a bare "450" may occur in the page's hashes.
    assert not re.search(r"450[.,\s\u00a0]?000", page)
    by_content = client.get(f"/memos/verify/{memo.content_sha256}").get_data(as_text=True)
    assert memo.number in by_content
    unknown = client.get("/memos/verify/" + "0" * 64).get_data(as_text=True)
    assert memo.number not in unknown and "alert-danger" in unknown


def test_an_uploaded_file_is_genuine_only_byte_for_byte(app, client, org, selected):
    memo = _issued(org, selected)
    token = csrf_token(client, "/memos/verify")

    def check(data: bytes) -> str:
        answer = client.post(
            "/memos/verify",
            data={"file": (io.BytesIO(data), "memo.pdf"), "csrf_token": token},
            content_type="multipart/form-data",
        )
        assert answer.status_code == 200
        return answer.get_data(as_text=True)

    assert memo.number in check(memo.pdf)
    tampered = bytearray(memo.pdf)
    tampered[len(tampered) // 2] ^= 0x01
    assert memo.number not in check(bytes(tampered))
    no_csrf = client.post(
        "/memos/verify",
        data={"file": (io.BytesIO(memo.pdf), "memo.pdf")},
        content_type="multipart/form-data",
    )
    assert no_csrf.status_code == 400


def test_an_upload_over_the_size_limit_is_refused(app, client, org, selected):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    token = csrf_token(client, "/memos/verify")
    answer = client.post(
        "/memos/verify",
        data={"file": (io.BytesIO(b"%PDF" + b"0" * 4096), "big.pdf"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert answer.status_code in (302, 413)


#: The rollout decision's number and date, which approving a rollout also needs.
DECIDED = {"decision_number": "15/QĐ-UBND", "decision_date": days(0).isoformat()}


def test_rollout_needs_an_issued_rollout_memo(app, api, org, selected):
    db.session.execute(delete(Memo))
    db.session.commit()
    path = f"/pilots/{selected.id}/transitions"
    refused = api(org["head"]).post(path, json={"to": "rolling_out"})
    assert refused.status_code == 409
    assert any(
        "tờ trình" in m.lower() or "memo" in m.lower() for m in refused.get_json()["missing"]
    )
    memo = _issued(org, selected)
    done = api(org["head"]).post(path, json={"to": "rolling_out", "memo_id": memo.id, **DECIDED})
    assert done.status_code == 200, done.get_json()


@needs_poppler
def test_approval_with_conditions_makes_tasks_and_a_reissue_shows_the_decision(
    app, api, org, selected
):
    memo = _issued(org, selected)
    conditions = (
        f"Tập huấn cán bộ các xã | {org['staff'].email} | {days(20).isoformat()}\n"
        f"Ban hành quy chế vận hành | {org['owner'].email} | {days(40).strftime('%d/%m/%Y')}"
    )
    answer = api(org["head"]).post(
        f"/pilots/{selected.id}/transitions",
        json={
            "to": "rolling_out",
            "memo_id": memo.id,
            "decision_number": "15/QĐ-UBND",
            "decision_date": days(0).isoformat(),
            "conditions": conditions,
        },
    )
    assert answer.status_code == 200, answer.get_json()
    decision = db.session.scalar(select(Decision))
    assert decision.memo_id == memo.id and decision.outcome == "approve_with_conditions"
    tasks = db.session.scalars(
        select(Task).where(Task.id.in_([c["task_id"] for c in decision.conditions]))
    ).all()
    assert {t.title for t in tasks} == {"Tập huấn cán bộ các xã", "Ban hành quy chế vận hành"}
    assert {t.assignee_id for t in tasks} == {org["staff"].id, org["owner"].id}
    again = api(org["head"]).post(
        f"/pilots/{selected.id}/memos", json={"kind": "rollout", "reissue_of": memo.id}
    )
    assert again.status_code == 201, again.get_json()
    body = again.get_json()
    assert body["number"] != memo.number
    reissued = db.session.get(Memo, body["id"])
    text = " ".join(pdftotext(reissued.pdf).split())
    assert "15/QĐ-UBND" in text and "Tập huấn cán bộ các xã" in text
    assert reissued.snapshot["kpis"] == memo.snapshot["kpis"]


def test_bad_conditions_change_nothing(app, api, org, selected):
    memo = _issued(org, selected)
    answer = api(org["head"]).post(
        f"/pilots/{selected.id}/transitions",
        json={"to": "rolling_out", "memo_id": memo.id, "conditions": "chỉ một phần", **DECIDED},
    )
    assert answer.status_code == 422 and "conditions" in answer.get_json()["errors"]
    db.session.expire_all()
    assert selected.stage == "selected" and db.session.scalar(select(Decision)) is None
