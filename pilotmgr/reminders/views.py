"""Notifications page, the calendar feed, and the admins' working-day and rule settings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.authority import is_admin
from pilotmgr.core.pagination import page_args
from pilotmgr.core.web import commit
from pilotmgr.extensions import db
from pilotmgr.notices import notifications
from pilotmgr.reminders import feed, settings
from pilotmgr.reminders.forms import CalendarDayForm, ReminderRulesForm

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


def _admins_only() -> None:
    if not is_admin(current_user):
        abort(403)


def _calendar_page(day_form=None, rules_form=None, status: int = 200):
    """The working days and every programme's rules; a failed form shows with what was typed."""
    year = date.today().year
    rules = []
    for programme, rule in settings.programme_rules():
        if rules_form is not None and rules_form.programme_id == programme.id:
            form = rules_form
        else:
            form = ReminderRulesForm.for_rule(rule, formdata=None)
        rules.append((programme, form))
    return render_template(
        "reminders/calendar.html",
        days=settings.calendar_days(),
        holidays=settings.national_holidays(year),
        rules=rules,
        day_form=day_form or CalendarDayForm(formdata=None),
    ), status


@bp.route("/admin/calendar", methods=["GET", "POST"])
@login_required
def working_days():
    _admins_only()
    if request.method == "GET":
        return _calendar_page()
    form = CalendarDayForm()
    done, _day = form.run(lambda data: settings.set_calendar_day(current_user, data))
    if not done:
        return _calendar_page(day_form=form, status=422)
    commit()
    flash(_l("Calendar saved."), "success")
    return redirect(url_for("reminders.working_days"))


@bp.post("/admin/calendar/<day>/delete")
@login_required
def delete_day(day):
    _admins_only()
    settings.delete_calendar_day(current_user, day)
    commit()
    flash(_l("Calendar saved."), "success")
    return redirect(url_for("reminders.working_days"))


@bp.post("/admin/reminder-rules/<int:programme_id>")
@login_required
def save_rules(programme_id):
    _admins_only()
    settings.get_programme(programme_id)
    form = ReminderRulesForm(programme_id=programme_id)
    done, _rule = form.run(lambda data: settings.save_rules(current_user, programme_id, data))
    if not done:
        return _calendar_page(rules_form=form, status=422)
    commit()
    flash(_l("Reminder rules saved."), "success")
    return redirect(url_for("reminders.working_days", _anchor=f"rules-{programme_id}"))
