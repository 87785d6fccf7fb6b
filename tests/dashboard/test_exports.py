"""Exports: files that open, in the reader's language with codes kept, formulas neutralised,
only what one may see."""

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook

from pilotmgr.extensions import db
from tests.test_every_page import english_words, words


def _xlsx(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _csv(response):
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _records(rows) -> list[dict]:
    """Each data row by its column headers."""
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_pilots_export_as_xlsx_and_csv_with_vietnamese(world, login):
    client = login(world.admin)
    rows = _xlsx(client.get("/exports/pilots.xlsx"))
    titles = {r[2] for r in rows[1:]}
    assert "Hóa đơn điện tử tại chợ Đồng Xuân" in titles and len(rows) == 6
    rows = _csv(client.get("/exports/pilots.csv?stage=piloting"))
    assert rows[0][2] == "Tên" and rows[0][3:5] == ["Giai đoạn", "Mã giai đoạn"]
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
    tasks = _records(_xlsx(client.get("/exports/tasks.xlsx?overdue=1")))
    assert [t["Nhiệm vụ"] for t in tasks] == ["Lắp đặt máy tính tiền"]
    kpis = _records(_xlsx(client.get("/exports/kpis.xlsx")))
    assert kpis[0]["Chỉ số KPI"] == "Tỷ lệ hóa đơn" and kpis[0]["Giá trị"] == 30
    assert kpis[0]["Trạng thái số liệu"] == "Chờ duyệt"
    assert kpis[0]["Mã trạng thái số liệu"] == "submitted"
    targets = _records(_csv(client.get("/exports/rollout-targets.csv")))
    assert sorted(t["Mã đơn vị"] for t in targets) == ["P-D", "Q"]
    board = _xlsx(client.get("/exports/scoreboard.xlsx"))
    assert board[0][:3] == ["Xếp hạng theo", "Mã cách xếp hạng", "Hạng"]
    assert [r[:2] for r in board[1:]] == [
        ["Theo đơn vị", "unit"],
        ["Theo đơn vị", "unit"],
        ["Theo người phụ trách", "owner"],
    ]
    # p4's targets count for their units and their responsible person: P-D's, done on the day
    # it was due (on time), and Q's, open since 1 March (7 working days late).
    assert [r[3:9] for r in board[1:]] == [
        ["Sở Khoa học và Công nghệ Bắc Ninh", 4, 2, 50.0, 1, 3.0],
        ["Tỉnh Quảng Ninh", 1, 0, 0.0, 1, 7.0],
        ["Cao Thị Hạnh", 5, 2, 40.0, 2, 4.3],
    ]


def test_exports_have_vietnamese_headers_and_labels_with_the_codes_beside_them(world, login):
    client = login(world.head_p)
    book = load_workbook(io.BytesIO(client.get("/exports/pilots.xlsx").data))
    sheet = book.worksheets[0]
    assert sheet.title == "Thí điểm"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:7] == [
        "Số tham chiếu",
        "Mã số",
        "Tên",
        "Giai đoạn",
        "Mã giai đoạn",
        "Kết quả",
        "Mã kết quả",
    ]
    p1 = next(r for r in _records(rows) if r["Tên"] == "Hóa đơn điện tử tại chợ Đồng Xuân")
    assert (p1["Giai đoạn"], p1["Mã giai đoạn"]) == ("Đang thí điểm", "piloting")
    assert isinstance(p1["Ngày bắt đầu"], datetime)
    start = header.index("Ngày bắt đầu")
    day_cell = next(c for c in sheet.iter_cols(min_col=start + 1, max_col=start + 1, min_row=2))[0]
    assert day_cell.number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A2"

    tasks = _records(_xlsx(client.get("/exports/tasks.xlsx")))
    late = next(t for t in tasks if t["Nhiệm vụ"] == "Lắp đặt máy tính tiền")
    assert (late["Trạng thái"], late["Mã trạng thái"]) == ("Chưa làm", "todo")
    assert late["Hạn hoàn thành"].date() == date(2027, 3, 5)
    kpis = _records(_csv(client.get("/exports/kpis.csv")))
    assert (kpis[0]["Chiều hướng"], kpis[0]["Mã chiều hướng"]) == ("Tăng", "increase")
    targets = _records(_xlsx(client.get("/exports/rollout-targets.xlsx")))
    assert {(t["Trạng thái"], t["Mã trạng thái"]) for t in targets} == {
        ("Hoàn thành", "done"),
        ("Chưa triển khai", "planned"),
    }


def test_no_english_word_in_the_headers_and_labels_of_a_vietnamese_export(world, login):
    client = login(world.head_p)
    english = english_words([])
    for what in ("pilots", "tasks", "kpis", "rollout-targets", "scoreboard"):
        rows = _xlsx(client.get(f"/exports/{what}.xlsx"))
        header = rows[0]
        # A label column is followed by its code column: "Giai đoạn", "Mã giai đoạn".
        labelled = [i for i, h in enumerate(header[:-1]) if header[i + 1] == f"Mã {h.lower()}"]
        assert labelled or what == "scoreboard", what
        labels = [str(row[i]) for row in rows[1:] for i in labelled if row[i]]
        found = words(" ".join(header + labels)) & english
        assert not found, (what, found)


def test_an_english_reader_gets_english_headers_and_labels(world, login):
    world.head_p.lang = "en"
    db.session.commit()
    rows = _xlsx(login(world.head_p).get("/exports/pilots.xlsx?stage=piloting"))
    assert rows[0][2:5] == ["Title", "Stage", "Stage code"]
    assert rows[1][3:5] == ["Piloting", "piloting"]


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
    assert {p["name"] for p in op["parameters"] if p["in"] == "path"} == {"what", "fmt"}
    assert {"stage", "unit", "owner", "q"} <= {p["name"] for p in op["parameters"]}


def test_a_hostile_search_filter_is_harmless(world, login):
    client = login(world.head_p)
    assert client.get("/exports/pilots.csv?q=%00%25_").status_code == 200


def test_pages_with_odd_query_arguments_still_offer_their_exports(world, login):
    client = login(world.head_p)
    for path in ("/dashboard?what=x&fmt=y&page=2", "/pilots/?what=x&fmt=y&overdue=1"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "/exports/pilots.xlsx?" in response.get_data(as_text=True)
