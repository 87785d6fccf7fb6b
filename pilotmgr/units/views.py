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
from pilotmgr.core.web import commit
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


def units_in_order():
    """Every unit, each under its parent."""
    return service.tree_order(service.all_units())


def units_page(units, create=None, merge=None, status=200):
    """The units page; a form that failed (new unit, merge) is shown as typed."""
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
    units = units_in_order()
    if request.method == "GET":
        return units_page(units)
    form = UnitForm(units=units)
    done, unit = form.run(lambda data: service.create_unit(current_user, data))
    if not done:
        return units_page(units, create=form, status=422)
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
    units = units_in_order()
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
