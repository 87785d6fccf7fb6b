"""KPI attainment: how far the latest approved value has come from the baseline toward the target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: Fewer approved values than this and a KPI's verdict is "inconclusive".
MIN_VALUES_FOR_VERDICT = 2


@dataclass(frozen=True)
class Attainment:
    latest: Decimal | None
    latest_on: date | None
    percent: Decimal | None
    status: str  # met / partly / not_met / no_data
    verdict: str  # met / not_met / inconclusive
    values: int


def percent(baseline, target, value) -> Decimal | None:
    """Direction-aware: baseline 40, target 65, value 60 → 80 %; 100 → 50 after 80 → 60 %."""
    if baseline is None or target is None or value is None or target == baseline:
        return None
    return (Decimal(value) - Decimal(baseline)) / (Decimal(target) - Decimal(baseline)) * 100


def status_of(pct: Decimal | None) -> str:
    if pct is None:
        return "no_data"
    if pct >= 100:
        return "met"
    return "partly" if pct > 0 else "not_met"


def attainment(kpi, approved: list) -> Attainment:
    """`approved`: the KPI's approved measurements, oldest first (by date, then entry)."""
    latest = approved[-1] if approved else None
    pct = percent(kpi.baseline, kpi.target, latest.value) if latest else None
    status = status_of(pct)
    if len(approved) < MIN_VALUES_FOR_VERDICT or pct is None:
        verdict = "inconclusive"
    else:
        verdict = "met" if pct >= 100 else "not_met"
    return Attainment(
        latest=latest.value if latest else None,
        latest_on=latest.measured_on if latest else None,
        percent=pct.quantize(Decimal("0.1")) if pct is not None else None,
        status=status,
        verdict=verdict,
        values=len(approved),
    )


def mean_attainment(items: list[Attainment]) -> Decimal | None:
    """Mean over the KPIs that have a value, each capped at 150 % so one outlier cannot carry."""
    found = [min(a.percent, Decimal(150)) for a in items if a.percent is not None]
    if not found:
        return None
    return (sum(found) / len(found)).quantize(Decimal("0.1"))
