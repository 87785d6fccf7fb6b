"""API: a pilot's rollout targets — planned by level (with a preview), updated one by one or
ticked together, removed before they start — through the same services as the pages."""

from __future__ import annotations

from pilotmgr.api import body, created, ok, page_params, user
from pilotmgr.core.pagination import paginate
from pilotmgr.core.routes import Routes
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots
from pilotmgr.rollout import bulk, planning, service
from pilotmgr.rollout.models import RolloutTarget

#: Attached to the API blueprint by the app factory.
routes = Routes()


def target_json(t: RolloutTarget, people: dict) -> dict:
    responsible = people.get(t.responsible_id)
    return {
        "id": t.id,
        "pilot_id": t.pilot_id,
        "unit": t.unit.code,
        "unit_name": t.unit.name,
        "responsible": responsible.email if responsible else None,
        "due_date": t.due_date.isoformat() if t.due_date else None,
        "status": t.status,
        "note": t.note,
        "blocked_reason": t.blocked_reason,
        "wave": t.wave,
        "done_on": t.done_on.isoformat() if t.done_on else None,
        "version": t.version,
    }


def _many(targets) -> list[dict]:
    people = service.people(t.responsible_id for t in targets)
    return [target_json(t, people) for t in targets]


@routes.get("/pilots/<pilot_id>/rollout/targets")
def list_rollout_targets(pilot_id):
    pilot = pilots.get_pilot(user(), pilot_id)
    page, per_page = page_params()
    found = paginate(service.targets_query(pilot), page, per_page)
    return {
        "items": _many(found.items),
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }


@routes.post("/pilots/<pilot_id>/rollout/preview")
def preview_rollout_plan(pilot_id):
    pilot = pilots.get_pilot(user(), pilot_id)
    plan = planning.preview(user(), pilot, body())
    items = [
        {
            "unit": r.unit.code,
            "unit_name": r.unit.name,
            "kind": r.unit.kind,
            "already_targeted": r.taken,
            "responsible": r.responsible.email if r.responsible else None,
        }
        for r in plan.rows
    ]
    return ok(
        {
            "items": items,
            "new": len(plan.new_rows),
            "without_responsible": [r.unit.code for r in plan.nobody],
        }
    )


@routes.post("/pilots/<pilot_id>/rollout/targets")
def add_rollout_targets(pilot_id):
    pilot = pilots.get_pilot(user(), pilot_id)
    return created({"items": _many(planning.plan_targets(user(), pilot, body()))})


@routes.post("/pilots/<pilot_id>/rollout/bulk")
def bulk_update_rollout_targets(pilot_id):
    pilot = pilots.get_pilot(user(), pilot_id)
    return ok({"items": _many(bulk.bulk_update(user(), pilot, body()))})


@routes.patch("/rollout-targets/<target_id>")
def update_rollout_target(target_id):
    found = service.get_target(user(), target_id)
    service.update_target(user(), found, body())
    return ok(_many([found])[0])


@routes.delete("/rollout-targets/<target_id>")
def remove_rollout_target(target_id):
    found = service.get_target(user(), target_id)
    planning.remove_target(user(), found, body())
    db.session.commit()
    return "", 204
