"""Files are stored with the transaction: nothing left by a failed request, shared by every server."""

from __future__ import annotations

import hashlib
import io
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from pilotmgr.core.storage import StoredFile
from pilotmgr.discussion.models import Comment
from pilotmgr.extensions import db
from pilotmgr.results.models import Evidence
from tests.servers import logged_in, second_server

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF"


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def _files_under(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_request_failing_after_a_file_is_attached_leaves_no_row_and_no_file(
    bn, login, app, tmp_path
):
    app.config["PILOTMGR_UPLOAD_DIR"] = str(tmp_path)
    client = login(bn.lead)
    response = client.post(
        f"/pilots/{bn.pilot.id}/comments",
        data={
            "csrf_token": client.csrf,
            "body": "Biên bản và ảnh hiện trường.",
            # The first file is good and attached; the second is refused, failing the request.
            "files": [(io.BytesIO(PDF), "bien-ban.pdf"), (io.BytesIO(b"not a png"), "anh.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert (_count(Comment), _count(Evidence), _count(StoredFile)) == (0, 0, 0)
    assert _files_under(tmp_path) == []


@pytest.mark.commits
def test_two_servers_on_one_database_serve_each_others_files(bn, api, app, database_uri, tmp_path):
    name = "Biên bản nghiệm thu đợt 1.pdf"
    uploaded = api(bn.lead).post(
        f"/pilots/{bn.pilot.id}/evidence",
        data={"file": (io.BytesIO(PDF), name)},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    evidence_id = uploaded.get_json()["id"]
    with second_server(database_uri, tmp_path) as second:
        assert second.instance_path != app.instance_path
        assert second.config["PILOTMGR_UPLOAD_DIR"] != app.config["PILOTMGR_UPLOAD_DIR"]
        client = logged_in(second.test_client(), bn.head)
        response = client.get(f"/evidence/{evidence_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert hashlib.sha256(response.data).hexdigest() == uploaded.get_json()["sha256"]
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=UTF-8''{quote(name)}" in disposition


@pytest.mark.commits
def test_a_stranger_gets_404_from_either_server(bn, api, database_uri, tmp_path):
    uploaded = api(bn.lead).post(
        f"/pilots/{bn.pilot.id}/evidence",
        data={"file": (io.BytesIO(PDF), "bien-ban.pdf")},
        content_type="multipart/form-data",
    )
    with second_server(database_uri, tmp_path) as second:
        client = logged_in(second.test_client(), bn.stranger)
        response = client.get(f"/evidence/{uploaded.get_json()['id']}")
    assert response.status_code == 404


def test_lists_of_files_do_not_load_their_bytes(bn, api):
    api(bn.lead).post(
        f"/pilots/{bn.pilot.id}/evidence",
        data={"file": (io.BytesIO(PDF), "bien-ban.pdf")},
        content_type="multipart/form-data",
    )
    db.session.expunge_all()
    found = db.session.scalar(select(StoredFile))
    assert "data" not in found.__dict__
    assert found.data == PDF and found.size == len(PDF)


def test_the_demo_keeps_its_evidence_files_in_the_database(runner, app, tmp_path):
    app.config["PILOTMGR_UPLOAD_DIR"] = str(tmp_path)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    names = set(db.session.scalars(select(Evidence.stored_name)))
    files = {f.key: f for f in db.session.scalars(select(StoredFile))}
    assert names and names <= set(files)
    assert all(hashlib.sha256(files[n].data).hexdigest() == files[n].sha256 for n in names)
    assert _files_under(tmp_path) == []


def test_a_file_missing_since_the_move_into_the_database_answers_404_saying_so(bn, login):
    db.session.add(StoredFile(key="c" * 48, size=9, sha256="0" * 64, missing_reason="lost"))
    db.session.add(
        Evidence(
            pilot_id=bn.pilot.id,
            filename="bien-ban.pdf",
            stored_name="c" * 48,
            kind="pdf",
            size=9,
            sha256="0" * 64,
            uploaded_by_id=bn.lead.id,
        )
    )
    db.session.commit()
    found = db.session.scalar(select(Evidence))
    response = login(bn.lead).get(f"/evidence/{found.id}")
    assert response.status_code == 404
    assert "đã không còn" in response.get_data(as_text=True)
