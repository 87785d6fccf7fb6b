"""Bulk import: a dry run naming every error in Vietnamese, then all or nothing, idempotent."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from pilotmgr.exports.sheets import COLUMNS
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Pilot, Task


def _row(**cells):
    return [cells.get(c, "") for c in COLUMNS]


GOOD = [
    _row(
        reference="IMP-1",
        kind="pilot",
        title="Chợ 4.0 tại Bắc Ninh",
        unit="P-D",
        owner="lead@pd.gov.vn",
        start_date="01/04/2027",
        end_date="2027-09-30",
        budget="150000000",
    ),
    _row(
        reference="IMP-1",
        kind="kpi",
        title="Tỷ lệ tiểu thương thanh toán QR",
        kpi_unit="%",
        baseline="5",
        target="60",
        direction="tăng",
    ),
    _row(
        reference="IMP-1",
        kind="task",
        title="Tập huấn tiểu thương",
        assignee="staff@pd.gov.vn",
        due_date="2027-04-15",
        deliverable="Danh sách tham gia",
    ),
    _row(
        reference="IMP-2",
        kind="thí điểm",
        title="Trường học không tiền mặt",
        unit="P-D",
        owner="lead@pd.gov.vn",
    ),
]


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines)).encode()


def _upload(client, data: bytes, name: str = "pilots.xlsx"):
    return client.post(
        "/import",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _commit(client, html: str):
    tag = re.search(r'<input[^>]*name="token"[^>]*>', html).group(0)
    token = re.search(r'value="([^"]+)"', tag).group(1)
    return client.post("/import/commit", data={"csrf_token": client.csrf, "token": token})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


VIETNAMESE_HEADER = (
    "Số tham chiếu",
    "Loại dòng",
    "Tên",
    "Mã đơn vị",
    "Thư điện tử người phụ trách",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Tóm tắt",
    "Đơn vị phối hợp",
    "Kinh phí",
    "Đơn vị tính",
    "Giá trị ban đầu",
    "Mục tiêu",
    "Chiều hướng",
    "Thư điện tử người thực hiện",
    "Hạn hoàn thành",
    "Sản phẩm",
    "Mức ưu tiên",
)


def test_the_template_has_vietnamese_headers_and_imports_as_it_is(world, login):
    from openpyxl import load_workbook

    client = login(world.lead_p)
    response = client.get("/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book.active.iter_rows(values_only=True))
    assert book.active.title == "Thí điểm"
    assert rows[0] == VIETNAMESE_HEADER
    assert [r[1] for r in rows[1:]] == ["thí điểm", "chỉ số KPI", "nhiệm vụ"]
    assert rows[1][3:5] == ("P-D", "lead@pd.gov.vn") and rows[2][11] == "12,5"
    csv_template = client.get("/import/template.csv").data
    assert csv_template.startswith(b"\xef\xbb\xbf")
    assert csv_template.decode("utf-8-sig").splitlines()[0].startswith("Số tham chiếu,Loại dòng")

    checked = _upload(client, response.data)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200, html[-1500:]
    assert html.count("Sẽ được tạo mới") == 3
    assert "<td>Thí điểm</td>" in html and "<td>Chỉ số KPI</td>" in html
    _commit(client, html)
    pilot = db.session.scalar(select(Pilot).where(Pilot.reference == "TD-2026-001"))
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
    assert kpi.baseline == Decimal("12.5") and kpi.direction == "increase"
    assert pilot.budget == Decimal(150_000_000) and str(pilot.start_date) == "2026-01-15"


def test_an_english_reader_gets_english_headers_and_english_words_are_read_too(world, login):
    world.lead_p.lang = "en"
    db.session.commit()
    client = login(world.lead_p)
    header = client.get("/import/template.csv").data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Reference,Row kind,Title,Unit code,Owner e-mail")
    english = [
        [
            "EN-1",
            "pilot",
            "Cashless school fees",
            "P-D",
            "lead@pd.gov.vn",
            "2027-04-01",
            "2027-06-30",
        ],
        ["EN-1", "KPI", "Share paid by QR", "", "", "", "", "", "", "", "%", "1,200.5", "2,000"],
    ]
    lines = [header] + [",".join(f'"{c}"' for c in row) for row in english]
    response = _upload(client, ("\ufeff" + "\r\n".join(lines)).encode(), "en.csv")
    assert response.status_code == 200, response.get_data(as_text=True)[-1500:]
    _commit(client, response.get_data(as_text=True))
    kpi = db.session.scalar(select(Kpi).join(Pilot).where(Pilot.reference == "EN-1"))
    assert (kpi.baseline, kpi.target) == (Decimal("1200.5"), Decimal(2000))


def test_vietnamese_headers_values_and_numbers_are_read(world, login):
    client = login(world.lead_p)
    rows = [
        dict(
            reference="VN-1",
            kind="Thí điểm",
            title="Chợ không tiền mặt",
            unit="P-D",
            owner="lead@pd.gov.vn",
            start_date="01/04/2027",
            end_date="30/09/2027",
            budget="1.200.000",
        ),
        dict(
            reference="VN-1",
            kind="chỉ tiêu",
            title="Tỷ lệ giao dịch số",
            baseline="12,5",
            target="60",
            direction="Giảm",
        ),
        dict(
            reference="VN-1",
            kind="nhiệm vụ",
            title="Tập huấn",
            assignee="staff@pd.gov.vn",
            due_date="15/04/2027",
            deliverable="Danh sách",
            priority="Cao",
        ),
    ]
    book = Workbook()
    book.active.append(list(VIETNAMESE_HEADER))
    for row in rows:
        book.active.append([row.get(c, "") for c in COLUMNS])
    book.active.append(["VN-1", "chỉ số", "Số lượt truy cập", *[""] * 8, 1.25, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, buffer.getvalue())
    assert response.status_code == 200, response.get_data(as_text=True)[-1500:]
    _commit(client, response.get_data(as_text=True))
    pilot = db.session.scalar(select(Pilot).where(Pilot.reference == "VN-1"))
    assert pilot.budget == Decimal(1_200_000) and str(pilot.end_date) == "2027-09-30"
    by_name = {k.name: k for k in db.session.scalars(select(Kpi).where(Kpi.pilot_id == pilot.id))}
    assert by_name["Tỷ lệ giao dịch số"].baseline == Decimal("12.5")
    assert by_name["Tỷ lệ giao dịch số"].direction == "decrease"
    assert by_name["Số lượt truy cập"].baseline == Decimal("1.25")
    task = db.session.scalar(select(Task).where(Task.pilot_id == pilot.id))
    assert task.priority == "high" and str(task.due_date) == "2027-04-15"


def test_errors_name_the_column_by_its_vietnamese_header(world, login):
    client = login(world.lead_p)
    rows = [
        _row(reference="E-1", kind="pilot", title="Sai", unit="XX", owner="lead@pd.gov.vn"),
        _row(reference="E-1", kind="kpi", title="", baseline="mười", target="5"),
        _row(reference="E-2", kind="dự án", title="Loại lạ"),
    ]
    html = _upload(client, xlsx(rows)).get_data(as_text=True)
    assert "Mã đơn vị: Không có đơn vị này." in html
    assert "Tên: Trường này là bắt buộc." in html
    assert "Giá trị ban đầu: " in html
    assert "Loại dòng phải là thí điểm, chỉ số KPI hoặc nhiệm vụ." in html
    header = _upload(client, "\ufeffTên,Ghi chú\r\nA,B".encode(), "h.csv")
    assert "Số tham chiếu, Loại dòng" in header.get_data(as_text=True)


def test_a_dry_run_lists_every_row_with_its_errors_in_vietnamese(world, login):
    client = login(world.lead_p)
    rows = [
        _row(reference="B-1", kind="pilot", title="Đơn vị sai", unit="XX", owner="lead@pd.gov.vn"),
        _row(
            reference="B-2",
            kind="pilot",
            title="Ngày sai",
            unit="P-D",
            owner="lead@pd.gov.vn",
            start_date="31/02/2027",
        ),
        _row(reference="B-3", kind="pilot", title="Thiếu chủ trì", unit="P-D"),
        _row(reference="B-9", kind="task", title="Việc lạc", due_date="hôm qua"),
        _row(reference="B-2", kind="kpi", title="Chỉ số phẳng", baseline="5", target="5"),
        _row(
            reference="B-4",
            kind="pilot",
            title="Sai đơn vị quyền",
            unit="Q",
            owner="lead@pd.gov.vn",
        ),
    ]
    before = _count(Pilot)
    response = _upload(client, xlsx(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Không có đơn vị này." in html
    assert "Ngày bắt đầu: Hãy nhập ngày theo dạng 31/12/2026." in html
    assert "Trường này là bắt buộc." in html
    assert "B-9" in html and "Không có dòng thí điểm" in html
    assert "Mục tiêu phải khác giá trị ban đầu." in html
    assert "không được đăng ký thí điểm tại đơn vị" in html.lower()
    assert 'name="token"' not in html
    assert _count(Pilot) == before


def test_commit_creates_pilots_with_kpis_and_tasks_then_a_reimport_adds_nothing(world, login):
    client = login(world.lead_p)
    pilots, kpis, tasks = _count(Pilot), _count(Kpi), _count(Task)
    for data, name in ((xlsx(GOOD), "pilots.xlsx"), (csv_bytes(GOOD), "pilots.csv")):
        response = _upload(client, data, name)
        assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
        assert _commit(client, response.get_data(as_text=True)).status_code == 302
    created = db.session.scalar(select(Pilot).where(Pilot.reference == "IMP-1"))
    assert created.stage == "draft" and created.unit.code == "P-D"
    assert str(created.start_date) == "2027-04-01"
    assert _count(Pilot) == pilots + 2
    assert (_count(Kpi), _count(Task)) == (kpis + 1, tasks + 1)
    again = _upload(client, xlsx(GOOD)).get_data(as_text=True)
    assert "Đã nhập trước đây" in again or "Already imported" in again


def test_commit_checks_again_and_writes_nothing_if_anything_fails(world, login):
    client = login(world.lead_p)
    response = _upload(client, xlsx(GOOD))
    assert response.status_code == 200
    world.staff.is_active_account = False  # the task's assignee leaves between check and commit
    db.session.commit()
    before = (_count(Pilot), _count(Kpi), _count(Task))
    assert _commit(client, response.get_data(as_text=True)).status_code == 302
    assert (_count(Pilot), _count(Kpi), _count(Task)) == before


def test_hostile_cells_are_kept_as_text_and_neutralised_on_export(world, login):
    client = login(world.lead_p)
    rows = [
        _row(
            reference="H-1",
            kind="pilot",
            title="=cmd|' /C calc'!A0",
            unit="P-D",
            owner="lead@pd.gov.vn",
            summary="a\x00b\x07c",
        ),
    ]
    response = _upload(client, csv_bytes(rows), "h.csv")
    assert response.status_code == 200
    _commit(client, response.get_data(as_text=True))
    pilot = db.session.scalar(select(Pilot).where(Pilot.reference == "H-1"))
    assert pilot.title == "=cmd|' /C calc'!A0" and pilot.summary == "abc"
    exported = client.get("/exports/pilots.csv").get_data(as_text=True)
    assert "'=cmd|" in exported


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "x.xlsx", "Excel"),
        (b"\xff\xfe\x00bad", "x.csv", "UTF-8"),
        (b"title\nabc", "x.txt", ".xlsx"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(world, login, data, name, message):
    response = _upload(login(world.lead_p), data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_oversize_file_is_refused(app, world, login):
    app.config["PILOTMGR_IMPORT_MAX_MB"] = 1
    response = _upload(login(world.lead_p), b"x" * (1024 * 1024 + 10), "big.csv")
    assert response.status_code == 413
    assert "1 MB" in response.get_data(as_text=True)


def test_staff_may_not_import(world, login):
    client = login(world.staff)
    assert client.get("/import").status_code == 403
    assert _upload(client, xlsx(GOOD)).status_code == 403
