"""Search from the header: accent-blind, across pilots, tasks, lessons and formulas, never beyond
what the user may see."""

from pilotmgr.extensions import db


def test_search_is_diacritics_insensitive_across_kinds(world, login):
    world.p3.success_formula = "Đúng người, đủ dữ liệu, sạch quy trình"
    world.p3.lessons = "Phải tập huấn điều dưỡng trước khi triển khai"
    db.session.commit()
    client = login(world.head_p)
    html = client.get("/search?q=hoa+don+dong+xuan").get_data(as_text=True)
    assert "Hóa đơn điện tử tại chợ Đồng Xuân" in html
    html = client.get("/search?q=lap+dat+may").get_data(as_text=True)
    assert 'id="results-tasks"' in html and "Lắp đặt máy tính tiền" in html
    html = client.get("/search?q=du+lieu").get_data(as_text=True)
    assert 'id="results-formulas"' in html and "Bệnh án điện tử huyện" in html
    html = client.get("/search?q=DIEU+DUONG").get_data(as_text=True)
    assert 'id="results-lessons"' in html


def test_a_head_never_finds_what_lies_outside_the_subtree(world, login):
    client = login(world.head_p)
    html = client.get("/search?q=quang+ninh").get_data(as_text=True)
    assert "Tuyên truyền tại Quảng Ninh" not in html
    html = client.get("/search?q=so+suc+khoe").get_data(as_text=True)
    assert "Sổ sức khỏe điện tử" not in html
    other = login(world.head_q).get("/search?q=so+suc+khoe").get_data(as_text=True)
    assert "Sổ sức khỏe điện tử" in other


def test_an_empty_or_hostile_query_is_harmless(world, login):
    client = login(world.head_p)
    assert client.get("/search").status_code == 200
    assert client.get("/search?q=%25_%5C%00" + "x" * 5000).status_code == 200
