"""Administrators' pages for people: the list, a new account, one account's page.

The routes belong to the `admin` blueprint (`pilotmgr/units/views.py`), which lets in
administrators only.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from pilotmgr.auth import accounts, service
from pilotmgr.auth.forms import (
    ActivationForm,
    ResetPasswordForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.pagination import page_args
from pilotmgr.core.routes import Routes
from pilotmgr.core.web import commit
from pilotmgr.extensions import db
from pilotmgr.units.models import Unit
from pilotmgr.units.service import all_units, tree_order

#: Attached by the app factory to the blueprint these pages belong to.
routes = Routes()

PER_PAGE = 25
ROLE_CODES = tuple(service.ROLES)


def _units():
    return tree_order(all_units())


@routes.route("/users", methods=["GET", "POST"])
def users():
    units = _units()
    form = UserCreateForm(units=units)
    if request.method == "GET":
        form = UserCreateForm(formdata=None, units=units)
    done, user = form.run(lambda data: service.create_user(current_user, data))
    if done:
        commit()
        flash(_l("Account %(email)s created.", email=user.email), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return _list_page(form, units), (422 if form.errors else 200)


def _list_page(create_form, units):
    # Read, not validated: a filter value that names nothing simply filters nothing.
    filters = UserFilterForm(request.args, units=units, id_prefix="filter-")
    status = {"active": True, "inactive": False}.get(filters.status.data)
    unit = next((u for u in units if u.code == filters.unit.data), None)
    try:
        page, _per_page = page_args(request.args.get("page"), None, PER_PAGE)
    except ValidationFailed:
        page = 1
    result = service.list_users(
        current_user,
        page,
        PER_PAGE,
        q=(filters.q.data or "")[:200],
        role=filters.role.data if filters.role.data in ROLE_CODES else None,
        unit=unit,
        active=status,
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/users.html", result=result, form=create_form, filters=filters, args=args
    )


@routes.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id):
    person = service.get_user(current_user, user_id)
    units = _units()
    if request.method == "GET":
        return _user_page(person, units)
    form = UserEditForm(units=units)
    done, _person = form.run(lambda data: accounts.update_user(current_user, person, data))
    if not done:
        return _user_page(person, units, edit=form, status=422)
    commit()
    flash(_l("Changes saved."), "success")
    return redirect(url_for("admin.user", user_id=person.id))


@routes.post("/users/<int:user_id>/password")
def reset_password(user_id):
    person = service.get_user(current_user, user_id)
    form = ResetPasswordForm(id_prefix="reset-")
    done, _person = form.run(lambda data: accounts.reset_password(current_user, person, data))
    if not done:
        return _user_page(person, _units(), reset=form, status=422)
    commit()
    flash(
        _l(
            "%(name)s has a temporary password now; give it to them yourself. They will "
            "choose a new one when they sign in.",
            name=person.name,
        ),
        "success",
    )
    return redirect(url_for("admin.user", user_id=person.id))


@routes.post("/users/<int:user_id>/active")
def set_active(user_id):
    person = service.get_user(current_user, user_id)
    form = ActivationForm(id_prefix="active-")
    active = not person.is_active_account
    done, _person = form.run(lambda data: accounts.set_active(current_user, person, active, data))
    if not done:
        return _user_page(person, _units(), activation=form, status=422)
    commit()
    if active:
        flash(_l("%(name)s can sign in again.", name=person.name), "success")
    else:
        flash(
            _l(
                "%(name)s is deactivated: they can no longer sign in, their open sessions ended "
                "and their API tokens stopped working.",
                name=person.name,
            ),
            "success",
        )
    return redirect(url_for("admin.user", user_id=person.id))


def _user_page(person, units, *, edit=None, reset=None, activation=None, status=200):
    from pilotmgr.auth.history import describe_account_entry

    # Merged units too: the history names the unit the person was in at the time.
    names = dict(db.session.execute(select(Unit.code, Unit.name)).tuples().all())
    return render_template(
        "admin/user.html",
        person=person,
        edit=edit or UserEditForm.for_user(person, formdata=None, units=units),
        reset=reset or ResetPasswordForm(formdata=None, id_prefix="reset-"),
        activation=activation
        or ActivationForm(formdata=None, id_prefix="active-", data={"version": person.version}),
        open_work=accounts.open_work(person),
        history=[
            (entry, describe_account_entry(entry, names))
            for entry in accounts.account_history(person)
        ],
    ), status
