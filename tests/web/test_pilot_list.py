"""The pilot list after the bench work: filters still filter and keep their choice."""

from __future__ import annotations


def test_unit_and_owner_filters_select_and_filter(client, login, make):
    province = make.unit("P", "Tỉnh Bắc Ninh")
    department = make.unit("P-YT", "Sở Y tế Bắc Ninh", province)
    other = make.unit("P-TC", "Sở Tài chính Bắc Ninh", province)
    head = make.user("head", province)
    owner = make.user("lead", department)
    make.pilot("piloting", owner=owner, unit_=department, title="Bệnh án điện tử")
    make.pilot("piloting", unit_=other, title="Hóa đơn điện tử")

    login(head)
    html = client.get(f"/pilots/?unit={department.code}&owner={owner.email}").get_data(as_text=True)

    assert "Bệnh án điện tử" in html and "Hóa đơn điện tử" not in html
    assert f'<option selected value="{department.code}">' in html
    assert f'<option selected value="{owner.email}">' in html


def test_a_busy_assignee_sees_pilots_through_tasks_only_once(client, login, make):
    """Visibility through several tasks on one pilot must not repeat the pilot."""
    elsewhere = make.unit("Q", "Tỉnh Quảng Ninh")
    staff = make.user("staff", make.unit("R", "Tỉnh Lạng Sơn"))
    pilot = make.pilot("piloting", unit_=elsewhere, title="Thanh toán học phí bằng QR")
    make.task(pilot, assignee=staff)
    make.task(pilot, assignee=staff, title="Tập huấn")

    login(staff)
    html = client.get("/pilots/").get_data(as_text=True)

    assert html.count("Thanh toán học phí bằng QR") == 1


def test_control_characters_in_the_search_are_word_breaks_not_errors(client, login, make):
    lead = make.user("lead")
    make.pilot("draft", owner=lead, title="Hóa đơn điện tử")
    login(lead)
    page = client.get("/pilots/?q=h%C3%B3a%00%C4%91%C6%A1n")
    assert page.status_code == 200
    assert "Hóa đơn điện tử" in page.get_data(as_text=True)


def test_the_filter_form_labels_its_fields_and_ignores_a_stage_that_does_not_exist(
    client, login, make
):
    lead = make.user("lead")
    make.pilot("draft", owner=lead, title="Hóa đơn điện tử")
    login(lead)
    html = client.get("/pilots/?stage=flying&q=h%C3%B3a").get_data(as_text=True)
    assert "Hóa đơn điện tử" in html
    assert '<label class="form-label visually-hidden" for="f-stage">Giai đoạn</label>' in html
    assert 'value="hóa"' in html
    assert "csrf_token" not in html.split('id="pilot-filters"')[1].split("</form>")[0]
