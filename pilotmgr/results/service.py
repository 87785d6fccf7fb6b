"""Results: measurements and their review, attainment, evaluations, and the KPI verdicts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from pilotmgr.auth.models import Role, User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority, in_subtree, is_admin, require
from pilotmgr.core.charts import kpi_chart
from pilotmgr.core.clock import local_today, now
from pilotmgr.core.errors import NotFound, ValidationFailed, check_version
from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.pilots.lifecycle import RECORDING
from pilotmgr.pilots.models import Kpi, Pilot, Task
from pilotmgr.pilots.permissions import can_edit_pilot, can_view_pilot
from pilotmgr.results.attainment import Attainment, attainment, mean_attainment
from pilotmgr.results.evaluations import can_evaluate, composite, weights_for
from pilotmgr.results.models import (
    CRITERIA,
    Evaluation,
    KpiVerdict,
    Measurement,
)

RECORDING_STAGES = RECORDING
VERDICTS = ("met", "not_met", "inconclusive")


# --- who may ------------------------------------------------------------------------------


def can_record(user, pilot) -> bool:
    """Owner, heads, task assignees, and staff or leads of the pilot's unit record values."""
    if pilot.stage not in RECORDING_STAGES:
        return False
    if can_edit_pilot(user, pilot):
        return True
    if user.role in (Role.staff, Role.lead) and in_subtree(pilot.unit, user.unit):
        return True
    return bool(
        db.session.scalar(
            select(exists().where(Task.pilot_id == pilot.id, Task.assignee_id == user.id))
        )
    )


def can_review(user, pilot, measurement=None) -> bool:
    """The owner or a head with authority; nobody but a head approves their own value."""
    if not (pilot.owner_id == user.id or has_authority(user, pilot.unit)):
        return False
    if measurement is not None and measurement.submitted_by_id == user.id:
        return has_authority(user, pilot.unit)
    return True


def require_can_record(user, pilot, message=None) -> None:
    require(
        can_record(user, pilot), str(message or _l("You may not record values for this pilot."))
    )


def require_can_review(user, pilot, measurement=None) -> None:
    require(can_review(user, pilot, measurement), str(_l("You may not review this value.")))


def require_head(user, pilot) -> None:
    """Verdicts and evaluators are for heads with authority over the pilot's unit."""
    require(
        has_authority(user, pilot.unit),
        str(_l("Only heads with authority over the pilot's unit do this.")),
    )


# --- measurements ---------------------------------------------------------------------------


class MeasurementInput(v.Input):
    """A KPI value as measured on a day; `corrects` names the earlier value it replaces."""

    value = v.decimal(required=True)
    measured_on = v.iso_date(required=True)
    note = v.prose(2000)
    corrects = v.row_ref()
    reason = v.prose(2000)


class ReviewInput(v.Input):
    """Approve a submitted value, or reject it with a reason; `version` if the caller read it."""

    decision = v.choice(("approve", "reject"), required=True)
    comment = v.prose(2000)
    version = v.row_ref()


def get_kpi(user, kpi_id) -> tuple[Kpi, Pilot]:
    kpi = db.session.get(Kpi, n) if (n := v.row_id(kpi_id)) else None
    pilot = db.session.get(Pilot, kpi.pilot_id) if kpi else None
    if pilot is None or not can_view_pilot(user, pilot):
        raise NotFound()
    return kpi, pilot


