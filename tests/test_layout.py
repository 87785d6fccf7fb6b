"""The layout every page shares, the error and confirmation pages, notifications and search."""

from __future__ import annotations

import re

from pilotmgr.extensions import db
from pilotmgr.notices.events import notify


def test_every_page_has_a_skip_link_landmarks_and_only_our_own_scripts(app, login, make):
    page = login(make.user("staff")).get("/my-work").get_data(as_text=True)
    assert re.search(r'<a class="skip-link[^"]*" href="#main">Bỏ qua, đến nội dung chính</a>', page)
    assert '<nav class="navbar navbar-expand-xl navbar-dark app-navbar' in page
    assert 'aria-label="Trình đơn chính"' in page
    assert '<main class="container-fluid px-3 px-lg-4" id="main" tabindex="-1">' in page
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert "/static/js/app.js" in sources
    assert all(s.startswith("/static/") or s.startswith("data:") for s in sources), sources


def test_error_pages_speak_vietnamese_and_offer_the_way_on(app, client, login, make):
    response = client.get("/khong-co-trang-nay")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Không tìm thấy" in html and "đồng chí không có quyền xem" in html
    assert 'href="/login">Đăng nhập</a>' in html  # not signed in: the way on is to sign in

    client = login(make.user("staff"))
    forbidden = client.get("/admin/users")
    html = forbidden.get_data(as_text=True)
    assert forbidden.status_code == 403
    assert "Đồng chí không có quyền thực hiện việc này." in html
    assert "permission" not in html.lower() and "Về Việc của tôi" in html
    wrong_method = client.get("/logout")
    assert wrong_method.status_code == 405
    assert "Không thực hiện được theo cách này" in wrong_method.get_data(as_text=True)


def test_unread_notifications_say_so_in_words_not_by_colour_alone(app, login, make):
    staff, lead = make.user("staff"), make.user("lead")
    pilot = make.pilot("piloting", owner=lead)
    notify("task_assigned", [staff], cause="layout-test", actor=lead, pilot=pilot, task="Khảo sát")
    db.session.commit()
    client = login(staff)
    html = client.get("/notifications").get_data(as_text=True)
    item = re.search(r'<li class="[^"]*unread[^"]*" id="notification-(\d+)">(.*?)</li>', html, re.S)
    assert item, html
    assert '<span class="badge text-bg-dark me-1">Chưa đọc</span>' in item.group(2)
    assert f'aria-describedby="notification-{item.group(1)}-title"' in item.group(2)
    client.post(f"/notifications/{item.group(1)}/read", data={"csrf_token": client.csrf})
    assert "Chưa đọc</span>" not in client.get("/notifications").get_data(as_text=True)


def test_the_confirmation_page_names_what_will_happen_and_can_be_cancelled(app, login, make):
    head = make.user("head")
    pilot = make.pilot("piloting", owner=make.user("lead", head.unit), unit_=head.unit)
    client = login(head)
    response = client.post(
        f"/pilots/{pilot.id}/transitions",
        data={
            "csrf_token": client.csrf,
            "to": "closed",
            "outcome": "stopped",
            "comment": "Dừng để rà soát",
            "lessons": "Khảo sát kỹ trước",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-labelledby="confirm-title"' in html
    assert "Thao tác này không thể hoàn tác. Đề nghị đồng chí kiểm tra" in html
    assert 'aria-describedby="confirm-warning consequences"' in html
    assert '<input type="hidden" name="comment" value="Dừng để rà soát">' in html
    assert f'href="/pilots/{pilot.id}"' in html or "Hủy, quay lại" in html


def test_search_results_and_the_memo_check_fit_their_words_on_a_phone(app, login, make):
    lead = make.user("lead")
    make.pilot("piloting", owner=lead, title="Hóa đơn điện tử tại chợ")
    client = login(lead)
    html = client.get("/search?q=h%C3%B3a+%C4%91%C6%A1n").get_data(as_text=True)
    assert "Hóa đơn điện tử tại chợ" in html and 'role="search"' in html
    check = client.get("/memos/verify/" + "ab" * 32).get_data(as_text=True)
    assert "Không có tờ trình nào được ban hành với mã này." in check
    assert "<code>" + "ab" * 32 + "</code>" in check  # wraps: main code { word-break }
