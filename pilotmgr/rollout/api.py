"""API: a pilot's rollout targets — planned by level (with a preview), updated one by one or
ticked together, removed before they start — through the same services as the pages."""

from __future__ import annotations

from pilotmgr.api import body, created, ok, page_json, page_params, user
from pilotmgr.api.openapi import page_of
from pilotmgr.auth.service import email_of
from pilotmgr.core import output as o
from pilotmgr.core.pagination import PageQuery, paginate
from pilotmgr.core.routes import Routes
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots
from pilotmgr.rollout import bulk, planning, service
from pilotmgr.rollout.models import TARGET_STATUSES, RolloutTarget
from pilotmgr.units.models import UNIT_KINDS

#: Attached to the API blueprint by the app factory.
routes = Routes()


class RolloutTargetOut(o.Output):
    id = o.integer()
    pilot_id = o.integer()
    unit = o.text(attribute="unit.code")
    unit_name = o.text(attribute="unit.name")
    responsible = o.method("responsible_email", o.text(null=True))
    due_date = o.day(null=True)
    status = o.choice(TARGET_STATUSES)
    note = o.text()
    blocked_reason = o.text()
    wave = o.integer()
    done_on = o.day(null=True)
    version = o.integer()

    def responsible_email(self, target: RolloutTarget) -> str | None:
        return email_of(target.responsible_id)


class RolloutTargetsOut(o.Output):
    items = o.nested(RolloutTargetOut, many=True)


class PlanRowOut(o.Output):
    unit = o.text(attribute="unit.code")
    unit_name = o.text(attribute="unit.name")
    kind = o.choice(UNIT_KINDS, attribute="unit.kind")
    already_targeted = o.boolean(attribute="taken")
    responsible = o.method("responsible_email", o.text(null=True))

    def responsible_email(self, row) -> str | None:
        return row.responsible.email if row.responsible else None


class PlanPreviewOut(o.Output):
    items = o.nested(PlanRowOut, many=True, attribute="rows")
    new = o.method("new_count", o.integer())
    without_responsible = o.method("nobody", o.strings())

    def new_count(self, plan) -> int:
        return len(plan.new_rows)

    def nobody(self, plan) -> list[str]:
        return [r.unit.code for r in plan.nobody]


def _loaded(targets):
    """The targets, with the people answerable for them read in one query."""
    service.people(t.responsible_id for t in targets)
    return targets


@routes.get("/pilots/<pilot_id>/rollout/targets", query=PageQuery, out=page_of(RolloutTargetOut))
def list_rollout_targets(pilot_id):
    """The pilot's rollout targets, in tree order"""
    pilot = pilots.get_pilot(user(), pilot_id)
    page, per_page = page_params()
    found = paginate(service.targets_query(pilot), page, per_page)
    _loaded(found.items)
    return page_json(found, RolloutTargetOut)


@routes.post("/pilots/<pilot_id>/rollout/preview", body=planning.PlanInput, out=PlanPreviewOut)
def preview_rollout_plan(pilot_id):
    """The units a plan would reach; changes nothing

    Level: provinces, departments, children or unit (with parent or unit). It says which
    units are targets already and which would have nobody answerable.
    """
    pilot = pilots.get_pilot(user(), pilot_id)
    return ok(PlanPreviewOut().dump(planning.preview(user(), pilot, body())))


@routes.post(
    "/pilots/<pilot_id>/rollout/targets",
    body=planning.PlanInput,
    out=RolloutTargetsOut,
    status=201,
)
def add_rollout_targets(pilot_id):
    """Plan rollout targets in one action

    A level (provinces, departments of parent, children of parent, or one unit) and
    optionally the units (codes) kept from its preview; or, as before, one unit (unit) or
    every unit directly under one (under).
    """
    pilot = pilots.get_pilot(user(), pilot_id)
    targets = _loaded(planning.plan_targets(user(), pilot, body()))
    return created(RolloutTargetsOut().dump({"items": targets}))


@routes.post("/pilots/<pilot_id>/rollout/bulk", body=bulk.BulkInput, out=RolloutTargetsOut)
def bulk_update_rollout_targets(pilot_id):
    """One status and one note for several targets, all or none

    Targets are ids or {id, version}; a refused target is named with the reason.
    """
    pilot = pilots.get_pilot(user(), pilot_id)
    targets = _loaded(bulk.bulk_update(user(), pilot, body()))
    return ok(RolloutTargetsOut().dump({"items": targets}))


@routes.patch("/rollout-targets/<target_id>", body=service.TargetChanges, out=RolloutTargetOut)
def update_rollout_target(target_id):
    """Update a rollout target (send the version you read)

    Blocked needs blocked_reason; due_date, responsible and wave are for planners.
    """
    found = service.get_target(user(), target_id)
    return ok(RolloutTargetOut().dump(service.update_target(user(), found, body())))


@routes.delete("/rollout-targets/<target_id>", body=planning.RemovalInput, status=204)
def remove_rollout_target(target_id):
    """Remove a target that has not started, with a reason (planners)"""
    found = service.get_target(user(), target_id)
    planning.remove_target(user(), found, body())
    db.session.commit()
    return "", 204
