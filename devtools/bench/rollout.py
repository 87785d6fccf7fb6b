"""`flask bench`: the rollout board of a pilot rolled out to 714 units (34 provinces and 20
departments in each), and the programme-wide rollout page. Query counts must stay flat."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from pilotmgr.core.clock import local_today
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.stages import Stage
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

DEPARTMENTS_PER_PROVINCE = 20
STATUSES = ("done", "done", "done", "in_progress", "planned", "blocked")


def run(ctx) -> None:
    users = ctx.seed_users()
    head = users["head"]
    pilot = db.session.get(Pilot, ctx.pilots[0].id)
    pilot.stage = Stage.rolling_out
    pilot.rollout_guide = "Bước 1: cử đầu mối. Bước 2: kết nối dữ liệu. Bước 3: vận hành."
    units = _departments(ctx)
    today = local_today()
    rows = [
        {
            "pilot_id": pilot.id,
            "unit_id": unit_id,
            "responsible_id": head.id if n % 3 else users["staff"].id,
            "due_date": today + timedelta(days=(n % 90) - 45),
            "status": STATUSES[n % len(STATUSES)],
            "note": "Đã triển khai theo hướng dẫn" if n % 4 == 0 else "",
            "blocked_reason": "Chưa có kinh phí"
            if STATUSES[n % len(STATUSES)] == "blocked"
            else "",
            "wave": 1 if n < len(units) // 2 else 2,
            "done_on": today - timedelta(days=n % 60)
            if STATUSES[n % len(STATUSES)] == "done"
            else None,
            "version": 1,
            "created_at": pilot.created_at,
        }
        for n, unit_id in enumerate(units)
    ]
    db.session.execute(insert(RolloutTarget), rows)
    db.session.commit()
    client = ctx.client(head)
    province = db.session.get(Unit, ctx.seeded.province_ids[0])
    print(f"  rollout board over {len(rows)} targets")
    ctx.measure("rollout_board", lambda: client.get(f"/pilots/{pilot.id}/rollout"))
    ctx.measure(
        "rollout_board_province",
        lambda: client.get(f"/pilots/{pilot.id}/rollout?parent={province.code}"),
    )
    ctx.measure("rollout_index", lambda: client.get("/rollout"))


def _departments(ctx) -> list[int]:
    """Every province, and 20 departments under each (the seed's, topped up): their ids."""
    provinces = list(db.session.scalars(select(Unit).where(Unit.id.in_(ctx.seeded.province_ids))))
    ids = []
    for province in provinces:
        have = list(db.session.scalars(select(Unit.id).where(Unit.parent_id == province.id)))
        extra = [
            Unit(
                code=f"{province.code}-PB{n}",
                name=f"Phòng ban {n} — {province.name}",
                parent_id=province.id,
                path="",
            )
            for n in range(DEPARTMENTS_PER_PROVINCE - len(have))
        ]
        db.session.add_all(extra)
        db.session.flush()
        for unit in extra:
            unit.path = f"{province.path}{unit.id}/"
        ids += [province.id, *have, *(u.id for u in extra)]
    db.session.flush()
    return ids
