"""Exports: files that open, Vietnamese intact, formulas neutralised, only what one may see."""

import csv
import io

from openpyxl import load_workbook

from pilotmgr.extensions import db


def _xlsx(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _csv(response):
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_pilots_export_as_xlsx_and_csv_with_vietnamese(world, login):
    client = login(world.admin)
    rows = _xlsx(client.get("/exports/pilots.xlsx"))
    titles = {r[2] for r in rows[1:]}
    assert "Hóa đơn điện tử tại chợ Đồng Xuân" in titles and len(rows) == 6
    rows = _csv(client.get("/exports/pilots.csv?stage=piloting"))
    assert rows[0][2] == "Tên"
    assert sorted(r[2] for r in rows[1:]) == [
        "Hóa đơn điện tử tại chợ Đồng Xuân",
        "Sổ sức khỏe điện tử",
    ]


def test_a_head_exports_only_the_subtree(world, login):
    client = login(world.head_p)
    for what in ("pilots", "tasks", "kpis", "rollout-targets"):
        text = client.get(f"/exports/{what}.csv").get_data(as_text=True)
        assert "Sổ sức khỏe điện tử" not in text, what
        assert "Tuyên truyền tại Quảng Ninh" not in text, what
    pilots = _csv(client.get("/exports/pilots.csv"))
    assert len(pilots) == 1 + 4


def test_tasks_kpis_targets_and_scoreboard_exports(world, login):
    client = login(world.head_p)
    tasks = _xlsx(client.get("/exports/tasks.xlsx?overdue=1"))
    assert [r[3] for r in tasks[1:]] == ["Lắp đặt máy tính tiền"]
    kpis = _xlsx(client.get("/exports/kpis.xlsx"))
    assert kpis[1][3] == "Tỷ lệ hóa đơn" and kpis[1][9] == 30 and kpis[1][10] == "submitted"
    targets = _csv(client.get("/exports/rollout-targets.csv"))
    assert sorted(r[2] for r in targets[1:]) == ["P-D", "Q"]
    board = _xlsx(client.get("/exports/scoreboard.xlsx"))
    assert [r[2:8] for r in board[1:]] == [
        ["Sở Khoa học và Công nghệ Bắc Ninh", 3, 1, 33.3, 1, 3.0],
        ["Cao Thị Hạnh", 3, 1, 33.3, 1, 3.0],
    ]


def test_cells_that_look_like_formulas_are_neutralised(world, login):
    world.p1.title = '=HYPERLINK("http://evil","x")'
    world.p2.title = "+1+2"
    world.p3.title = "@SUM(A1)"
    world.p4.title = "-2+3"
    db.session.commit()
    client = login(world.head_p)
    titles = {r[2] for r in _xlsx(client.get("/exports/pilots.xlsx"))[1:]}
    assert titles == {'\'=HYPERLINK("http://evil","x")', "'+1+2", "'@SUM(A1)", "'-2+3"}
    titles = {r[2] for r in _csv(client.get("/exports/pilots.csv"))[1:]}
    assert all(t.startswith("'") for t in titles)


def test_the_api_exports_with_a_token(world, api):
    response = api(world.head_p).get("/exports/pilots.xlsx?stage=piloting")
    rows = _xlsx(response)
    assert [r[2] for r in rows[1:]] == ["Hóa đơn điện tử tại chợ Đồng Xuân"]
    assert api(world.head_p).get("/exports/nothing.csv").status_code == 404
    assert api(world.lead_p).get("/exports/scoreboard.csv").status_code == 403
    assert api(None).get("/exports/pilots.csv").status_code == 401


def test_openapi_describes_the_exports(world, api):
    spec = api(world.head_p).get("/openapi.json").get_json()
    op = spec["paths"]["/exports/{what}.{fmt}"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"what", "fmt"}


def test_a_hostile_search_filter_is_harmless(world, login):
    client = login(world.head_p)
    assert client.get("/exports/pilots.csv?q=%00%25_").status_code == 200


def test_pages_with_odd_query_arguments_still_offer_their_exports(world, login):
    client = login(world.head_p)
    for path in ("/dashboard?what=x&fmt=y&page=2", "/pilots/?what=x&fmt=y&overdue=1"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "/exports/pilots.xlsx?" in response.get_data(as_text=True)