def record_measurement(actor, kpi: Kpi, pilot: Pilot, data: Mapping) -> Measurement:
    require_can_record(actor, pilot)
    values = v.parse(data, MeasurementInput)
    if values["measured_on"] > local_today():
        raise ValidationFailed(
            {"measured_on": [str(_l("A value cannot be measured in the future."))]}
        )
    corrected = None
    if values.get("corrects"):
        corrected = db.session.get(Measurement, values["corrects"])
        if corrected is None or corrected.kpi_id != kpi.id:
            raise ValidationFailed({"corrects": [str(_l("No such value of this KPI."))]})
        if not values.get("reason"):
            raise ValidationFailed({"reason": [str(_l("Say why the value is corrected."))]})
    found = Measurement(
        kpi_id=kpi.id,
        value=values["value"],
        measured_on=values["measured_on"],
        note=values.get("note") or "",
        status="submitted",
        submitted_by_id=actor.id,
        corrects_id=corrected.id if corrected else None,
        correction_reason=values.get("reason") or "" if corrected else "",
    )
    db.session.add(found)
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=found,
        action="create",
        pilot_id=pilot.id,
        after={"name": kpi.name, "value": found.value, "measured_on": found.measured_on},
        comment=found.correction_reason,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    notify(
        "value_submitted",
        reviewers(pilot),
        cause=f"history-{entry.id}",
        actor=actor,
        pilot=pilot,
        url=f"/pilots/{pilot.id}#kpi-{kpi.id}",
        kpi=kpi.name,
        value=found.value,
        day=found.measured_on,
        reason=found.correction_reason,
    )
    return found


def reviewers(pilot: Pilot) -> list:
    """Whom a new value is put before: its owner and the nearest heads above its unit.

    Every head above the unit may review it, but a ministry's head is not told of each value
    of every province: the heads of the closest unit (at or above the pilot's) that has any.
    Nobody reviews their own value (notify never tells the actor).
    """
    from pilotmgr.auth.service import heads_of

    heads = heads_of(pilot.unit)
    depth = {int(part): n for n, part in enumerate(pilot.unit.path.strip("/").split("/"))}
    nearest = max((depth.get(h.unit_id, -1) for h in heads), default=None)
    return [pilot.owner_id, *(h for h in heads if depth.get(h.unit_id, -1) == nearest)]


def get_measurement(user, measurement_id) -> tuple[Measurement, Kpi, Pilot]:
    found = db.session.get(Measurement, n) if (n := v.row_id(measurement_id)) else None
    if found is None:
        raise NotFound()
    kpi, pilot = get_kpi(user, found.kpi_id)
    return found, kpi, pilot


def review_measurement(actor, found: Measurement, kpi: Kpi, pilot: Pilot, data: Mapping):
    require_can_review(actor, pilot, found)
    values = v.parse(data, ReviewInput)
    if values["version"] is not None:
        check_version(found, values["version"])
    if values["decision"] == "reject" and not values.get("comment"):
        raise ValidationFailed({"comment": [str(_l("Say why the value is rejected."))]})
    if found.status != "submitted":
        raise ValidationFailed({"decision": [str(_l("This value was already reviewed."))]})
    found.status = "approved" if values["decision"] == "approve" else "rejected"
    found.reviewed_by_id, found.reviewed_at = actor.id, now()
    found.review_comment = values.get("comment") or ""
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=found,
        action="update",
        pilot_id=pilot.id,
        before={"status": "submitted"},
        after={"name": kpi.name, "status": found.status},
        comment=found.review_comment,
        unit_code=pilot.unit.code,
    )
    if found.status == "rejected":
        db.session.flush()
        notify(
            "value_rejected",
            [found.submitted_by_id],
            cause=f"history-{entry.id}",
            actor=actor,
            pilot=pilot,
            url=f"/pilots/{pilot.id}#kpi-{kpi.id}",
            kpi=kpi.name,
            value=found.value,
            day=found.measured_on,
            reason=found.review_comment,
        )
    return found


# --- what a pilot achieved -------------------------------------------------------------------


@dataclass
class KpiResult:
    kpi: Kpi
    measurements: list  # every value, newest first, for the table
    attainment: Attainment
    verdict: KpiVerdict | None
    approved: list  # the approved values, oldest first: what attainment and the chart count

    @property
    def chart(self) -> str:
        """The approved values against baseline and target, as SVG: drawn only when shown."""
        return kpi_chart(
            [(m.measured_on, m.value) for m in self.approved],
            self.kpi.baseline,
            self.kpi.target,
            name=self.kpi.name,
        )


