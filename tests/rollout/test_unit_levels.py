"""Unit levels: read from the name when not given, through the service, the API and the CLI;
existing units get theirs when the database is upgraded; the demo's are right."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from config import TestConfig
from pilotmgr import create_app
from pilotmgr.extensions import db
from pilotmgr.units.models import Unit
from pilotmgr.units.service import create_unit, infer_kind
from tests.api.conftest import assert_problem


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Bộ Khoa học và Công nghệ", "ministry"),
        ("Tỉnh Bắc Ninh", "province"),
        ("Thành phố Hồ Chí Minh", "province"),
        ("UBND tỉnh Quảng Ninh", "province"),
        ("TP. Đà Nẵng", "province"),
        ("Cục Chuyển đổi số quốc gia", "agency"),
        ("Văn phòng Bộ", "agency"),
        ("Vụ Tổ chức cán bộ", "agency"),
        ("Thanh tra Bộ", "agency"),
        ("Sở Y tế Hà Nội", "department"),
        ("Phòng Kế hoạch – Tài chính", "division"),
        ("Chi cục Thuế khu vực I", "division"),
        ("Bộ phận một cửa", "division"),
        ("  sở   tài chính  ", "department"),
        ("Bệnh viện Đa khoa tỉnh", ""),
        ("Bộphận", ""),
    ],
)
def test_the_level_is_read_from_the_beginning_of_the_name(name, kind):
    assert infer_kind(name) == kind


def test_create_unit_reads_the_level_unless_it_is_given(app):
    ministry = create_unit(None, {"code": "BO", "name": "Bộ Tài chính"})
    said = create_unit(None, {"code": "X", "name": "Trung tâm dữ liệu", "kind": "agency"})
    unsaid = create_unit(None, {"code": "Y", "name": "Trung tâm dữ liệu 2"})
    assert (ministry.kind, said.kind, unsaid.kind) == ("ministry", "agency", "")


def test_the_api_takes_an_optional_level_and_filters_by_it(app, api, make):
    admin = make.user("admin", make.unit("BO", "Bộ Khoa học và Công nghệ"))
    caller = api(admin)
    body = {"code": "QNI", "name": "Tỉnh Quảng Ninh", "parent": "BO"}
    assert caller.post("/units", json=body).get_json()["kind"] == "province"
    body = {"code": "TT", "name": "Trung tâm CNTT", "parent": "BO", "kind": "agency"}
    assert caller.post("/units", json=body).get_json()["kind"] == "agency"
    response = caller.post("/units", json={"code": "Z", "name": "Z", "kind": "district"})
    assert_problem(response, 422, "kind")
    assert response.get_json()["errors"]["kind"] == ["Hãy chọn một cấp trong danh sách."]
    listed = caller.get("/units?kind=province").get_json()["items"]
    assert [u["code"] for u in listed] == ["QNI"]


def test_the_cli_takes_a_level(app, runner):
    result = runner.invoke(args=["units", "create", "--code", "BO", "--name", "Bộ Tài chính"])
    assert result.exit_code == 0 and "(ministry)" in result.output
    result = runner.invoke(
        args=["units", "create", "--code", "TT", "--name", "Trung tâm", "--kind", "agency"]
    )
    assert result.exit_code == 0
    assert db.session.scalar(select(Unit.kind).where(Unit.code == "TT")) == "agency"
    result = runner.invoke(
        args=["units", "create", "--code", "Q", "--name", "Q", "--kind", "district"]
    )
    assert result.exit_code != 0


def test_upgrading_gives_existing_units_their_level(tmp_path):
    uri = f"sqlite:///{tmp_path / 'levels.sqlite'}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = uri

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0011")
        engine = create_engine(uri)
        with engine.begin() as conn:
            for n, name in enumerate(("Tỉnh Lào Cai", "Sở Y tế Lào Cai", "Trung tâm"), start=1):
                conn.execute(
                    text(
                        "INSERT INTO units (id, code, name, path, kind, is_active, version, "
                        "created_at) VALUES (:id, :code, :name, :path, '', 1, 1, "
                        "'2026-01-01 00:00:00')"
                    ),
                    {"id": n, "code": f"U{n}", "name": name, "path": f"/{n}/"},
                )
        upgrade(revision="0012")
        with engine.connect() as conn:
            kinds = dict(conn.execute(text("SELECT code, kind FROM units")).all())
        engine.dispose()
        db.engine.dispose()
    assert kinds == {"U1": "province", "U2": "department", "U3": ""}


def test_the_demo_names_departments_after_their_place_and_gives_every_unit_a_level(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    names = dict(db.session.execute(select(Unit.code, Unit.name)).all())
    assert names["HNI-YT"] == "Sở Y tế Hà Nội"
    assert names["BNH-YT"] == "Sở Y tế Bắc Ninh"
    assert names["HCM-TC"] == "Sở Tài chính Hồ Chí Minh"
    assert not any(n.startswith("Sở ") and " phố " in n for n in names.values())
    kinds = dict(db.session.execute(select(Unit.code, Unit.kind)).all())
    assert "" not in kinds.values()
    provinces = [c for c, k in kinds.items() if k == "province"]
    assert len(provinces) == 34
    assert kinds["BO-CDS"] == kinds["BO-VP"] == "agency"
