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
