from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from pilotmgr.auth import service
from pilotmgr.auth.forms import LoginForm, PasswordForm, SettingsForm
from pilotmgr.core.web import commit, safe_next

bp = Blueprint("auth", __name__)

#: Pages a person with a temporary password may still open before choosing a new one.
OPEN_WITH_TEMPORARY_PASSWORD = {
    "auth.settings",
    "auth.change_password",
    "auth.logout",
    "auth.set_lang",
    "static",
}


@bp.before_app_request
def ask_for_a_new_password():
    """After an administrator's reset, the account works only to choose a new password."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in OPEN_WITH_TEMPORARY_PASSWORD or request.blueprint == "api":
        return None
    flash(_l("Please choose a new password before you continue."), "warning")
    return redirect(url_for("auth.settings", _anchor="password"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(id_prefix="")
    status = 200
    if form.validate_on_submit():
        user, refusal = service.check_credentials(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            if user.must_change_password:
                return redirect(url_for("auth.settings", _anchor="password"))
            return redirect(safe_next(request.args.get("next"), url_for("dashboard.index")))
        if refusal == "inactive":
            form.form_errors.append(
                str(_l("This account is deactivated. Please contact an administrator."))
            )
        else:
            form.form_errors.append(str(_l("Wrong e-mail or password.")))
        status = 401
    elif form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_l("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def _settings_page(settings_form=None, password_form=None, status=200):
    return render_template(
        "auth/settings.html",
        form=settings_form or SettingsForm.for_user(current_user, formdata=None),
        password_form=password_form or PasswordForm(formdata=None, id_prefix="pw-"),
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    if request.method == "GET":
        return _settings_page()
    form = SettingsForm(user=current_user)
    done, _user = form.run(lambda data: service.update_settings(current_user, data))
    if not done:
        return _settings_page(settings_form=form, status=422)
    commit()
    flash(_l("Settings saved."), "success")
    return redirect(url_for("auth.settings"))


@bp.post("/settings/password")
@login_required
def change_password():
    form = PasswordForm(id_prefix="pw-")
    done, _user = form.run(lambda data: service.change_password(current_user, data))
    if not done:
        return _settings_page(password_form=form, status=422)
    commit()
    flash(_l("Your password was changed."), "success")
    return redirect(url_for("auth.settings"))


@bp.post("/settings/calendar")
@login_required
def regenerate_calendar():
    service.regenerate_calendar_secret(current_user)
    commit()
    flash(_l("A new calendar link was made; the old one no longer works."), "success")
    return redirect(url_for("auth.settings"))


@bp.get("/lang/<code>")
def set_lang(code):
    """Switch language before logging in (logged-in users keep it in their settings)."""
    response = redirect(safe_next(request.args.get("next"), url_for("auth.login")))
    if code in ("vi", "en"):
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response
