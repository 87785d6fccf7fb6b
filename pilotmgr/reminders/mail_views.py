"""E-mail settings opened from a mail's signed link, and the admins' page of mail that failed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.auth import service as accounts
from pilotmgr.core.authority import is_admin
from pilotmgr.core.pagination import page_args
from pilotmgr.core.routes import Routes
from pilotmgr.core.web import commit
from pilotmgr.extensions import csrf
from pilotmgr.notices import mail_links, mail_queue
from pilotmgr.reminders.forms import MailSettingsForm

#: Attached by the app factory to the blueprint these pages belong to.
routes = Routes()


def _private(response, status: int = 200):
    """The link is the key: never cached, never sent on as a Referer to another site."""
    return response, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _reader(token: str):
    found = mail_links.read_token(token)
    if found is None:
        abort(404)
    return found


@routes.route("/mail-settings/<token>", methods=["GET", "POST"])
def mail_settings(token):
    """The reader's e-mail settings, without signing in: the signed link stands for them."""
    user, _category = _reader(token)
    with force_locale(user.lang):
        if request.method == "GET":
            form = MailSettingsForm.for_user(user, formdata=None)
        else:
            form = MailSettingsForm(user=user)
            done, _user = form.run(lambda data: accounts.update_settings(user, data))
            if done:
                commit()
                flash(_l("Settings saved."), "success")
                return redirect(url_for("reminders.mail_settings", token=token))
        page = render_template("reminders/mail_settings.html", form=form, reader=user, token=token)
    return _private(page, 200 if request.method == "GET" else 422)


# RFC 8058: a mail provider POSTs "List-Unsubscribe=One-Click" here on the reader's behalf. It
# has no CSRF token and no cookie; the signed link in the URL is the proof, and this POST only
# switches one kind of mail off. Every other form, the settings form above included, keeps
# its CSRF check.
@csrf.exempt
@routes.route("/mail-settings/<token>/unsubscribe", methods=["GET", "POST"])
def one_click_unsubscribe(token):
    if request.method == "GET":
        return redirect(url_for("reminders.mail_settings", token=token))
    user, category = _reader(token)
    mail_links.unsubscribe(user, category)
    commit()
    with force_locale(user.lang):
        page = render_template("reminders/unsubscribed.html", reader=user, token=token)
    return _private(page)


@routes.get("/admin/mail")
@login_required
def mail_problems():
    if not is_admin(current_user):
        abort(403)
    page, per_page = page_args(request.args.get("page"), None)
    found = mail_queue.problem_mails(current_user, page, per_page)
    counts = mail_queue.problem_counts(current_user)
    return render_template("reminders/mail_problems.html", page=found, counts=counts)


@routes.post("/admin/mail/<mail_id>/retry")
@login_required
def retry_mail(mail_id):
    if not is_admin(current_user):
        abort(403)
    mail_queue.retry(current_user, mail_id)
    commit()
    flash(_l("The mail is queued again."), "success")
    return redirect(url_for("reminders.mail_problems"))