def approved_by_kpi(kpi_ids) -> dict[int, list[Measurement]]:
    found = defaultdict(list)
    if not kpi_ids:
        return found
    for m in db.session.scalars(
        select(Measurement)
        .where(Measurement.kpi_id.in_(kpi_ids), Measurement.status == "approved")
        .order_by(Measurement.measured_on, Measurement.id)
    ):
        found[m.kpi_id].append(m)
    return found


def kpi_results(pilot: Pilot, kpis: list[Kpi]) -> list[KpiResult]:
    """Per KPI: every value, attainment from approved values only, the verdict, a chart."""
    ids = [k.id for k in kpis]
    every = defaultdict(list)
    if ids:
        for m in db.session.scalars(
            select(Measurement)
            .where(Measurement.kpi_id.in_(ids))
            .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        ):
            every[m.kpi_id].append(m)
    approved = {
        k: sorted([m for m in ms if m.status == "approved"], key=_order) for k, ms in every.items()
    }
    verdicts = (
        {
            r.kpi_id: r
            for r in db.session.scalars(select(KpiVerdict).where(KpiVerdict.kpi_id.in_(ids)))
        }
        if ids
        else {}
    )
    results = []
    for kpi in kpis:
        values = approved.get(kpi.id, [])
        results.append(
            KpiResult(
                kpi=kpi,
                measurements=every.get(kpi.id, []),
                attainment=attainment(kpi, values),
                verdict=verdicts.get(kpi.id),
                approved=values,
            )
        )
    return results


def _order(m: Measurement):
    return (m.measured_on, m.id)


def people_by_id(ids) -> dict[int, User]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def set_verdict(actor, kpi: Kpi, pilot: Pilot, computed: str, data: Mapping) -> KpiVerdict:
    """The selecting head confirms the computed verdict, or overrides it with a reason."""
    require_head(actor, pilot)
    values = v.parse(data, {"verdict": v.choice(VERDICTS, required=True), "reason": v.prose(2000)})
    if values["verdict"] != computed and not values.get("reason"):
        raise ValidationFailed(
            {"reason": [str(_l("Say why the verdict differs from the computed one."))]}
        )
    found = db.session.get(KpiVerdict, kpi.id) or KpiVerdict(kpi_id=kpi.id)
    found.computed, found.verdict = computed, values["verdict"]
    found.reason, found.decided_by_id = values.get("reason") or "", actor.id
    db.session.add(found)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=kpi,
        action="update",
        pilot_id=pilot.id,
        before={"verdict": computed},
        after={"name": kpi.name, "verdict": found.verdict},
        comment=found.reason,
        unit_code=pilot.unit.code,
    )
    return found


def pilot_results(user, pilot: Pilot) -> dict:
    """Everything the pilot page shows about results, in a fixed number of queries."""
    kpis = sorted(pilot.kpis, key=lambda k: k.id)
    results = kpi_results(pilot, kpis)
    evaluations = list(
        db.session.scalars(
            select(Evaluation).where(Evaluation.pilot_id == pilot.id).order_by(Evaluation.id)
        )
    )
    from pilotmgr.pilots.models import Challenge

    challenge = db.session.get(Challenge, pilot.challenge_id) if pilot.challenge_id else None
    weights = weights_for(challenge.programme_id if challenge else None)
    people = people_by_id(
        [m.submitted_by_id for r in results for m in r.measurements]
        + [e.evaluator_id for e in evaluations]
    )
    return {
        "kpis": results,
        "mean_attainment": mean_attainment([r.attainment for r in results]),
        "evaluations": evaluations,
        "composite": composite(evaluations, weights),
        "people": people,
        "can_record": can_record(user, pilot),
        "can_review": can_review(user, pilot),
        "can_evaluate": can_evaluate(user, pilot),
        "my_evaluation": next((e for e in evaluations if e.evaluator_id == user.id), None),
        "is_head": has_authority(user, pilot.unit) or is_admin(user),
        "criteria": CRITERIA,
    }
