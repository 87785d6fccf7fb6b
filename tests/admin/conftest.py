"""An organisation for the administration pages: a ministry, two provinces, their people."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture
def org(make):
    ministry = make.unit("BO", "Bộ Khoa học và Công nghệ")
    bn = make.unit("BNH", "Tỉnh Bắc Ninh", ministry)
    bn_dept = make.unit("BNH-KHCN", "Sở Khoa học và Công nghệ Bắc Ninh", bn)
    bn_div = make.unit("BNH-KHCN-P1", "Phòng Quản lý công nghệ", bn_dept)
    hn = make.unit("HNI", "Thành phố Hà Nội", ministry)
    o = SimpleNamespace(ministry=ministry, bn=bn, bn_dept=bn_dept, bn_div=bn_div, hn=hn)
    o.admin = make.user("admin", ministry, email="admin@bo.gov.vn", name="Quản trị hệ thống")
    o.head_bn = make.user("head", bn, email="head@bacninh.gov.vn", name="Phạm Đức Long")
    o.lead_bn = make.user("lead", bn_dept, email="lan@bacninh.gov.vn", name="Nguyễn Thị Lan")
    o.staff_bn = make.user("staff", bn_dept, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")
    o.staff_hn = make.user("staff", hn, email="trang@hanoi.gov.vn", name="Đặng Thu Trang")
    return o
