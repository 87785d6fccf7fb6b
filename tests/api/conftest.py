"""API test helpers and `org`; `world` is the suite's own (tests/conftest.py)."""

from __future__ import annotations

import pytest

from pilotmgr.api import PROBLEM


def is_problem(response, status: int) -> bool:
    """An RFC 9457 answer with the given status."""
    data = response.get_json(silent=True) or {}
    return (
        response.status_code == status
        and response.mimetype == "application/problem+json"
        and data.get("status") == status
        and bool(data.get("title"))
    )


@pytest.fixture
def org(make):
    ministry = make.unit("BO", "Bộ Tài chính")
    dept = make.unit("BO-CNTT", "Cục Tin học", parent=ministry)
    province = make.unit("TINH-BN", "UBND tỉnh Bắc Ninh")
    return {
        "ministry": ministry,
        "dept": dept,
        "province": province,
        "admin": make.user("admin", ministry, email="admin@example.vn"),
        "head": make.user("head", dept, email="head@example.vn"),
        "lead": make.user("lead", dept, email="lead@example.vn"),
        "staff": make.user("staff", dept, email="staff@example.vn"),
        "viewer": make.user("viewer", dept, email="viewer@example.vn"),
        "head_bn": make.user("head", province, email="head.bn@example.vn"),
        "lead_bn": make.user("lead", province, email="lead.bn@example.vn"),
    }


def assert_problem(response, status: int, *fields: str) -> dict:
    """An RFC 9457 answer with `status`; `fields` must be keys of its `errors`."""
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.mimetype == PROBLEM
    data = response.get_json()
    assert data["status"] == status
    assert data["title"] and isinstance(data["detail"], str)
    for name in fields:
        assert name in data.get("errors", {}), data
    return data


def assert_page(data: dict, total: int | None = None) -> list:
    assert set(data) >= {"items", "total", "page", "per_page"}
    if total is not None:
        assert data["total"] == total
    return data["items"]
