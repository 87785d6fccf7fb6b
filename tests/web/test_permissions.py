"""Every web route × every kind of person: the answer the permission layer promises, never a 500.

The matrix below is the specification. Each cell is what one person gets:
  200 / 302   the page, or a redirect somewhere other than the login page
  login       a redirect to the login page (anonymous)
  403 / 404   refused; 404 where the pilot must stay invisible
  ok          allowed POST (changes things; covered by the features' own tests, not run here)
Refused POSTs are sent with a valid CSRF token and a valid form, and must change nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
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
    ("POST", "auth.login", "/login"): "302 302 302 302 302 302 302 302 ok",
    ("POST", "auth.logout", "/logout"): "ok ok ok ok ok ok ok ok login",
    ("POST", "auth.settings", "/settings"): "ok ok ok ok ok ok ok ok login",
    ("POST", "auth.regenerate_calendar", "/settings/calendar"): "ok ok ok ok ok ok ok ok login",
    ("POST", "admin.units", "/admin/units"): "ok 403 403 403 403 403 403 403 login",
    ("POST", "admin.users", "/admin/users"): "ok 403 403 403 403 403 403 403 login",
    ("POST", "pilots.create", "/pilots/new"): "ok ok 403 ok ok 403 403 403 login",
    ("POST", "pilots.edit", "/pilots/{pilot}/edit"): "ok ok 404 ok 403 403 404 403 login",
    ("POST", "pilots.edit", "/pilots/{closed}/edit"): "403 403 404 403 403 404 404 403 login",
    ("POST", "pilots.add_kpi", "/pilots/{pilot}/kpis"): "ok ok 404 ok 403 403 404 403 login",
    ("POST", "pilots.update_kpi", "/pilots/kpis/{kpi}"): "ok ok 404 ok 403 403 404 403 login",
    # The pilot is piloting: its KPIs can no longer be deleted (refused with a message).
    ("POST", "pilots.delete_kpi", "/pilots/kpis/{kpi}/delete"): (
        "302 302 404 302 403 403 404 403 login"
    ),
    ("POST", "pilots.add_task", "/pilots/{pilot}/tasks"): "ok ok 404 ok 403 403 404 403 login",
    ("POST", "pilots.update_task", "/pilots/tasks/{task}"): "ok ok 404 ok 403 ok 404 403 login",
    ("POST", "pilots.complete_task", "/pilots/tasks/{task}/done"): (
        "ok ok 404 ok 403 ok 404 403 login"
    ),
    ("POST", "pilots.edit_task", "/pilots/tasks/{task}/edit"): (
        "ok ok 404 ok 403 403 404 403 login"
    ),
    ("POST", "pilots.cancel_task", "/pilots/tasks/{task}/cancel"): (
        "ok ok 404 ok 403 403 404 403 login"
    ),
    ("POST", "pilots.request_due_date", "/pilots/tasks/{task}/due-requests"): (
        "403 403 404 403 403 ok 404 403 login"
    ),
    ("POST", "pilots.decide_due_request", "/pilots/due-requests/{due_request}/decision"): (
        "ok ok 404 ok 403 403 404 403 login"
    ),
    ("POST", "pilots.decide_due_request", "/pilots/due-requests/{missing}/decision"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "dashboard.target_progress", "/my-work/targets/{missing}"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "dashboard.record_value", "/my-work/kpis/{kpi}/values"): (
        "ok ok 404 ok ok ok 404 403 login"
    ),
    ("POST", "pilots.transition", "/pilots/{pilot}/transitions"): (
        "ok ok 404 ok 403 403 404 403 login"
    ),
    # --- reminders and notifications -------------------------------------------------------------
    ("GET", "reminders.index", "/notifications"): "200 200 200 200 200 200 200 200 login",
    ("POST", "reminders.read", "/notifications/{missing}/read"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "reminders.read_all", "/notifications/read-all"): "ok ok ok ok ok ok ok ok login",
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
    ("POST", "reminders.working_days", "/admin/calendar"): "ok 403 403 403 403 403 403 403 login",
    ("POST", "reminders.delete_day", "/admin/calendar/2027-01-04/delete"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    ("POST", "reminders.save_rules", "/admin/reminder-rules/{missing}"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    # --- results, evaluation, selection ------------------------------------------------------------
    ("POST", "results.add_measurement", "/kpis/{kpi}/measurements"): (
        "ok ok 404 ok ok ok 404 403 login"
    ),
    ("POST", "results.review", "/measurements/{missing}/review"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "results.verdict", "/kpis/{kpi}/verdict"): "ok ok 404 403 403 403 404 403 login",
    ("POST", "results.evaluate", "/pilots/{pilot}/evaluations"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    ("POST", "results.name_evaluator", "/pilots/{pilot}/evaluators"): (
        "ok ok 404 403 403 403 404 403 login"
    ),
    ("POST", "results.upload", "/pilots/{pilot}/evidence"): "ok ok 404 ok ok ok 404 403 login",
    ("GET", "results.download", "/evidence/{missing}"): "404 404 404 404 404 404 404 404 login",
    ("POST", "results.retract", "/evidence/{missing}/retraction"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("GET", "results.comparison", "/challenges/{challenge}/comparison"): (
        "200 200 200 200 200 200 200 200 login"
    ),
    ("POST", "results.select", "/challenges/{challenge}/selection"): (
        "ok ok ok 403 403 403 403 403 login"
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
    ("POST", "admin.merge_units", "/admin/units/merge"): "ok 403 403 403 403 403 403 403 login",
    # --- decision memos -------------------------------------------------------------------------------
    ("GET", "memos.preview", "/pilots/{pilot}/memos/preview?kind=pilot_approval"): (
        "200 200 404 200 200 200 404 200 login"
    ),
    ("GET", "memos.preview", "/pilots/{pilot}/memos/preview?kind=nonsense"): (
        "404 404 404 404 404 404 404 404 login"
    ),
    ("POST", "memos.issue", "/pilots/{pilot}/memos"): "ok ok 404 ok 403 403 404 403 login",
    # Piloting: no step is decided on a memo now.
    ("POST", "memos.decide", "/pilots/{pilot}/memos/decision"): (
        "403 403 404 403 403 403 404 403 login"
    ),
    # --- discussion -------------------------------------------------------------------------------
    ("POST", "discussion.post_comment", "/pilots/{pilot}/comments"): (
        "ok ok 404 ok ok ok 404 ok login"
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
    ("POST", "imports.dry_run", "/import"): "ok ok ok ok ok 403 403 403 login",
    ("POST", "imports.commit", "/import/commit"): "ok ok ok ok ok 403 403 403 login",
    ("GET", "search.index", "/search?q=tap+huan"): "200 200 200 200 200 200 200 200 login",
    # --- accounts, units, programmes (issue 15) ---------------------------------------------
    ("POST", "auth.change_password", "/settings/password"): "ok ok ok ok ok ok ok ok login",
    ("GET", "admin.user", "/admin/users/{owner_user}"): "200 403 403 403 403 403 403 403 login",
    ("GET", "admin.user", "/admin/users/{missing}"): "404 403 403 403 403 403 403 403 login",
    ("POST", "admin.user", "/admin/users/{owner_user}"): "ok 403 403 403 403 403 403 403 login",
    ("POST", "admin.reset_password", "/admin/users/{owner_user}/password"): (
        "ok 403 403 403 403 403 403 403 login"
    ),
    ("POST", "admin.set_active", "/admin/users/{owner_user}/active"): (
        "ok 403 403 403 403 403 403 403 login"
    ),
    ("POST", "admin.set_active", "/admin/users/{missing}/active"): (
        "404 403 403 403 403 403 403 403 login"
    ),
    ("GET", "admin.unit", "/admin/units/{unit}"): "200 403 403 403 403 403 403 403 login",
    ("GET", "admin.unit", "/admin/units/{missing}"): "404 403 403 403 403 403 403 403 login",
    ("POST", "admin.unit", "/admin/units/{unit}"): "ok 403 403 403 403 403 403 403 login",
    ("GET", "programmes.index", "/programmes"): "200 200 200 200 200 200 200 200 login",
    ("GET", "programmes.create_programme", "/programmes/new"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("POST", "programmes.create_programme", "/programmes/new"): (
        "ok ok ok 403 403 403 403 403 login"
    ),
    ("GET", "programmes.edit_programme", "/programmes/{programme}/edit"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("GET", "programmes.edit_programme", "/programmes/{missing}/edit"): (
        "404 404 404 403 403 403 403 403 login"
    ),
    ("POST", "programmes.edit_programme", "/programmes/{programme}/edit"): (
        "ok ok ok 403 403 403 403 403 login"
    ),
    ("GET", "programmes.create_challenge", "/challenges/new"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("POST", "programmes.create_challenge", "/challenges/new"): (
        "ok ok ok 403 403 403 403 403 login"
    ),
    ("GET", "programmes.edit_challenge", "/challenges/{challenge}/edit"): (
        "200 200 200 403 403 403 403 403 login"
    ),
    ("POST", "programmes.edit_challenge", "/challenges/{challenge}/edit"): (
        "ok ok ok 403 403 403 403 403 login"
    ),
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
    asked = TaskDueRequest(
        task_id=task.id,
        requested_by_id=users["assignee"].id,
        old_due_date=task.due_date,
        new_due_date=make.days(40),
        reason="Chờ số liệu",
    )
    db.session.add(asked)
    db.session.commit()
    closed = make.pilot("closed", owner=users["owner"], unit_=department, outcome="stopped")
    memo = make.issued_memo(pilot, users["owner"], kind="pilot_approval")
    programme_id = db.session.get(Challenge, pilot.challenge_id).programme_id
    return {
        "users": users,
        "emails": {role: u.email for role, u in users.items()},
        "ids": {
            "pilot": pilot.id,
            "closed": closed.id,
            "task": task.id,
            "due_request": asked.id,
            "missing": 999_999,
            "kpi": db.session.scalar(select(Kpi.id).where(Kpi.pilot_id == pilot.id)),
            "challenge": pilot.challenge_id,
            "memo": memo.id,
            "memo_sha": memo.sha256,
            "owner_user": users["owner"].id,
            "unit": department.id,
            "programme": programme_id,
        },
        "pilot": pilot,
        "closed": closed,
        "task_version": task.version,
        "owner_version": users["owner"].version,
        "unit_version": department.version,
        "programme_id": programme_id,
        "pilot_version": pilot.version,
        "codes": {"department": department.code, "ministry": ministry.code},
    }


def _form(endpoint: str, world: dict) -> dict:
    """A valid form for each POST route, so a refusal can only come from permissions."""
    emails, codes = world["emails"], world["codes"]
    return {
        "auth.login": {"email": emails["owner"], "password": PASSWORD},
        "auth.settings": {"lang": "en"},
        "admin.units": {"code": "NEW-1", "name": "Phòng mới", "parent": codes["ministry"]},
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
        "pilots.edit": {"title": "Tên mới", "version": world["pilot_version"]},
        "pilots.add_kpi": {"name": "Chỉ số mới", "direction": "increase"},
        "pilots.update_kpi": {"name": "Chỉ số đã sửa", "direction": "increase", "version": "1"},
        "pilots.delete_kpi": {"version": "1"},
        "memos.decide": {"memo_id": str(world["ids"]["memo"]), "comment": "Đồng ý"},
        "discussion.post_comment": {"body": "Ý kiến trao đổi"},
        "pilots.add_task": {"title": "Việc mới"},
        "pilots.update_task": {"status": "in_progress", "version": world["task_version"]},
        "pilots.complete_task": {"completion_note": "Báo cáo", "version": world["task_version"]},
        "pilots.edit_task": {"title": "Tên mới", "version": world["task_version"]},
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
        "results.verdict": {"verdict": "met"},
        "results.evaluate": {
            c: "4" for c in ("feasibility", "effectiveness", "needs_fit", "cost", "scalability")
        },
        "results.name_evaluator": {"evaluator": emails["other_lead"]},
        "results.retract": {"reason": "Tải nhầm tệp"},
        "memos.issue": {"kind": "pilot_approval", "lang": "vi"},
        "results.select": {"others": "not_selected", "rationale": "Lý do", "lessons": "Bài học"},
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
        "admin.merge_units": {"source": codes["department"], "target": codes["ministry"]},
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


def _state() -> dict:
    """Every row of every table as the database holds it (SQL, not the session's objects)."""
    conn = db.session.connection()
    return {
        table.name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
        for table in db.metadata.sorted_tables
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
        if expected == "ok":
            continue
        url = url_template.format(**world["ids"])
        before = _state() if method == "POST" else None
        # Each request in its own application context, hence its own session, as in production.
        with app.app_context():
            if method == "GET":
                response = client.get(url)
            else:
                data = _form(endpoint, world) | {"csrf_token": client.csrf}
                response = client.post(url, data=data)
        got = str(response.status_code)
        location = response.headers.get("Location", "")
        if got == "302":
            got = "login" if location.startswith("/login?next=") else "302"
        if got != expected:
            failures.append(f"{method} {url}: expected {expected}, got {got} {location}")
        if method == "POST" and _state() != before:
            failures.append(f"{method} {url}: a refused request changed the database")
    assert not failures, f"as {role}:\n" + "\n".join(failures)
