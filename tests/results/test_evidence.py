"""Evidence uploads: size limit, content checked against the name, private downloads."""

import io
import zipfile

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.results.models import Evidence

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def pilot(app, make):
    return make.pilot("piloting")


def _upload(api, user, pilot, name, data, note="Biên bản nghiệm thu"):
    return api(user).post(
        f"/pilots/{pilot.id}/evidence",
        data={"file": (io.BytesIO(data), name), "note": note},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "name, data",
    [
        ("bien-ban.pdf", PDF),
        ("anh.png", PNG),
        ("bao-cao.docx", _docx()),
        ("so-lieu.csv", "Tháng,Giá trị\n1,60\n".encode()),
    ],
)
def test_allowed_files_are_stored_with_their_sha256(pilot, api, name, data):
    import hashlib

    response = _upload(api, pilot.owner, pilot, name, data)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "name, data",
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),  # an .exe renamed .pdf
        ("anh.pdf", PNG),
        ("script.exe", PDF),
        ("bao-cao.docx", b"PK\x03\x04garbage"),
        ("tep", PDF),
    ],
)
def test_wrong_types_are_refused_and_nothing_is_stored(pilot, api, name, data):
    response = _upload(api, pilot.owner, pilot, name, data)
    assert response.status_code == 422
    assert "file" in response.get_json()["errors"]
    assert db.session.scalar(select(Evidence)) is None


