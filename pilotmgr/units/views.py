from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.auth import service as auth_service
from pilotmgr.auth.models import ROLES
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.pagination import page_args
from pilotmgr.core.permissions import is_admin
from pilotmgr.extensions import db
from pilotmgr.units import service

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    if not is_admin(current_user):
        abort(403)


@bp.route("/units", methods=["GET", "POST"])
def units():
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form
        try:
            unit = service.create_unit(current_user, request.form)
            db.session.commit()
            flash(_l("Unit %(code)s created.", code=unit.code), "success")
            return redirect(url_for("admin.units"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "admin/units.html",
        units=service.tree_order(service.all_units()),
        errors=errors,
        values=values,
    ), (422 if errors else 200)


@bp.post("/units/merge")
def merge_units():
    from pilotmgr.rollout.merge import merge_units as merge

    try:
        counts = merge(current_user, request.form)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        for messages in exc.errors.values():
            flash(" ".join(messages), "danger")
        return redirect(url_for("admin.units"))
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


@bp.route("/users", methods=["GET", "POST"])
def users():
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form
        try:
            user = auth_service.create_user(current_user, request.form)
            db.session.commit()
            flash(_l("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    try:
        page, per_page = page_args(request.args.get("page"), request.args.get("per_page"), 50)
    except ValidationFailed:
        page, per_page = 1, 50
    return render_template(
        "admin/users.html",
        result=auth_service.list_users(current_user, page, per_page),
        units=service.tree_order(service.all_units()),
        roles=ROLES,
        errors=errors,
        values=values,
    ), (422 if errors else 200)
