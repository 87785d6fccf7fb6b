"""Notifications page, the calendar feed, and the admins' working-day and rule settings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.pagination import page_args
from pilotmgr.core.permissions import is_admin
from pilotmgr.extensions import db
from pilotmgr.reminders import feed, notifications, settings

bp = Blueprint("reminders", __name__)


@bp.get("/notifications")
@login_required
def index():
    page, per_page = page_args(request.args.get("page"), None)
    unread_only = request.args.get("unread") == "1"
    found = notifications.list_notifications(current_user, page, per_page, unread_only)
    return render_template(
        "reminders/notifications.html",
        page=found,
        items=notifications.with_texts(found.items),
        unread_only=unread_only,
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id):
    note = notifications.mark_read(current_user, notification_id)
    db.session.commit()
    if request.form.get("open"):
        (view,) = notifications.with_texts([note])
        if view.url:
            return redirect(view.url)
    return redirect(url_for("reminders.index"))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    count = notifications.mark_all_read(current_user)
    db.session.commit()
    flash(_l("%(n)s notifications marked as read.", n=count), "success")
    return redirect(url_for("reminders.index"))


@bp.get("/calendar/<secret>.ics", endpoint="calendar_feed")
def calendar_feed(secret):
    user = feed.user_by_secret(secret)
    if user is None:
        abort(404)
    response = Response(feed.calendar_for(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="pilotmgr.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/admin/calendar", methods=["GET", "POST"])
@login_required
def working_days():
    if not is_admin(current_user):
        abort(403)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form
        try:
            settings.set_calendar_day(current_user, request.form)
            db.session.commit()
            flash(_l("Calendar saved."), "success")
            return redirect(url_for("reminders.working_days"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    year = date.today().year
    return render_template(
        "reminders/calendar.html",
        days=settings.calendar_days(),
        holidays=settings.national_holidays(year),
        rules=settings.programme_rules(),
        errors=errors,
        values=values,
    ), (422 if errors else 200)


@bp.post("/admin/calendar/<day>/delete")
@login_required
def delete_day(day):
    if not is_admin(current_user):
        abort(403)
    settings.delete_calendar_day(current_user, day)
    db.session.commit()
    flash(_l("Calendar saved."), "success")
    return redirect(url_for("reminders.working_days"))


@bp.post("/admin/reminder-rules/<int:programme_id>")
@login_required
def save_rules(programme_id):
    if not is_admin(current_user):
        abort(403)
    try:
        settings.save_rules(current_user, programme_id, request.form)
        db.session.commit()
        flash(_l("Reminder rules saved."), "success")
    except ValidationFailed as exc:
        db.session.rollback()
        for field, messages in exc.errors.items():
            flash(f"{field}: {' '.join(str(m) for m in messages)}", "danger")
    return redirect(url_for("reminders.working_days"))
