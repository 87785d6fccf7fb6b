"""`flask backup` and `flask restore`: every row back byte for byte, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from config import TestConfig
from pilotmgr import create_app
from pilotmgr.core.storage import StoredFile
from pilotmgr.extensions import db
from pilotmgr.memos.models import Memo
from pilotmgr.pilots.models import Pilot
from pilotmgr.units.models import Unit
from tests.conftest import _empty_tables

# Backup and restore read and write through connections of their own.
pytestmark = pytest.mark.commits

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF"


def snapshot() -> dict:
    """Every row of every table, as the database gives it back, in key order."""
    db.session.rollback()
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        ]
        for table in db.metadata.sorted_tables
    }


def _upload(api, pilot, name="Biên bản nghiệm thu.pdf", data=PDF):
    response = api(pilot.owner).post(
        f"/pilots/{pilot.id}/evidence",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()


def _backup(runner, path) -> None:
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output


def test_a_backup_restored_into_an_empty_database_gives_back_every_pilot_file_and_memo(
    runner, api, tmp_path
):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    _upload(api, db.session.scalar(select(Pilot).where(Pilot.stage == "piloting").limit(1)))
    before = snapshot()
    _backup(runner, tmp_path / "backup.zip")
    _empty_tables()
    assert not any(snapshot().values())

    result = runner.invoke(args=["restore", str(tmp_path / "backup.zip")])

    assert result.exit_code == 0, result.output
    assert snapshot() == before
    memos = db.session.scalars(select(Memo)).all()
    files = db.session.scalars(select(StoredFile)).all()
    assert memos and all(hashlib.sha256(m.pdf).hexdigest() == m.sha256 for m in memos)
    assert PDF in {f.data for f in files}
    assert all(hashlib.sha256(f.data).hexdigest() == f.sha256 for f in files)


def test_new_rows_after_a_restore_get_fresh_ids(runner, make, tmp_path):
    make.pilot("piloting")
    _backup(runner, tmp_path / "backup.zip")
    highest = db.session.scalar(select(func.max(Pilot.id)))
    _empty_tables()
    assert runner.invoke(args=["restore", str(tmp_path / "backup.zip")]).exit_code == 0
    assert make.pilot("draft").id > highest


def test_restore_refuses_a_database_with_data_unless_forced(runner, make, tmp_path):
    make.unit("BNH", "Tỉnh Bắc Ninh")
    _backup(runner, tmp_path / "backup.zip")
    make.unit("HNI", "Thành phố Hà Nội")
    before = snapshot()

    refused = runner.invoke(args=["restore", str(tmp_path / "backup.zip")])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert snapshot() == before

    forced = runner.invoke(args=["restore", "--force", str(tmp_path / "backup.zip")])
    assert forced.exit_code == 0, forced.output
    assert db.session.scalars(select(Unit.code)).all() == ["BNH"]


def _rewritten(source, target, name: str, change) -> None:
    """A copy of the backup with one member changed (dropped when `change` answers None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == name:
                data = change(data)
            if data is not None:
                new.writestr(item, data)


def _with_manifest(source, target, **changes) -> None:
    _rewritten(source, target, "manifest.json", lambda d: json.dumps(json.loads(d) | changes))


def _dangling_pilot(data: bytes) -> bytes:
    rows = [json.loads(line) for line in data.splitlines()]
    return "\n".join(json.dumps(r | {"owner_id": 9999}) for r in rows).encode()


@pytest.mark.parametrize(
    "member, change",
    [("tables/units.jsonl", lambda _d: None), ("tables/pilots.jsonl", _dangling_pilot)],
    ids=["a table missing", "a row pointing at nobody"],
)
def test_a_damaged_backup_is_refused_and_changes_nothing(runner, make, tmp_path, member, change):
    make.pilot("piloting")
    _backup(runner, tmp_path / "backup.zip")
    _rewritten(tmp_path / "backup.zip", tmp_path / "damaged.zip", member, change)
    _empty_tables()

    result = runner.invoke(args=["restore", str(tmp_path / "damaged.zip")])

    assert result.exit_code == 1 and "nothing changed" in result.output
    assert "Traceback" not in result.output and len(result.output) < 600
    assert not any(snapshot().values())


def test_restore_refuses_a_backup_of_another_revision_and_changes_nothing(runner, make, tmp_path):
    make.unit("BNH", "Tỉnh Bắc Ninh")
    _backup(runner, tmp_path / "backup.zip")
    _with_manifest(tmp_path / "backup.zip", tmp_path / "old.zip", alembic_revision="0001")
    _empty_tables()

    result = runner.invoke(args=["restore", str(tmp_path / "old.zip")])

    assert result.exit_code != 0 and "revision 0001" in result.output
    assert "Traceback" not in result.output
    assert not any(snapshot().values())


def test_a_file_that_is_not_a_backup_is_refused_in_plain_words(runner, tmp_path):
    (tmp_path / "notes.zip").write_bytes(b"not a zip")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as other:
        other.writestr("readme.txt", "hello")
    for name in ("notes.zip", "other.zip"):
        result = runner.invoke(args=["restore", str(tmp_path / name)])
        assert result.exit_code == 1 and result.output.startswith("Error: ")
        assert "Traceback" not in result.output


def test_a_backup_moves_to_a_database_of_another_kind(runner, make, api, tmp_path):
    # On the PostgreSQL run this restores a PostgreSQL backup into SQLite.
    make.pilot("rolling_out")  # with its issued memo
    _upload(api, make.pilot("piloting"))
    before = snapshot()
    _backup(runner, tmp_path / "backup.zip")

    class Elsewhere(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
        PILOTMGR_INSTANCE_DIR = str(tmp_path / "elsewhere")

    other = create_app(Elsewhere)
    with other.app_context():
        db.create_all()
        result = other.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup.zip")])
        assert result.exit_code == 0, result.output
        after = snapshot()
        db.session.remove()
        db.engine.dispose()
    assert after == before
