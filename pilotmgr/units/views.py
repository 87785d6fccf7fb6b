"""Administrators' pages for units: the tree, a new unit, a unit's page, merging with a
confirmation. The `admin` blueprint also carries the users' pages (`auth/admin_views.py`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select

from pilotmgr.core.authority import is_admin
from pilotmgr.core.errors import NotFound
from pilotmgr.core.validate import row_id
from pilotmgr.core.web import commit, confirmation_page, needs_confirmation
from pilotmgr.extensions import db
from pilotmgr.units import service
from pilotmgr.units.forms import KIND_LABELS, MergeForm, UnitEditForm, UnitForm
from pilotmgr.units.models import Unit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    if not is_admin(current_user):
        abort(403)


def _units():
    return service.tree_order(service.all_units())


def _units_page(units, create=None, merge=None, status=200):
    from pilotmgr.auth.models import User

    people = dict(
        db.session.execute(
            select(User.unit_id, func.count()).where(User.is_active_account).group_by(User.unit_id)
        )
        .tuples()
        .all()
    )
    return render_template(
        "admin/units.html",
        units=units,
        people=people,
        kind_labels=KIND_LABELS,
        form=create or UnitForm(formdata=None, units=units),
        merge_form=merge or MergeForm(formdata=None, units=units),
    ), status


@bp.route("/units", methods=["GET", "POST"])
def units():
    units = _units()
    if request.method == "GET":
        return _units_page(units)
    form = UnitForm(units=units)
    done, unit = form.run(lambda data: service.create_unit(current_user, data))
    if not done:
        return _units_page(units, create=form, status=422)
    commit()
    flash(_l("Unit %(name)s created.", name=unit.name), "success")
    return redirect(url_for("admin.units"))


def _get_unit(unit_id) -> Unit:
    unit = db.session.get(Unit, n) if (n := row_id(unit_id)) else None
    if unit is None or not unit.is_active:
        raise NotFound(str(_l("No such unit.")))
    return unit


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id):
    found = _get_unit(unit_id)
    units = _units()
    parent_code = next((u.code for u in units if u.id == found.parent_id), None)
    if request.method == "GET":
        form = UnitEditForm.for_unit(found, parent_code, formdata=None, units=units)
        return render_template("admin/unit.html", unit=found, form=form)
    form = UnitEditForm(unit=found, units=units)
    done, _unit = form.run(lambda data: service.update_unit(current_user, found, data))
    if not done:
        return render_template("admin/unit.html", unit=found, form=form), 422
    commit()
    flash(_l("Changes saved."), "success")
    return redirect(url_for("admin.units", _anchor=f"unit-{found.id}"))


@bp.post("/units/merge")
def merge_units():
    from pilotmgr.rollout.merge import merge_units as merge
    from pilotmgr.rollout.merge import preview_merge

    units = _units()
    form = MergeForm(units=units)
    if needs_confirmation():
        done, preview = form.run(lambda data: preview_merge(current_user, data))
        if not done:
            return _units_page(units, merge=form, status=422)
        return confirmation_page(
            _l(
                "Merge %(source)s into %(target)s",
                source=preview["source"].name,
                target=preview["target"].name,
            ),
            _merge_consequences(preview),
            _l("Merge the units"),
            url_for("admin.units"),
        )
    done, counts = form.run(lambda data: merge(current_user, data))
    if not done:
        return _units_page(units, merge=form, status=422)
    commit()
    flash(
        _l(
            "Units merged: %(users)s users, %(pilots)s pilots, %(targets)s rollout targets "
            "moved, %(combined)s combined, %(units)s child units.",
            users=counts["users"],
            pilots=counts["pilots"],
            targets=counts["targets"],
            combined=counts["targets_combined"],
            units=counts["units"],
        ),
        "success",
    )
    return redirect(url_for("admin.units"))


def _merge_consequences(preview: dict) -> list:
    source, target = preview["source"].name, preview["target"].name
    lines = [
        _l("%(n)s users move to %(target)s.", n=preview["users"], target=target),
        _l(
            "%(n)s pilots (with their %(tasks)s tasks) move to %(target)s.",
            n=preview["pilots"],
            tasks=preview["tasks"],
            target=target,
        ),
        _l("%(n)s rollout targets move to %(target)s.", n=preview["targets"], target=target),
    ]
    if preview["targets_combined"]:
        lines.append(
            _l(
                "%(n)s rollout targets are combined with those %(target)s already has for the "
                "same pilot (the one further along is kept).",
                n=preview["targets_combined"],
                target=target,
            )
        )
    lines += [
        _l("%(n)s child units are placed under %(target)s.", n=preview["units"], target=target),
        _l(
            "%(source)s stays in the history under its own name but can no longer be chosen.",
            source=source,
        ),
    ]
    return lines
