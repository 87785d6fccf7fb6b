"""Bulk import under hostile files: read in linear time, bounded, DTDs refused, files not kept."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from pilotmgr.core.storage import StoredFile
from pilotmgr.exports.models import ImportUpload
from pilotmgr.exports.sheets import COLUMNS, read_rows
from pilotmgr.extensions import db
from tests.dashboard.test_import import GOOD, _commit, _upload, csv_bytes, xlsx


def wide_csv(rows: int = 2000, extra: int = 30_000) -> bytes:
    """About 124 KB: a header padded with 30,000 empty columns, then 2,000 short rows.

    Walking the whole header for each row took the reader more than 30 s.
    """
    header = ",".join(COLUMNS) + "," * extra
    body = "\r\n".join(f"TD-{i:05d},task,Kiểm tra hồ sơ tại xã {i:05d}" for i in range(rows))
    return (header + "\r\n" + body).encode()


def far_column_xlsx(rows: int = 2000) -> bytes:
    """About 27 KB: every row has one cell in the last column (XFD), so the sheet claims
    16,384 columns; padding each row to them took 8 s and 337 MB."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for r in range(2, rows + 2):
        sheet.cell(row=r, column=1, value="TD-1")
        sheet.cell(row=r, column=2, value="task")
        sheet.cell(row=r, column=16384, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_part(data: bytes, name: str, change) -> bytes:
    """The same XLSX with one XML part rewritten by `change(bytes) -> bytes`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            target.writestr(info.filename, change(part) if info.filename == name else part)
    return out.getvalue()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_wide_header_csv_reads_every_row_in_the_template_columns(app):
    data = wide_csv()
    assert 120_000 < len(data) < 140_000
    with app.test_request_context():
        rows = read_rows("wide.csv", data)
    assert len(rows) == 2000
    number, cells = rows[-1]
    assert number == 2001
    assert set(cells) == set(COLUMNS)
    assert cells["title"] == "Kiểm tra hồ sơ tại xã 01999"


def test_the_far_column_xlsx_reads_its_rows_without_the_far_cells(app):
    data = far_column_xlsx()
    assert len(data) < 30_000
    with app.test_request_context():
        rows = read_rows("far.xlsx", data)
    assert len(rows) == 2000
    assert rows[0] == (2, {**dict.fromkeys(COLUMNS, ""), "reference": "TD-1", "kind": "task"})


def test_the_worst_case_files_get_a_dry_run_page_naming_the_row_errors(world, login):
    client = login(world.lead_p)
    for data, name in ((wide_csv(), "wide.csv"), (far_column_xlsx(), "far.xlsx")):
        response = _upload(client, data, name)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "2.000 dòng, 2.000 dòng lỗi, 0 thí điểm mới." in html
        assert "Không có dòng thí điểm nào mang số tham chiếu “TD-" in html
        assert 'name="token"' not in html


def test_a_header_wider_than_the_limit_is_refused(app, world, login):
    app.config["PILOTMGR_IMPORT_MAX_COLUMNS"] = 20
    client = login(world.lead_p)
    wide = [[*COLUMNS, "a", "b", "c"], ["IMP-1", "pilot", "X"]]
    book = Workbook()
    for row in wide:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    csv_data = "\r\n".join(",".join(r) for r in wide).encode()
    for data, name in ((buffer.getvalue(), "wide.xlsx"), (csv_data, "wide.csv")):
        response = _upload(client, data, name)
        assert response.status_code == 422
        assert "Dòng tiêu đề có hơn 20 cột." in response.get_data(as_text=True)


def test_more_rows_than_the_limit_are_refused_but_empty_rows_do_not_count(app, world, login):
    app.config["PILOTMGR_IMPORT_MAX_ROWS"] = 3
    client = login(world.lead_p)
    with_blanks = [GOOD[0], [""] * len(COLUMNS), [""] * len(COLUMNS), GOOD[1], GOOD[2]]
    assert _upload(client, xlsx(with_blanks)).status_code == 200
    response = _upload(client, xlsx(GOOD), "many.xlsx")
    assert response.status_code == 422
    assert "Mỗi lần chỉ nhập được tối đa 3 dòng." in response.get_data(as_text=True)


def test_a_cell_longer_than_the_limit_is_refused_naming_row_and_column(app, world, login):
    app.config["PILOTMGR_IMPORT_MAX_CELL"] = 1200
    long_summary = [list(GOOD[0]), *GOOD[1:]]
    long_summary[0][COLUMNS.index("summary")] = "Tóm tắt " * 200
    response = _upload(login(world.lead_p), xlsx(long_summary))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Dòng 2, cột “Tóm tắt”: mỗi ô chứa tối đa 1.200 ký tự." in html


def test_a_csv_field_beyond_what_the_reader_takes_is_refused(world, login):
    data = csv_bytes([GOOD[0]]) + b'\r\nIMP-9,task,"' + b"x" * 200_000 + b'"'
    response = _upload(login(world.lead_p), data, "huge.csv")
    assert response.status_code == 422
    assert "Không đọc được dòng 3 của tệp CSV." in response.get_data(as_text=True)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"]
)
def test_an_xlsx_with_a_dtd_is_refused(world, login, part):
    def add_dtd(xml: bytes) -> bytes:
        return LAUGHS + (xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml)

    data = _with_part(xlsx(GOOD), part, add_dtd)
    response = _upload(login(world.lead_p), data)
    assert response.status_code == 422
    assert "Tệp chứa DTD" in response.get_data(as_text=True)
    assert _count(ImportUpload) == 0


def test_a_checked_file_waits_in_the_database_and_the_commit_removes_it(app, world, login):
    client = login(world.lead_p)
    data = xlsx(GOOD)
    response = _upload(client, data)
    assert response.status_code == 200
    assert _count(ImportUpload) == 1
    upload = db.session.scalar(select(ImportUpload))
    assert (upload.user_id, upload.fmt, upload.file.data) == (world.lead_p.id, "xlsx", data)
    folder = Path(app.config["PILOTMGR_UPLOAD_DIR"]) / "imports"
    assert not folder.exists() or not any(folder.iterdir())
    assert _commit(client, response.get_data(as_text=True)).status_code == 302
    assert _count(ImportUpload) == 0
    assert _count(StoredFile) == 0


def test_only_the_uploader_may_commit_a_checked_file(world, login):
    response = _upload(login(world.lead_p), xlsx(GOOD))
    other = login(world.head_p)
    committed = _commit(other, response.get_data(as_text=True))
    assert committed.status_code == 302
    assert committed.headers["Location"].endswith("/import")
    assert _count(ImportUpload) == 1


def test_checked_files_older_than_a_day_are_refused_and_purged(app, world, login, runner):
    from pilotmgr.reminders.scheduler import JOBS

    client = login(world.lead_p)
    old_page = _upload(client, xlsx(GOOD)).get_data(as_text=True)
    fresh_page = _upload(client, csv_bytes(GOOD), "again.csv").get_data(as_text=True)
    old = db.session.scalars(select(ImportUpload).order_by(ImportUpload.created_at)).first()
    old.created_at -= timedelta(hours=25)
    db.session.commit()
    assert _commit(client, old_page).headers["Location"].endswith("/import")
    assert _count(ImportUpload) == 2  # refused, not yet removed

    result = runner.invoke(args=["imports", "purge"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    assert _count(ImportUpload) == 1
    assert _count(StoredFile) == 1
    assert _commit(client, fresh_page).headers["Location"].endswith("/pilots/")
    assert any(job[0] == "imports-purge" for job in JOBS)
