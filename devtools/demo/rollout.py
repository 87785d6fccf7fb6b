"""Demo: one pilot rolling out to all 34 provinces in two waves, one scaled with its regulation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from devtools.demo import catalog
from pilotmgr.extensions import db
from pilotmgr.pilots.stages import Stage
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.rollout.service import heads_of

GUIDE = """1. Giao một lãnh đạo Sở phụ trách, cử đầu mối kỹ thuật (trong 5 ngày làm việc).
2. Rà soát quy trình cấp đổi giấy phép lái xe của tỉnh theo mẫu quy trình chuẩn.
3. Kết nối dữ liệu khám sức khỏe điện tử và CSDL quốc gia về dân cư qua nền tảng NDXP.
4. Tập huấn cán bộ một cửa; mở dịch vụ toàn trình trên Cổng Dịch vụ công.
5. Sau 30 ngày, báo cáo tỷ lệ hồ sơ trực tuyến toàn trình và đính kèm minh chứng."""

BLOCKED = "Chưa có kết nối dữ liệu khám sức khỏe điện tử với các bệnh viện tuyến huyện."


def add_demo_data(ctx) -> None:
    rolling = ctx.pilots.get("cds_online")
    if rolling is not None and rolling.stage == Stage.rolling_out:
        _all_provinces(ctx, rolling)
    scaled = ctx.pilots.get("cds_data")
    if scaled is not None and scaled.stage == Stage.scaled:
        scaled.regulation_title = "Quyết định ban hành quy chế khai thác dữ liệu dân cư trong giải quyết thủ tục hành chính"
        scaled.rollout_guide = "Dùng dữ liệu dân cư để tự điền tờ khai; không yêu cầu bản sao."
        _done_days(ctx, scaled, start=-200)
    db.session.flush()


def _all_provinces(ctx, pilot) -> None:
    """Wave 1 is the demo catalogue's eight provinces; wave 2, every other province, later."""
    pilot.rollout_guide = GUIDE
    pilot.success_formula = pilot.success_formula or "Dữ liệu có sẵn thì không bắt dân khai lại"
    targeted = set(
        db.session.scalars(select(RolloutTarget.unit_id).where(RolloutTarget.pilot_id == pilot.id))
    )
    rest = [
        ctx.units[code] for code, _name in catalog.PROVINCES if ctx.units[code].id not in targeted
    ]
    heads = heads_of(u.id for u in rest)
    for index, unit in enumerate(rest):
        head = heads.get(unit.id)
        db.session.add(
            RolloutTarget(
                pilot_id=pilot.id,
                unit_id=unit.id,
                responsible_id=head.id if head else None,
                due_date=ctx.today + timedelta(days=60 + 3 * index),
                wave=2,
                status="planned",
            )
        )
    _bac_ninh_still_working(ctx, pilot)
    _done_days(ctx, pilot, start=-40)
    open_ones = db.session.scalars(
        select(RolloutTarget)
        .where(RolloutTarget.pilot_id == pilot.id, RolloutTarget.status == "in_progress")
        .order_by(RolloutTarget.id)
    ).first()
    if open_ones is not None:
        open_ones.status = "blocked"
        open_ones.blocked_reason = BLOCKED


def _bac_ninh_still_working(ctx, pilot) -> None:
    """Bắc Ninh (whose head can log in) is still at work; Huế finished in its place."""
    by_unit = {
        t.unit_id: t
        for t in db.session.scalars(select(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    }
    bac_ninh, hue = by_unit.get(ctx.units["BNH"].id), by_unit.get(ctx.units["HUE"].id)
    if bac_ninh is not None and hue is not None and bac_ninh.status == "done":
        bac_ninh.status, hue.status = "in_progress", "done"
        bac_ninh.note = "Đã kết nối dữ liệu dân cư; đang tập huấn bộ phận một cửa."


def _done_days(ctx, pilot, start: int) -> None:
    """Give done targets the days they were done, a week apart, so progress has a history."""
    done = db.session.scalars(
        select(RolloutTarget)
        .where(RolloutTarget.pilot_id == pilot.id, RolloutTarget.status == "done")
        .order_by(RolloutTarget.id)
    )
    for index, target in enumerate(done):
        target.done_on = ctx.today + timedelta(days=start + 7 * index)
        target.note = target.note or "Đã vận hành; có biên bản nghiệm thu."
