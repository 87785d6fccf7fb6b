"""For the task tests: a province with a department running one pilot, its owner, a head
above, staff doing its tasks, a viewer and someone from elsewhere."""

from __future__ import annotations

from types import SimpleNamespace


def task_org(make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-KHCN", "Sở Khoa học và Công nghệ Bắc Ninh", parent=province)
    other = make.unit("QNH", "Tỉnh Quảng Ninh")
    o = SimpleNamespace(province=province, department=department, other=other)
    o.head = make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    o.lead = make.user("lead", department, email="nam@bacninh.gov.vn", name="Nguyễn Hoàng Nam")
    o.staff = make.user("staff", department, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")
    o.staff2 = make.user("staff", department, email="tung@bacninh.gov.vn", name="Ngô Văn Tùng")
    o.viewer = make.user("viewer", province, email="xem@bacninh.gov.vn", name="Người theo dõi")
    o.outsider = make.user("staff", other, email="hoa@quangninh.gov.vn", name="Lê Thị Hoa")
    o.pilot = make.pilot(
        "piloting", owner=o.lead, unit_=department, title="Tổ công nghệ số cộng đồng Gia Bình"
    )
    o.task = make.task(
        o.pilot,
        assignee=o.staff,
        title="Khảo sát mức độ hài lòng",
        deliverable="Phiếu khảo sát và tổng hợp",
        due_date=make.days(14),
    )
    return o
