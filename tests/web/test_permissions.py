"""Every web route × every kind of person: the answer the permission layer promises, never a 500.

The matrix below is the specification. Each cell is what one person gets:
  200 / 302   the page, or a redirect somewhere other than the login page
  login       a redirect to the login page (anonymous)
  403 / 404   refused; 404 where the pilot must stay invisible
  422         the form comes back with its message, nothing done
  302+ 200+   an allowed POST: that answer, and it did what it does (CHANGES names the table it
              must change, or the session for signing in and out)
Every POST is sent with a valid CSRF token and a valid form (`_form`). A POST without "+" must
change nothing. The allowed ones change the world, so each runs alone in a fresh world
(test_each_allowed_post_does_its_work); the others run one person at a time in one world.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from pilotmgr.exports import uploads, writers
from pilotmgr.exports.sheets import template_rows
from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.pilots.models import Challenge, Kpi, TaskDueRequest
from pilotmgr.pilots.permissions import can_edit_pilot, can_view_pilot
from tests.conftest import csrf_token
from tests.factories import PASSWORD

#: Who is who, relative to one pilot that a lead owns in a department (D) of a province (P).
ROLES = (
    "admin",  # an administrator (unit: the ministry)
    "head",  # head of the province P above the pilot's department
    "other_head",  # head of another province Q
    "owner",  # the lead who owns the pilot (department D)
    "other_lead",  # another lead of department D, not the owner
    "assignee",  # staff of province Q with a task on the pilot
    "staff",  # staff of province Q with nothing to do with the pilot
    "viewer",  # a viewer in province P
    "anon",  # not logged in
)

# (method, endpoint, url): one expectation per role, in ROLES order.
MATRIX: dict[tuple[str, str, str], str] = {
    # --- pages everybody logged in may see --------------------------------------------------
    ("GET", "dashboard.index", "/"): "302 302 302 302 302 302 302 302 302",
    ("GET", "dashboard.my_work", "/my-work"): "200 200 200 200 200 200 200 200 login",
    ("GET", "pilots.index", "/pilots/"): "200 200 200 200 200 200 200 200 login",
    ("GET", "auth.settings", "/settings"): "200 200 200 200 200 200 200 200 login",
    ("GET", "auth.login", "/login"): "302 302 302 302 302 302 302 302 200",
    ("GET", "auth.set_lang", "/lang/en"): "302 302 302 302 302 302 302 302 302",
    # --- administration -----------------------------------------------------------------------
    ("GET", "admin.units", "/admin/units"): "200 403 403 403 403 403 403 403 login",
    ("GET", "admin.users", "/admin/users"): "200 403 403 403 403 403 403 403 login",
    # --- pilots: see, register, edit -------------------------------------------------------------
    ("GET", "pilots.create", "/pilots/new"): "200 200 200 200 200 403 403 403 login",
    ("GET", "pilots.detail", "/pilots/{pilot}"): "200 200 404 200 200 200 404 200 login",
    ("GET", "pilots.detail", "/pilots/{missing}"): "404 404 404 404 404 404 404 404 login",
    ("GET", "pilots.edit", "/pilots/{pilot}/edit"): "200 200 404 200 403 403 404 403 login",
    ("GET", "pilots.edit", "/pilots/{closed}/edit"): "403 403 404 403 403 404 404 403 login",
    ("GET", "pilots.edit", "/pilots/{missing}/edit"): "404 404 404 404 404 404 404 404 login",
    # --- changes ------------------------------------------------------------------------------------
    ("POST", "auth.login", "/login"): "302 302 302 302 302 302 302 302 302+",
    ("POST", "auth.logout", "/logout"): "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login",
    ("POST", "auth.settings", "/settings"): "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login",
    ("POST", "auth.regenerate_calendar", "/settings/calendar"): (
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login"
    ),
    ("POST", "admin.units", "/admin/units"): "302+ 403 403 403 403 403 403 403 login",
    ("POST", "admin.users", "/admin/users"): "302+ 403 403 403 403 403 403 403 login",
    ("POST", "pilots.create", "/pilots/new"): "302+ 302+ 403 302+ 302+ 403 403 403 login",
    ("POST", "pilots.edit", "/pilots/{pilot}/edit"): "302+ 302+ 404 302+ 403 403 404 403 login",
    ("POST", "pilots.edit", "/pilots/{closed}/edit"): "403 403 404 403 403 404 404 403 login",
    ("POST", "pilots.add_kpi", "/pilots/{pilot}/kpis"): "302+ 302+ 404 302+ 403 403 404 403 login",
    ("POST", "pilots.update_kpi", "/pilots/kpis/{kpi}"): "302+ 302+ 404 302+ 403 403 404 403 login",
    # The pilot is piloting: its KPIs can no longer be deleted (refused with a message).
    ("POST", "pilots.delete_kpi", "/pilots/kpis/{kpi}/delete"): (
        "302 302 404 302 403 403 404 403 login"
    ),
    ("POST", "pilots.add_task", "/pilots/{pilot}/tasks"): (
        "302+ 302+ 404 302+ 403 403 404 403 login"
    ),
    ("POST", "pilots.update_task", "/pilots/tasks/{task}"): (
        "302+ 302+ 404 302+ 403 302+ 404 403 login"
    ),
    ("POST", "pilots.complete_task", "/pilots/tasks/{task}/done"): (
        "302+ 302+ 404 302+ 403 302+ 404 403 login"
    ),
    ("POST", "pilots.edit_task", "/pilots/tasks/{task}/edit"): (
        "302+ 302+ 404 302+ 403 403 404 403 login"
    ),
    ("POST", "pilots.cancel_task", "/pilots/tasks/{task}/cancel"): (
        "302+ 302+ 404 302+ 403 403 404 403 login"
    ),
    ("POST", "pilots.request_due_date", "/pilots/tasks/{task}/due-requests"): (
        "403 403 404 403 403 302+ 404 403 login"
    ),
    ("POST", "pilots.decide_due_request", "/pilots/due-requests/{due_request}/decision"): (
        "302+ 302+ 404 302+ 403 403 404 403 login"
    ),
    ("POST", "pilots.decide_due_request", "/pilots/due-requests/{missing}/decision"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "dashboard.target_progress", "/my-work/targets/{missing}"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "dashboard.record_value", "/my-work/kpis/{kpi}/values"): (
        "302+ 302+ 404 302+ 302+ 302+ 404 403 login"
    ),
    ("POST", "pilots.transition", "/pilots/{pilot}/transitions"): (
        "302+ 302+ 404 302+ 403 403 404 403 login"
    ),
    # --- reminders and notifications -------------------------------------------------------------
    ("GET", "reminders.index", "/notifications"): "200 200 200 200 200 200 200 200 login",
    ("POST", "reminders.read", "/notifications/{missing}/read"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "reminders.read_all", "/notifications/read-all"): (
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login"
    ),
    ("GET", "reminders.calendar_feed", "/calendar/not-a-secret.ics"): (
        "404 404 404 404 404 404 404 404 404"
    ),
    ("GET", "reminders.working_days", "/admin/calendar"): "200 403 403 403 403 403 403 403 login",
    ("GET", "reminders.mail_problems", "/admin/mail"): "200 403 403 403 403 403 403 403 login",
    ("POST", "reminders.retry_mail", "/admin/mail/{missing}/retry"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    # The signed link from a mail stands for its reader: no sign-in, and a bad link opens nothing.
    ("GET", "reminders.mail_settings", "/mail-settings/not-a-token"): (
        "404 404 404 404 404 404 404 404 404"
    ),
    ("POST", "reminders.mail_settings", "/mail-settings/not-a-token"): (
        "404 404 404 404 404 404 404 404 404"
    ),
    ("GET", "reminders.one_click_unsubscribe", "/mail-settings/not-a-token/unsubscribe"): (
        "302 302 302 302 302 302 302 302 302"
    ),
    ("POST", "reminders.one_click_unsubscribe", "/mail-settings/not-a-token/unsubscribe"): (
        "404 404 404 404 404 404 404 404 404"
    ),
    ("POST", "reminders.working_days", "/admin/calendar"): "302+ 403 403 403 403 403 403 403 login",
    ("POST", "reminders.delete_day", "/admin/calendar/2027-01-04/delete"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    ("POST", "reminders.save_rules", "/admin/reminder-rules/{missing}"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    # --- results, evaluation, selection ------------------------------------------------------------
    ("POST", "results.add_measurement", "/kpis/{kpi}/measurements"): (
        "302+ 302+ 404 302+ 302+ 302+ 404 403 login"
    ),
    ("POST", "results.review", "/measurements/{missing}/review"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "results.verdict", "/kpis/{kpi}/verdict"): "302+ 302+ 404 403 403 403 404 403 login",
    ("POST", "results.evaluate", "/pilots/{pilot}/evaluations"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("POST", "results.name_evaluator", "/pilots/{pilot}/evaluators"): (
        "302+ 302+ 404 403 403 403 404 403 login"
    ),
    ("POST", "results.upload", "/pilots/{pilot}/evidence"): (
        "302+ 302+ 404 302+ 302+ 302+ 404 403 login"
    ),
    ("GET", "results.download", "/evidence/{missing}"): "404 404 404 404 404 404 404 404 login",
    ("POST", "results.retract", "/evidence/{missing}/retraction"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("GET", "results.comparison", "/challenges/{challenge}/comparison"): (
        "200 200 200 200 200 200 200 200 login"
    ),
    # One decision covers every candidate under evaluation: the head of another province, with
    # no authority over the candidate, is told so beside the form.
    ("POST", "results.select", "/challenges/{contest}/selection"): (
        "302+ 302+ 422 403 403 403 403 403 login"
    ),
    ("GET", "results.library", "/lessons"): "200 200 200 200 200 200 200 200 login",
    ("POST", "results.weights", "/programmes/{missing}/weights"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    # --- rollout (the pilot here is piloting: no plan yet; targets: tests/rollout) ------------
    ("GET", "rollout.index", "/rollout"): "200 200 200 200 200 200 200 200 login",
    ("GET", "rollout.pilot_board", "/pilots/{pilot}/rollout"): (
        "200 200 404 200 200 200 404 200 login"
    ),
    ("GET", "rollout.pilot_board", "/pilots/{missing}/rollout"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "rollout.add_targets", "/pilots/{pilot}/rollout/targets"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("POST", "rollout.preview_plan", "/pilots/{pilot}/rollout/plan"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("POST", "rollout.bulk_update", "/pilots/{pilot}/rollout/bulk"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("POST", "rollout.plan_target", "/rollout-targets/{missing}/plan"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "rollout.remove_target", "/rollout-targets/{missing}/removal"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "rollout.open_wave", "/pilots/{pilot}/rollout/waves"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("POST", "rollout.guide", "/pilots/{pilot}/rollout/guide"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("POST", "rollout.record_regulation", "/pilots/{pilot}/regulation"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("GET", "rollout.target", "/rollout-targets/{missing}"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "rollout.target", "/rollout-targets/{missing}"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "rollout.target_evidence", "/rollout-targets/{missing}/evidence"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "admin.merge_units", "/admin/units/merge"): "302+ 403 403 403 403 403 403 403 login",
    # --- decision memos -------------------------------------------------------------------------------
    ("GET", "memos.preview", "/pilots/{pilot}/memos/preview?kind=pilot_approval"): (
        "200 200 404 200 200 200 404 200 login"
    ),
    ("GET", "memos.preview", "/pilots/{pilot}/memos/preview?kind=nonsense"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "memos.issue", "/pilots/{pilot}/memos"): "302+ 302+ 404 302+ 403 403 404 403 login",
    # Piloting: no step is decided on a memo now.
    ("POST", "memos.decide", "/pilots/{pilot}/memos/decision"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    # --- discussion -------------------------------------------------------------------------------
    ("POST", "discussion.post_comment", "/pilots/{pilot}/comments"): (
        "302+ 302+ 404 302+ 302+ 302+ 404 302+ login"
    ),
    ("GET", "memos.download", "/memos/{memo}.pdf"): "200 200 404 200 200 200 404 200 login",
    ("GET", "memos.download", "/memos/{missing}.pdf"): "404 404 404 404 404 404 404 404 login",
    ("GET", "memos.verify", "/memos/verify/{memo_sha}"): "200 200 200 200 200 200 200 200 200",
    ("GET", "memos.verify_upload", "/memos/verify"): "200 200 200 200 200 200 200 200 200",
    # Without a file: the form comes back with its message beside the field.
    ("POST", "memos.verify_upload", "/memos/verify"): "422 422 422 422 422 422 422 422 422",
    # --- leaders' dashboard, exports, import, search ------------------------------------------
    ("GET", "dashboard.leaders", "/dashboard"): "200 200 200 403 403 403 403 200 login",
    ("GET", "exports.download", "/exports/pilots.csv"): "200 200 200 200 200 200 200 200 login",
    ("GET", "exports.download", "/exports/tasks.xlsx"): "200 200 200 200 200 200 200 200 login",
    ("GET", "exports.download", "/exports/scoreboard.xlsx"): (
        "200 200 200 403 403 403 403 200 login"
    ),
    ("GET", "exports.download", "/exports/secrets.csv"): "404 404 404 404 404 404 404 404 login",
    ("GET", "imports.index", "/import"): "200 200 200 200 200 403 403 403 login",
    ("GET", "imports.template", "/import/template.xlsx"): "200 200 200 200 200 403 403 403 login",
    # The check of a file answers with its plan, and keeps the file for the commit.
    ("POST", "imports.dry_run", "/import"): "200+ 200+ 200+ 200+ 200+ 403 403 403 login",
    ("POST", "imports.commit", "/import/commit"): "302+ 302+ 302+ 302+ 302+ 403 403 403 login",
    ("GET", "search.index", "/search?q=tap+huan"): "200 200 200 200 200 200 200 200 login",
    # --- accounts, units, programmes (issue 15) ---------------------------------------------
    ("POST", "auth.change_password", "/settings/password"): (
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login"
    ),
    ("GET", "admin.user", "/admin/users/{owner_user}"): "200 403 403 403 403 403 403 403 login",
    ("GET", "admin.user", "/admin/users/{missing}"): "404 403 403 403 403 403 403 403 login",
    ("POST", "admin.user", "/admin/users/{owner_user}"): "302+ 403 403 403 403 403 403 403 login",
    ("POST", "admin.reset_password", "/admin/users/{owner_user}/password"): (
        "302+ 403 403 403 403 403 403 403 login"
    ),
    ("POST", "admin.set_active", "/admin/users/{owner_user}/active"): (
        "302+ 403 403 403 403 403 403 403 login"
    ),
    ("POST", "admin.set_active", "/admin/users/{missing}/active"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    ("GET", "admin.unit", "/admin/units/{unit}"): "200 403 403 403 403 403 403 403 login",
    ("GET", "admin.unit", "/admin/units/{missing}"): "404 403 403 403 403 403 403 403 login",
    ("POST", "admin.unit", "/admin/units/{unit}"): "302+ 403 403 403 403 403 403 403 login",
    ("GET", "programmes.index", "/programmes"): "200 200 200 200 200 200 200 200 login",
    ("GET", "programmes.create_programme", "/programmes/new"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("POST", "programmes.create_programme", "/programmes/new"): (
        "302+ 302+ 302+ 403 403 403 403 403 login"
    ),
    ("GET", "programmes.edit_programme", "/programmes/{programme}/edit"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("GET", "programmes.edit_programme", "/programmes/{missing}/edit"): (
        "404 404 404 403 403 403 403 403 login"
    ),
    ("POST", "programmes.edit_programme", "/programmes/{programme}/edit"): (
        "302+ 302+ 302+ 403 403 403 403 403 login"
    ),
    ("GET", "programmes.create_challenge", "/challenges/new"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("POST", "programmes.create_challenge", "/challenges/new"): (
        "302+ 302+ 302+ 403 403 403 403 403 login"
    ),
    ("GET", "programmes.edit_challenge", "/challenges/{challenge}/edit"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("POST", "programmes.edit_challenge", "/challenges/{challenge}/edit"): (
        "302+ 302+ 302+ 403 403 403 403 403 login"
    ),
}


#: The table each allowed POST must change; None: signing in and out change the session only.
CHANGES: dict[str, str | None] = {
    "auth.login": None,
    "auth.logout": None,
    "auth.settings": "users",
    "auth.regenerate_calendar": "users",
    "auth.change_password": "users",
    "admin.units": "units",
    "admin.unit": "units",
    "admin.merge_units": "units",
    "admin.users": "users",
    "admin.user": "users",
    "admin.reset_password": "users",
    "admin.set_active": "users",
    "pilots.create": "pilots",
    "pilots.edit": "pilots",
    "pilots.transition": "pilots",
    "pilots.add_kpi": "kpis",
    "pilots.update_kpi": "kpis",
    "pilots.add_task": "tasks",
    "pilots.update_task": "tasks",
    "pilots.complete_task": "tasks",
    "pilots.edit_task": "tasks",
    "pilots.cancel_task": "tasks",
    "pilots.request_due_date": "task_due_requests",
    "pilots.decide_due_request": "task_due_requests",
    "dashboard.record_value": "measurements",
    "results.add_measurement": "measurements",
    "results.verdict": "kpi_verdicts",
    "results.name_evaluator": "pilot_evaluators",
    "results.upload": "evidence",
    "results.select": "selections",
    "reminders.read_all": "notifications",
    "reminders.working_days": "calendar_days",
    "memos.issue": "memos",
    "discussion.post_comment": "comments",
    "imports.dry_run": "import_uploads",
    "imports.commit": "pilots",
    "programmes.create_programme": "programmes",
    "programmes.edit_programme": "programmes",
    "programmes.create_challenge": "challenges",
    "programmes.edit_challenge": "challenges",
}


def _expectations(row: str) -> dict[str, str]:
    cells = row.split()
    assert len(cells) == len(ROLES), row
    return dict(zip(ROLES, cells, strict=True))


@pytest.fixture
def world(make):
    """The organisation of ROLES, as plain values (requests run in their own sessions)."""
    ministry = make.unit("BO", "Bộ Khoa học và Công nghệ")
    province = make.unit("P", "Tỉnh Bắc Ninh", ministry)
    department = make.unit("P-KHCN", "Sở Khoa học và Công nghệ Bắc Ninh", province)
    other = make.unit("Q", "Tỉnh Quảng Ninh", ministry)
    users = {
        "admin": make.user("admin", ministry),
        "head": make.user("head", province),
        "other_head": make.user("head", other),
        "owner": make.user("lead", department),
        "other_lead": make.user("lead", department),
        "assignee": make.user("staff", other),
        "staff": make.user("staff", other),
        "viewer": make.user("viewer", province),
    }
    pilot = make.pilot("piloting", owner=users["owner"], unit_=department)
    task = make.task(pilot, assignee=users["assignee"], title="Tập huấn cán bộ")
    # The assignee's request waits on a task of its own, so that they may still ask for `task`.
    waiting = make.task(pilot, assignee=users["assignee"], title="Thu thập số liệu")
    asked = TaskDueRequest(
        task_id=waiting.id,
        requested_by_id=users["assignee"].id,
        old_due_date=task.due_date,
        new_due_date=make.days(40),
        reason="Chờ số liệu",
    )
    db.session.add(asked)
    # Something unread for everybody, so that marking all as read has work to do.
    notify("mentioned", users.values(), cause="matrix", pilot=pilot, excerpt="Xin ý kiến")
    db.session.commit()
    closed = make.pilot("closed", owner=users["owner"], unit_=department, outcome="stopped")
    # A challenge with a candidate under evaluation, for the selection.
    candidate = make.pilot(
        "evaluating", owner=users["owner"], unit_=department, title="Thí điểm đang đánh giá"
    )
    memo = make.issued_memo(pilot, users["owner"], kind="pilot_approval")
    programme_id = db.session.get(Challenge, pilot.challenge_id).programme_id
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
    return {
        "users": users,
        "emails": {role: u.email for role, u in users.items()},
        "ids": {
            "pilot": pilot.id,
            "closed": closed.id,
            "task": task.id,
            "due_request": asked.id,
            "missing": 999_999,
            "kpi": kpi.id,
            "challenge": pilot.challenge_id,
            "contest": candidate.challenge_id,
            "candidate": candidate.id,
            "memo": memo.id,
            "memo_sha": memo.sha256,
            "owner_user": users["owner"].id,
            "unit": department.id,
            "programme": programme_id,
        },
        "pilot": pilot,
        "closed": closed,
        # What the edit forms show, sent back with one change each.
        "pilot_fields": {
            "summary": pilot.summary,
            "challenge_id": str(pilot.challenge_id),
            "unit": department.code,
            "owner": users["owner"].email,
            "start_date": pilot.start_date.isoformat(),
            "end_date": pilot.end_date.isoformat(),
            "budget": "",
            "partner": pilot.partner,
        },
        "kpi_fields": {
            "unit": kpi.unit,
            "baseline": f"{kpi.baseline:.0f}",
            "target": f"{kpi.target:.0f}",
            "direction": kpi.direction,
            "version": kpi.version,
        },
        "task_fields": {
            "assignee": users["assignee"].email,
            "due_date": task.due_date.isoformat(),
            "priority": task.priority,
            "deliverable": task.deliverable,
            "how": task.how or "",
            "version": task.version,
        },
        "task_version": task.version,
        "owner_version": users["owner"].version,
        "unit_version": department.version,
        "programme_id": programme_id,
        "pilot_version": pilot.version,
        "codes": {"department": department.code, "ministry": ministry.code},
    }


def _import_file(world: dict, role: str) -> tuple:
    """The import template as `role` downloads it: one pilot of their own unit, owned by them."""
    person = world["users"].get(role, world["users"]["owner"])
    rows = template_rows(person)
    return io.BytesIO(writers.to_csv(rows[0], rows[1:])), "thi-diem.csv"


def _form(endpoint: str, world: dict, role: str) -> dict:
    """A valid form for each POST route as `role` would send it, so a refusal can only come
    from permissions (a new one per request: files are read once)."""
    if endpoint == "imports.dry_run":
        return {"file": _import_file(world, role)}
    emails, codes, ids = world["emails"], world["codes"], world["ids"]
    return {
        "auth.login": {"email": emails["owner"], "password": PASSWORD},
        "auth.settings": {"lang": "en", "email_mode": "digest", "leader_digest": "0"},
        "admin.units": {
            "code": "NEW-1",
            "name": "Phòng mới",
            "kind": "",
            "parent": codes["ministry"],
        },
        "admin.users": {
            "email": "moi@example.vn",
            "name": "Người mới",
            "role": "staff",
            "unit": codes["department"],
            "password": "a-long-enough-password-2026",
            "lang": "vi",
        },
        "pilots.create": {
            "title": "Thí điểm mới",
            "unit": codes["department"],
            "owner": emails["owner"],
        },
        "pilots.edit": world["pilot_fields"]
        | {"title": "Tên mới", "version": world["pilot_version"]},
        "pilots.add_kpi": {"name": "Chỉ số mới", "direction": "increase"},
        "pilots.update_kpi": world["kpi_fields"] | {"name": "Chỉ số đã sửa"},
        "pilots.delete_kpi": {"version": "1"},
        "memos.decide": {"memo_id": str(world["ids"]["memo"]), "comment": "Đồng ý"},
        "discussion.post_comment": {"body": "Ý kiến trao đổi"},
        "pilots.add_task": {"title": "Việc mới"},
        "pilots.update_task": {"status": "in_progress", "version": world["task_version"]},
        "pilots.complete_task": {"completion_note": "Báo cáo", "version": world["task_version"]},
        "pilots.edit_task": world["task_fields"] | {"title": "Tên mới"},
        "pilots.cancel_task": {"reason": "Không cần nữa", "version": world["task_version"]},
        "pilots.request_due_date": {"new_due_date": "31/12/2099", "reason": "Chờ số liệu"},
        "pilots.decide_due_request": {"decision": "approve"},
        "dashboard.record_value": {"value": "61", "measured_on": "01/11/2026"},
        "pilots.transition": {"to": "evaluating", "comment": "Bắt đầu đánh giá"},
        "reminders.working_days": {"day": "2027-01-04", "working": "0", "note": "Nghỉ"},
        "reminders.save_rules": {
            "before_days": "7,3,1",
            "overdue_every": "2",
            "escalate_after": "3",
            "pilot_end_days": "10,3",
            "decision_after": "5",
        },
        "results.add_measurement": {"value": "61", "measured_on": "2026-11-01"},
        "results.review": {"decision": "approve"},
        # Computed: not met (60 of 65); a different verdict says why.
        "results.verdict": {"verdict": "met", "reason": "Số liệu quý IV đạt mục tiêu"},
        "results.evaluate": {
            c: "4" for c in ("feasibility", "effectiveness", "needs_fit", "cost", "scalability")
        },
        "results.name_evaluator": {"evaluator": emails["other_lead"]},
        "results.upload": {
            "file": (io.BytesIO(b"chi_so,gia_tri\r\nty_le,61\r\n"), "so-lieu.csv"),
            "note": "Số liệu tháng 11",
        },
        "results.retract": {"reason": "Tải nhầm tệp"},
        "memos.issue": {"kind": "pilot_approval", "lang": "vi"},
        "results.select": {
            "selected": str(ids["candidate"]),
            f"formula_{ids['candidate']}": "Làm ngay, làm gọn",
            "others": "not_selected",
            "rationale": "Lý do",
            "lessons": "Bài học",
            "confirmed": "1",
        },
        "rollout.add_targets": {"level": "provinces", "due_date": "01/03/2027", "wave": "1"},
        "rollout.preview_plan": {"level": "provinces", "due_date": "01/03/2027", "wave": "1"},
        "rollout.bulk_update": {"targets": "1:1", "status": "done", "note": "Xong"},
        "rollout.guide": {"rollout_guide": "Bước 1"},
        "rollout.record_regulation": {
            "number": "1/QĐ",
            "date": "2027-01-01",
            "issuer": "UBND",
        },
        "rollout.target": {"status": "done", "version": "1"},
        "admin.merge_units": {
            "source": codes["department"],
            "target": codes["ministry"],
            "confirmed": "1",
        },
        "auth.change_password": {
            "current_password": PASSWORD,
            "new_password": "another-long-password-2026",
            "confirm_password": "another-long-password-2026",
        },
        "admin.user": {
            "name": "Tên mới",
            "role": "staff",
            "unit": codes["department"],
            "lang": "vi",
            "version": world["owner_version"],
        },
        "admin.reset_password": {"password": "a-temporary-password-2026"},
        "admin.set_active": {"reason": "Chuyển công tác", "version": world["owner_version"]},
        "admin.unit": {
            "name": "Sở mới",
            "kind": "",
            "parent": "",
            "version": world["unit_version"],
        },
        "programmes.create_programme": {"name": "Chương trình mới", "description": ""},
        "programmes.edit_programme": {"name": "Tên mới", "version": "1"},
        "programmes.create_challenge": {
            "programme_id": str(world["programme_id"]),
            "title": "Vấn đề mới",
        },
        "programmes.edit_challenge": {
            "programme_id": str(world["programme_id"]),
            "title": "Tên mới",
            "version": "1",
        },
    }.get(endpoint, {})


def _prepared(endpoint: str, world: dict, role: str) -> dict:
    """What an allowed POST needs from an earlier step: the commit, a checked file of theirs."""
    if endpoint == "imports.commit":
        stream, name = _import_file(world, role)
        token = uploads.keep(world["users"][role], name, stream.read())
        db.session.commit()
        return {"token": token}
    return {}


def _answer(response) -> str:
    """The status as the matrix writes it: a redirect to the login page is "login"."""
    if response.status_code == 302 and response.headers["Location"].startswith("/login?next="):
        return "login"
    return str(response.status_code)


def _state(*names: str) -> dict:
    """Every row of every table (or of the tables named) as the database holds it (SQL, not
    the session's objects), read through the test's connection, which sees its rows."""
    tables = [t for t in db.metadata.sorted_tables if not names or t.name in names]
    conn = db.session.connection()
    return {
        table.name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
        for table in tables
    }


def _web_endpoints(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api."):
            continue
        for method in rule.methods & {"GET", "POST"}:
            found.add((method, rule.endpoint))
    return found


def test_every_web_route_is_in_the_matrix(app):
    covered = {(method, endpoint) for method, endpoint, _url in MATRIX}
    missing = sorted(_web_endpoints(app) - covered)
    assert not missing, f"add these routes to MATRIX in {__name__}: {missing}"
    assert covered <= _web_endpoints(app), "MATRIX names a route that no longer exists"


def test_the_matrix_agrees_with_the_permission_layer(app, world):
    """The detail and edit rows are what can_view_pilot and can_edit_pilot say."""
    pilot, closed = world["pilot"], world["closed"]
    view = _expectations(MATRIX[("GET", "pilots.detail", "/pilots/{pilot}")])
    edit = _expectations(MATRIX[("GET", "pilots.edit", "/pilots/{pilot}/edit")])
    edit_closed = _expectations(MATRIX[("GET", "pilots.edit", "/pilots/{closed}/edit")])
    for role, user in world["users"].items():
        assert (view[role] == "200") == can_view_pilot(user, pilot), role
        assert (edit[role] == "200") == can_edit_pilot(user, pilot), role
        assert edit_closed[role] in ("403", "404") and not can_edit_pilot(user, closed), role


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_as_the_matrix_says(app, client, login, world, role):
    if role == "anon":
        client.csrf = csrf_token(client, "/login")
    else:
        login(world["users"][role])
    failures = []
    for (method, endpoint, url_template), row in MATRIX.items():
        expected = _expectations(row)[role]
        if expected.endswith("+"):
            continue  # allowed: test_each_allowed_post_does_its_work
        url = url_template.format(**world["ids"])
        before = _state() if method == "POST" else None
        # Each request in its own application context, hence its own session, as in production.
        with app.app_context():
            if method == "GET":
                response = client.get(url)
            else:
                data = _form(endpoint, world, role) | {"csrf_token": client.csrf}
                response = client.post(url, data=data)
        got, location = _answer(response), response.headers.get("Location", "")
        if got != expected:
            failures.append(f"{method} {url}: expected {expected}, got {got} {location}")
        if method == "POST" and _state() != before:
            failures.append(f"{method} {url}: a refused request changed the database")
    assert not failures, f"as {role}:\n" + "\n".join(failures)


ALLOWED = [
    pytest.param(method, endpoint, url, role, expected, id=f"{endpoint} {url} as {role}")
    for (method, endpoint, url), row in MATRIX.items()
    for role, expected in _expectations(row).items()
    if expected.endswith("+")
]


def test_every_allowed_post_says_what_it_changes():
    assert {endpoint for _m, endpoint, _u, _r, _e in (p.values for p in ALLOWED)} == set(CHANGES)
    assert all(method == "POST" for method, *_rest in (p.values for p in ALLOWED))


def _sign_in(client, user) -> None:
    """Signed in as the login form leaves it (the form itself is a cell of the matrix)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    client.csrf = csrf_token(client, "/settings")


@pytest.mark.parametrize(("method", "endpoint", "url_template", "role", "expected"), ALLOWED)
def test_each_allowed_post_does_its_work(
    app, client, world, method, endpoint, url_template, role, expected
):
    """Each allowed POST alone in a fresh world: its exact answer, and what it changed."""
    if role == "anon":
        client.csrf = csrf_token(client, "/login")
    else:
        _sign_in(client, world["users"][role])
    url = url_template.format(**world["ids"])
    data = _form(endpoint, world, role) | _prepared(endpoint, world, role)
    table = CHANGES[endpoint]
    before = _state(table) if table else None
    with app.app_context():
        response = client.post(url, data=data | {"csrf_token": client.csrf})
    got = _answer(response) + "+"
    assert got == expected, (
        f"{method} {url} as {role}: expected {expected}, got {got} "
        f"{response.headers.get('Location', '')}\n{response.get_data(as_text=True)[:2000]}"
    )
    if table is None:
        # Signing in and out: the next page is open, or asks to sign in.
        with app.app_context():
            after = _answer(client.get("/settings"))
        assert after == ("200" if endpoint == "auth.login" else "login"), after
    else:
        after = _state(table)
        assert after[table] != before[table], f"{method} {url} as {role}: {table} did not change"