def test_a_file_over_the_limit_gets_413(pilot, api, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = _upload(api, pilot.owner, pilot, "lon.pdf", PDF + b"0" * 4096)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_downloads_are_attachments_for_those_who_may_see_the_pilot(pilot, api, make, login):
    _upload(api, pilot.owner, pilot, "bien-ban.pdf", PDF)
    found = db.session.scalar(select(Evidence))
    owner = login(pilot.owner).get(f"/evidence/{found.id}")
    assert owner.status_code == 200 and owner.data == PDF
    assert owner.headers["Content-Disposition"].startswith("attachment")
    stranger = make.user("staff", make.unit("DNG", "Đà Nẵng"))
    assert login(stranger).get(f"/evidence/{found.id}").status_code == 404


# --- retracting a file uploaded by mistake -------------------------------------------------------


def _uploaded(api, user, pilot, name="bien-ban.pdf"):
    response = _upload(api, user, pilot, name, PDF)
    assert response.status_code == 201, response.get_json()
    return db.session.get(Evidence, response.get_json()["id"])


def test_the_uploader_retracts_with_a_reason_and_the_history_keeps_name_and_hash(
    pilot, api, make, login
):
    staff = make.user("staff", pilot.unit)
    found = _uploaded(api, staff, pilot)
    url = f"/evidence/{found.id}/retraction"
    missing = api(staff).post(url, json={})
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    done = api(staff).post(url, json={"reason": "Tải nhầm biên bản của đợt trước"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["retracted_at"] and done.get_json()["sha256"] == found.sha256
    again = api(staff).post(url, json={"reason": "Lần nữa"})
    assert again.status_code == 409
    history = api(staff).get(f"/pilots/{pilot.id}/history").get_json()["items"]
    entry = history[-1]
    assert entry["action"] == "retract" and entry["comment"] == "Tải nhầm biên bản của đợt trước"
    assert entry["after"] == {"name": "bien-ban.pdf", "sha256": found.sha256}
    # No longer offered: the download is gone, the page strikes it through and says why.
    client = login(pilot.owner)
    assert client.get(f"/evidence/{found.id}").status_code == 404
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert '<del class="evidence-name">bien-ban.pdf</del>' in page
    assert "Tải nhầm biên bản của đợt trước" in page
    assert f"Rút lại minh chứng: <em>bien-ban.pdf (SHA-256 {found.sha256})</em>" in page
    assert f'href="/evidence/{found.id}"' not in page


def test_who_may_retract_a_file(pilot, api, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    pilot.unit.parent_id, pilot.unit.path = province.id, f"{province.path}{pilot.unit.id}/"
    db.session.commit()
    uploader = make.user("staff", pilot.unit)
    found = _uploaded(api, uploader, pilot)
    url = f"/evidence/{found.id}/retraction"
    body = {"reason": "Nhầm tệp"}
    colleague = make.user("staff", pilot.unit)  # may record, but did not upload it
    stranger = make.user("staff", make.unit("DNG", "Đà Nẵng"))
    assert api(colleague).post(url, json=body).status_code == 403
    assert api(stranger).post(url, json=body).status_code == 404
    assert api(uploader).post("/evidence/999999/retraction", json=body).status_code == 404
    head = make.user("head", province)
    assert api(head).post(url, json=body).status_code == 200  # the pilot's editors may


def test_a_closed_pilots_files_are_final(pilot, api, make):
    found = _uploaded(api, pilot.owner, pilot)
    pilot.stage, pilot.outcome = "closed", "stopped"
    db.session.commit()
    response = api(pilot.owner).post(f"/evidence/{found.id}/retraction", json={"reason": "x"})
    assert response.status_code == 409
    assert db.session.get(Evidence, found.id).retracted_at is None


def test_a_retraction_without_a_reason_comes_back_beside_its_field(pilot, api, login):
    found = _uploaded(api, pilot.owner, pilot)
    client = login(pilot.owner)
    response = client.post(
        f"/evidence/{found.id}/retraction", data={"reason": " ", "csrf_token": client.csrf}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="x{found.id}-reason-error">Trường này là bắt buộc.' in html
    done = client.post(
        f"/evidence/{found.id}/retraction",
        data={"reason": "Tải nhầm", "csrf_token": client.csrf},
    )
    assert done.status_code == 302
    assert db.session.get(Evidence, found.id).retraction_reason == "Tải nhầm"


def test_a_wrong_file_on_the_page_keeps_the_note_and_says_why_beside_the_field(pilot, login):
    client = login(pilot.owner)
    response = client.post(
        f"/pilots/{pilot.id}/evidence",
        data={
            "file": (io.BytesIO(b"MZ\x90\x00"), "bien-ban.pdf"),
            "note": "Biên bản nghiệm thu đợt 1",
            "csrf_token": client.csrf,
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="ev-file-error">Chỉ nhận tệp PDF' in html
    assert 'value="Biên bản nghiệm thu đợt 1"' in html
    empty = client.post(
        f"/pilots/{pilot.id}/evidence",
        data={"note": "Không có tệp", "csrf_token": client.csrf},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 422
    assert 'id="ev-file-error">Hãy chọn một tệp.' in empty.get_data(as_text=True)
    assert db.session.scalar(select(Evidence)) is None


def test_a_rollout_targets_file_is_retracted_back_on_the_targets_page(app, make, login):
    from datetime import timedelta

    from pilotmgr.core.clock import local_today
    from pilotmgr.pilots.files import save_file
    from pilotmgr.rollout.models import RolloutTarget

    pilot = make.pilot("rolling_out")
    target = db.session.scalar(select(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    target.status, target.due_date = "in_progress", local_today() + timedelta(days=10)
    db.session.commit()

    class Upload(io.BytesIO):
        filename = "bien-ban-trien-khai.pdf"

    found = save_file(pilot.owner, pilot, Upload(PDF), "", rollout_target_id=target.id)
    db.session.commit()
    client = login(pilot.owner)
    url = f"/evidence/{found.id}/retraction"
    refused = client.post(url, data={"reason": "", "csrf_token": client.csrf})
    assert refused.status_code == 302 and refused.location.endswith(f"/rollout-targets/{target.id}")
    assert db.session.get(Evidence, found.id).retracted_at is None
    done = client.post(url, data={"reason": "Nhầm đơn vị", "csrf_token": client.csrf})
    assert done.status_code == 302 and done.location.endswith(f"/rollout-targets/{target.id}")
    assert db.session.get(Evidence, found.id).retraction_reason == "Nhầm đơn vị"
