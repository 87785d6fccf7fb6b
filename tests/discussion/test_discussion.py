"""A pilot's discussion: whoever may see the pilot writes; mentions notify; files are evidence."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.errors import NotFound, ValidationFailed
from pilotmgr.discussion import service
from pilotmgr.discussion.models import Comment
from pilotmgr.extensions import db
from pilotmgr.notices.events import compose
from pilotmgr.results.models import Evidence
from tests.pilots.conftest import notified

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def pilot(org, make):
    found = make.pilot("piloting", owner=org.lead, unit_=org.department)
    make.task(found, assignee=org.staff, title="Lắp đặt mã QR")
    return found


def _post(client, pilot, body, files=()):
    data = {"csrf_token": client.csrf, "body": body}
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(
        f"/pilots/{pilot.id}/comments", data=data, content_type="multipart/form-data"
    )


def test_a_comment_appears_newest_last_with_its_author_and_in_the_history(
    org,
    pilot,
    login,
):
    service.post_comment(org.lead, pilot, {"body": "Đã lắp xong 6 quầy."})
    db.session.commit()
    client = login(org.staff)
    response = _post(client, pilot, "Tuần sau lắp nốt 6 quầy còn lại.")
    assert response.status_code == 302
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    thread = page[page.index('id="comments"') :]
    assert thread.index("Đã lắp xong 6 quầy.") < thread.index("Tuần sau lắp nốt")
    assert "Vũ Thị Mai" in thread
    history = page[page.index('id="history"') :]
    assert "Tham gia trao đổi: <em>Tuần sau lắp nốt 6 quầy còn lại.</em>" in history


def test_a_mention_tells_the_person_with_an_excerpt_and_a_link(org, pilot, login):
    client = login(org.lead)
    response = _post(client, pilot, f"Nhờ @{org.staff.email} gửi ảnh các quầy đã lắp.")
    assert response.status_code == 302
    got = notified("mentioned")
    assert list(got) == [org.staff.id]
    comment = db.session.scalars(select(Comment)).one()
    assert got[org.staff.id][0].url == f"/pilots/{pilot.id}#comment-{comment.id}"
    title, body = compose("mentioned", got[org.staff.id][0].params)
    assert title.startswith("Cao Thị Hạnh") and "gửi ảnh các quầy" in body


def test_mentioning_someone_who_may_not_see_the_pilot_is_refused_without_telling_more(
    org,
    pilot,
    login,
):
    client = login(org.lead)
    typed = f"Mời @{org.outsider.email} và @ai-do@khong-co.gov.vn cùng xem."
    response = _post(client, pilot, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert typed in page  # what was typed is kept
    assert (
        f"Không thể nhắc đến @{org.outsider.email}, @ai-do@khong-co.gov.vn: chỉ nhắc được "
        "những người có quyền xem thí điểm này."
    ) in page
    message = page[page.index('id="comment-body-error"') :]
    assert org.outsider.name not in message[: message.index("</div>")]
    assert db.session.scalar(select(Comment.id)) is None and not notified()


def test_files_are_kept_like_evidence_of_the_comment(org, pilot, login):
    client = login(org.staff)
    response = _post(client, pilot, "Biên bản nghiệm thu.", files=[("bien-ban.pdf", PDF)])
    assert response.status_code == 302
    comment = db.session.scalars(select(Comment)).one()
    stored = db.session.scalars(select(Evidence)).one()
    assert (stored.comment_id, stored.filename, stored.pilot_id) == (
        comment.id,
        "bien-ban.pdf",
        pilot.id,
    )
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert f'href="/evidence/{stored.id}"' in page
    entry = db.session.scalars(select(HistoryEntry).where(HistoryEntry.action == "comment")).one()
    assert entry.after["files"] == ["bien-ban.pdf"]


def test_a_bad_file_refuses_the_whole_comment_beside_the_file_field(org, pilot, login):
    client = login(org.staff)
    response = _post(client, pilot, "Ảnh hiện trường.", files=[("anh.png", b"not a png")])
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="comment-files-error"' in page
    assert "Ảnh hiện trường." in page
    assert db.session.scalar(select(Comment.id)) is None
    assert db.session.scalar(select(Evidence.id)) is None


def test_an_empty_comment_is_refused_beside_the_box(org, pilot, login):
    response = _post(login(org.lead), pilot, "   ")
    assert response.status_code == 422
    assert 'id="comment-body-error">Trường này là bắt buộc.' in response.get_data(as_text=True)


def test_who_may_not_see_the_pilot_cannot_read_or_write(org, pilot, login):
    with pytest.raises(NotFound):
        service.post_comment(org.outsider, pilot, {"body": "Xin chào"})
    with pytest.raises(NotFound):
        service.thread(org.outsider, pilot)
    response = _post(login(org.outsider), pilot, "Xin chào")
    assert response.status_code == 404


def test_the_people_offered_for_mention_are_those_of_the_pilot(org, pilot):
    people = {u.email for u in service.mention_suggestions(org.lead, pilot)}
    assert people == {org.staff.email, org.head.email, org.head_department.email}


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        ("Nhờ @mai@bacninh.gov.vn xem.", ["mai@bacninh.gov.vn"]),
        ("@Mai@BacNinh.gov.vn, @mai@bacninh.gov.vn.", ["mai@bacninh.gov.vn"]),
        ("Gửi mai@bacninh.gov.vn (không nhắc)", []),
        ("(@long@bacninh.gov.vn)", ["long@bacninh.gov.vn"]),
    ],
)
def test_mentions_are_at_followed_by_an_email(text, emails):
    assert service.mentioned_emails(text) == emails


def test_the_api_lists_and_posts_comments(org, pilot, api):
    caller = api(org.lead)
    created = caller.post(
        f"/pilots/{pilot.id}/comments", json={"body": f"Nhờ @{org.staff.email} cập nhật."}
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["mentions"] == [org.staff.email]
    listed = api(org.staff).get(f"/pilots/{pilot.id}/comments").get_json()
    assert [c["author"] for c in listed["items"]] == [org.lead.email]
    assert api(org.outsider).get(f"/pilots/{pilot.id}/comments").status_code == 404
    refused = caller.post(f"/pilots/{pilot.id}/comments", json={"body": f"@{org.outsider.email}"})
    assert refused.status_code == 422 and "body" in refused.get_json()["errors"]


def test_a_file_through_the_api(org, pilot, api):
    response = api(org.staff).post(
        f"/pilots/{pilot.id}/comments",
        data={"body": "Biên bản", "file": (io.BytesIO(PDF), "bien-ban.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    assert [f["filename"] for f in response.get_json()["files"]] == ["bien-ban.pdf"]


def test_too_long_a_comment_is_refused(org, pilot):
    with pytest.raises(ValidationFailed):
        service.post_comment(org.lead, pilot, {"body": "x" * 10_001})
