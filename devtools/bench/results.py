"""`flask bench`: a challenge comparison over 20 pilots with a year of monthly values per KPI,
and a pilot page carrying those values. Query counts must not grow with the measurements."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Kpi, Pilot
from pilotmgr.pilots.stages import Stage
from pilotmgr.results.models import Evaluation, Measurement

CANDIDATES = 20
MONTHS = 12


def run(ctx) -> None:
    users = ctx.seed_users()
    head = users["head"]
    sample = ctx.pilots[0]
    programme_id = db.session.get(Challenge, sample.challenge_id).programme_id
    challenge = Challenge(
        programme_id=programme_id,
        title="Thanh toán không dùng tiền mặt tại bệnh viện (so sánh)",
        problem="Người bệnh phải xếp hàng nộp viện phí bằng tiền mặt.",
    )
    db.session.add(challenge)
    db.session.flush()
    start = date(2026, 1, 1)
    pilots = [
        Pilot(
            title=f"Thanh toán viện phí bằng mã QR — bệnh viện số {n + 1}",
            summary="Thí điểm thu viện phí không dùng tiền mặt tại quầy và trên ứng dụng.",
            challenge_id=challenge.id,
            unit_id=sample.unit_id,
            owner_id=sample.owner_id,
            start_date=start,
            end_date=start + timedelta(days=365),
            budget=Decimal(200_000_000 + n * 15_000_000),
            stage=Stage.evaluating,
            created_by_id=sample.owner_id,
        )
        for n in range(CANDIDATES)
    ]
    db.session.add_all(pilots)
    db.session.flush()
    kpis = [
        Kpi(
            pilot_id=p.id,
            name=name,
            unit="%",
            baseline=Decimal(base),
            target=Decimal(goal),
            direction="increase",
        )
        for p in pilots
        for name, base, goal in (
            ("Tỷ lệ giao dịch không dùng tiền mặt", 10, 60),
            ("Mức hài lòng của người bệnh", 60, 85),
            ("Tỷ lệ hóa đơn điện tử", 20, 90),
        )
    ]
    db.session.add_all(kpis)
    db.session.flush()
    rows = [
        {
            "kpi_id": k.id,
            "value": k.baseline
            + (k.target - k.baseline) * Decimal(month + 1) / Decimal(MONTHS) * Decimal("0.9"),
            "measured_on": start + timedelta(days=30 * month),
            "note": "",
            "status": "approved",
            "submitted_by_id": k.pilot_id and sample.owner_id,
            "reviewed_by_id": head.id,
            "review_comment": "",
            "correction_reason": "",
            "version": 1,
        }
        for k in kpis
        for month in range(MONTHS)
    ]
    db.session.execute(insert(Measurement), rows)
    db.session.add_all(
        Evaluation(
            pilot_id=p.id,
            evaluator_id=head.id,
            feasibility=3 + n % 3,
            effectiveness=2 + n % 4,
            needs_fit=4,
            cost=3,
            scalability=2 + n % 3,
            comment="",
        )
        for n, p in enumerate(pilots)
    )
    db.session.commit()
    client = ctx.client(head)
    ctx.measure(
        "challenge_comparison", lambda: client.get(f"/challenges/{challenge.id}/comparison")
    )
    ctx.measure("pilot_detail_results", lambda: client.get(f"/pilots/{pilots[0].id}"))
