from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from pilotmgr.auth import service
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.web import safe_next
from pilotmgr.extensions import db

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    error = None
    if request.method == "POST":
        user = service.authenticate(request.form.get("email"), request.form.get("password"))
        if user is not None:
            login_user(user, remember=bool(request.form.get("remember")))
            return redirect(safe_next(request.args.get("next"), url_for("dashboard.index")))
        error = _l("Wrong e-mail or password.")
    return render_template("auth/login.html", error=error, email=request.form.get("email", "")), (
        401 if error else 200
    )


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_l("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    errors = {}
    if request.method == "POST":
        try:
            service.update_settings(current_user, request.form)
            db.session.commit()
            flash(_l("Settings saved."), "success")
            return redirect(url_for("auth.settings"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("auth/settings.html", errors=errors)


@bp.post("/settings/calendar")
@login_required
def regenerate_calendar():
    service.regenerate_calendar_secret(current_user)
    db.session.commit()
    flash(_l("A new calendar link was made; the old one no longer works."), "success")
    return redirect(url_for("auth.settings"))


@bp.get("/lang/<code>")
def set_lang(code):
    """Switch language before logging in (logged-in users keep it in their settings)."""
    response = redirect(safe_next(request.args.get("next"), url_for("auth.login")))
    if code in ("vi", "en"):
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response
