"""The pilot pages: the list, the pilot form, the pilot page with its KPIs and decisions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.auth.models import Role
from pilotmgr.core import validate as v
from pilotmgr.core.errors import GuardFailed, ValidationFailed
from pilotmgr.core.pagination import page_args
from pilotmgr.core.web import commit, confirmation_page, needs_confirmation
from pilotmgr.extensions import db
from pilotmgr.pilots import due_requests, lifecycle, programmes, service, tasks, transitions
from pilotmgr.pilots.consequences import consequences
from pilotmgr.pilots.forms import (
    DECISION_FORMS,
    CloseForm,
    DecisionForm,
    DueDecisionForm,
    DueRequestForm,
    KpiDeleteForm,
    KpiEditForm,
    KpiForm,
    PilotFilterForm,
    PilotForm,
    TaskCancelForm,
    TaskDoneForm,
    TaskEditForm,
    TaskForm,
    TaskRowForms,
    TaskStatusForm,
)
from pilotmgr.pilots.permissions import can_edit_pilot, can_update_task
from pilotmgr.pilots.stages import Stage
from pilotmgr.units.service import all_units, tree_order

bp = Blueprint("pilots", __name__, url_prefix="/pilots")
FORM_CHOICES = ("units", "challenges", "owners")


def _choices(*names: str) -> dict:
    """Only the option lists a page shows; people as plain rows, since there may be thousands."""
    from sqlalchemy import select

    from pilotmgr.auth.models import User

    found: dict = {}
    if "units" in names:
        found["units"] = tree_order(all_units())
    if "challenges" in names:
        found["challenges"] = programmes.all_challenges()
    if "programmes" in names:
        found["programmes"] = programmes.all_programmes()
    if "owners" in names or "people" in names:
        people = db.session.execute(
            select(User.id, User.email, User.name, User.role)
            .where(User.is_active_account)
            .order_by(User.name, User.id)
        ).all()
        found["owners"] = [u for u in people if u.role in (Role.lead, Role.head, Role.admin)]
        found["people"] = people
    return found


def _list_filters(form: PilotFilterForm | None = None) -> dict:
    """The list's filters from the query (the exports read them too, without a form)."""
    form = form if form is not None else PilotFilterForm(request.args)
    form.validate()
    data = form.data
    filters = {"stage": form.chosen_stage(), "q": (data.get("q") or "")[:200]}
    filters["unit"] = service.find_unit(data["unit"]) if data.get("unit") else None
    filters["owner"] = service.find_user(data["owner"]) if data.get("owner") else None
    filters["programme"] = programmes._find_programme(data.get("programme") or "")
    challenge = request.args.get("challenge", "")
    filters["challenge"] = service.find_challenge(challenge) if challenge else None
    filters.update(dashboard_filters(request.args))
    return filters


def dashboard_filters(args) -> dict:
    """The filters the leaders' dashboard links with: stuck, overdue, waiting for review."""
    found: dict = {}
    if args.get("stuck") == "1":
        days = v.row_id(args.get("stuck_days") or "")
        found["stuck_before"] = service.stuck_before(days)
    if args.get("overdue") == "1":
        found["overdue_on"] = service.today()
    if args.get("pending") == "1":
        found["pending_review"] = True
    return found


@bp.get("/")
@login_required
def index():
    try:
        page, per_page = page_args(request.args.get("page"), request.args.get("per_page"))
    except ValidationFailed:
        page, per_page = 1, 25
    choices = _choices("units", "programmes", "owners")
    form = PilotFilterForm(request.args, **choices)
    filters = _list_filters(form)
    result = service.list_pilots(current_user, page, per_page, **filters)
    return render_template(
        "pilots/list.html", result=result, filters=filters, args=request.args, form=form
    )


def _pilot_form_choices() -> dict:
    found = _choices(*FORM_CHOICES)
    return {"challenges": found["challenges"], "units": found["units"], "owners": found["owners"]}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    if current_user.role not in (Role.lead, Role.head, Role.admin):
        abort(403)
    form = PilotForm(**_pilot_form_choices())
    if request.method == "GET":
        form.owner.data, form.unit.data = current_user.email, current_user.unit.code
    done, pilot = form.run(lambda data: service.create_pilot(current_user, data))
    if done:
        commit()
        flash(_l("Pilot registered as a draft."), "success")
        return redirect(url_for("pilots.detail", pilot_id=pilot.id))
    return render_template("pilots/form.html", pilot=None, form=form), (422 if form.errors else 200)


def detail_page(pilot_id, page_forms: dict | None = None, status: int = 200):
    """The pilot page; `page_forms` are forms that failed, shown open with what was typed.

    Every block of the page (results, rollout, memos, discussion) looks its forms up here
    first, by the names its template uses, and otherwise shows an empty one.
    """
    pilot = service.pilot_detail(current_user, pilot_id)
    can_edit = can_edit_pilot(current_user, pilot)
    forms: dict = {"kpi": KpiForm(formdata=None, id_prefix="kpi-")}
    if can_edit:
        forms |= {f"kpi-{k.id}": KpiEditForm.for_kpi(k) for k in pilot.kpis}
    forms |= page_forms or {}
    # The memos feature builds on pilots: the app factory hands over its block.
    memos_block = current_app.extensions["pilotmgr.memos_block"](current_user, pilot, forms)
    return render_template(
        "pilots/detail.html",
        pilot=pilot,
        history=service.history(current_user, pilot),
        decisions=decision_forms(current_user, pilot, forms, memos_block["decide_form"]),
        memos_block=memos_block,
        readiness=lifecycle.readiness(pilot) if pilot.stage == Stage.draft else [],
        can_edit=can_edit,
        can_update_task=lambda task: can_update_task(current_user, task, pilot),
        today=service.today(),
        page_forms=forms,
        **_choices("people"),
    ), status


def decision_form(step, pilot, user, **kwargs) -> DecisionForm:
    form_class = DECISION_FORMS[step.name]
    if issubclass(form_class, CloseForm):
        kwargs["outcomes"] = lifecycle.allowed_outcomes(user, pilot)
    return form_class(pilot=pilot, step=step, **kwargs)


def decision_forms(user, pilot, page_forms: dict, on_memo=None) -> list[DecisionForm]:
    """The Decisions card: one form per step the user may take, but the one taken on a memo.

    `on_memo` is the memos block's decision form, if the head decides a step there.
    """
    on_memo = on_memo.transition if on_memo is not None else None
    found = []
    for step in lifecycle.allowed_transitions(user, pilot):
        if on_memo is not None and step.name == on_memo.name:
            continue
        form = page_forms.get(f"decision-{step.name}")
        if form is None:
            form = decision_form(step, pilot, user, formdata=None)
            form.missing = transitions.prerequisites(pilot, step)
        found.append(form)
    return found


@bp.get("/<int:pilot_id>")
@login_required
def detail(pilot_id):
    return detail_page(pilot_id)


@bp.route("/<int:pilot_id>/edit", methods=["GET", "POST"])
@login_required
def edit(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    if not can_edit_pilot(current_user, pilot):
        abort(403)
    choices = _pilot_form_choices()
    form = (
        PilotForm(**choices) if request.method == "POST" else PilotForm.for_pilot(pilot, **choices)
    )
    done, _pilot = form.run(lambda data: service.update_pilot(current_user, pilot, data))
    if done:
        commit()
        flash(_l("Changes saved."), "success")
        return redirect(url_for("pilots.detail", pilot_id=pilot.id))
    return render_template("pilots/form.html", pilot=pilot, form=form), (
        422 if form.errors else 200
    )


# --- KPIs --------------------------------------------------------------------------------------


@bp.post("/<int:pilot_id>/kpis")
@login_required
def add_kpi(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    form = KpiForm(id_prefix="kpi-")
    done, _kpi = form.run(lambda data: service.add_kpi(current_user, pilot, data))
    if not done:
        return detail_page(pilot.id, {"kpi": form}, 422)
    commit()
    flash(_l("KPI added."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="kpis"))


@bp.post("/kpis/<int:kpi_id>")
@login_required
def update_kpi(kpi_id):
    kpi = service.get_kpi(current_user, kpi_id)
    form = KpiEditForm(id_prefix=f"kpi-{kpi.id}-")
    done, _kpi = form.run(lambda data: service.update_kpi(current_user, kpi, data))
    if not done:
        return detail_page(kpi.pilot_id, {f"kpi-{kpi.id}": form}, 422)
    commit()
    flash(_l("KPI updated."), "success")
    return redirect(url_for("pilots.detail", pilot_id=kpi.pilot_id, _anchor="kpis"))


@bp.post("/kpis/<int:kpi_id>/delete")
@login_required
def delete_kpi(kpi_id):
    kpi = service.get_kpi(current_user, kpi_id)
    pilot_id, name = kpi.pilot_id, kpi.name
    form = KpiDeleteForm()
    if not form.validate_on_submit():
        abort(400)
    service.delete_kpi(current_user, kpi, form.service_data())
    commit()
    flash(_l("KPI “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot_id, _anchor="kpis"))


# --- lifecycle decisions ----------------------------------------------------------------------


def _posted_step(pilot):
    """The step the posted form takes: named by `step`, or the user's step to `to`."""
    posted = request.form.get("step")
    target = request.form.get("to")
    allowed = lifecycle.allowed_transitions(current_user, pilot)
    if posted in lifecycle.STEPS:
        step = lifecycle.STEPS[posted]
        if step in allowed:
            return step
        # A close the user may take under another name (the owner stops, a head closes).
        return next((t for t in allowed if t.target == step.target == Stage.closed), None)
    return next((t for t in allowed if t.target == target), None)


@bp.post("/<int:pilot_id>/transitions")
@login_required
def transition(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    step = _posted_step(pilot)
    if step is None:
        # Not a step this user may take now: the service says why (not allowed, not possible).
        transitions.dry_run(current_user, pilot, request.form.to_dict())
        abort(400)
    form = decision_form(step, pilot, current_user)
    return decide(pilot, form)


def decide(pilot, form: DecisionForm):
    """Take the form's step; a field error or an unmet guard re-renders the page with the form.

    Steps that cannot be undone first show what will happen and ask once more.
    """

    def failed():
        db.session.rollback()
        return detail_page(pilot.id, {form.page_key: form}, 422)

    if not form.validate_on_submit():
        return failed()
    data = form.service_data()
    try:
        if form.transition.target in IRREVERSIBLE and needs_confirmation():
            step, request_ = transitions.dry_run(current_user, pilot, data)
            return confirmation_page(
                step.label,
                consequences(current_user, pilot, step, request_),
                step.label,
                url_for("pilots.detail", pilot_id=pilot.id),
            )
        transitions.transition(current_user, pilot, data)
    except GuardFailed as exc:
        form.take_missing(exc.missing)
        return failed()
    except ValidationFailed as exc:
        form.take_errors(exc.errors)
        return failed()
    commit()
    flash(_l("Stage changed to “%(stage)s”.", stage=lifecycle.STAGE_LABELS[pilot.stage]), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id))


#: Steps that cannot be taken back: they ask once more, saying what will happen.
IRREVERSIBLE = lifecycle.FINISHED


# --- tasks ---------------------------------------------------------------------------------
# Each task form posts here from the pilot page or from *Việc của tôi* (`next=my_work`); a
# failed one is shown again, open, with what was typed, on the page it came from.


def _from_my_work() -> bool:
    return request.form.get("next") == "my_work"


def _prefix(kind: str, task) -> str:
    """The ids a row's form has on the page, so that a failed one is shown where it was."""
    return f"{TaskRowForms.name(kind, task.id)}-"


def _task_failed(task, kind: str, form):
    name = TaskRowForms.name(kind, task.id)
    if _from_my_work():
        # The "my work" page is the dashboard's, built on pilots; the app factory hands it over.
        return current_app.extensions["pilotmgr.my_work_page"]({name: form}, 422)
    return detail_page(task.pilot_id, {name: form}, 422)


def _task_done(task, message, my_work_anchor: str = ""):
    commit()
    flash(message, "success")
    if _from_my_work():
        anchor = my_work_anchor or f"task-{task.id}"
        return redirect(url_for("dashboard.my_work", _anchor=anchor))
    return redirect(url_for("pilots.detail", pilot_id=task.pilot_id, _anchor=f"task-{task.id}"))


def task_block(pilot, page_forms: dict, people) -> dict:
    """What the pilot page's task list shows besides the tasks: forms, requests, products."""
    new = page_forms.get("task-new") or TaskForm(formdata=None, id_prefix="task-new-")
    return {
        #: Whom a task may be given to: the page's one list, offered by every assignee field.
        "people": [u for u in people if u.role != Role.viewer],
        "forms": TaskRowForms(page_forms),
        "new": new,
        "pending": due_requests.pending_requests(pilot_id=pilot.id),
        "products": tasks.products(pilot.id),
    }


@bp.record_once
def _task_helpers(state):
    state.app.jinja_env.globals["pilot_tasks"] = task_block


@bp.post("/<int:pilot_id>/tasks")
@login_required
def add_task(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    form = TaskForm(id_prefix="task-new-")
    done, task = form.run(lambda data: tasks.add_task(current_user, pilot, data))
    if not done:
        return detail_page(pilot.id, {"task-new": form}, 422)
    return _task_done(task, _l("Task added."))


def _task_action(task_id, kind: str, form_class, act, message, **form_args):
    """One task form: validate, let `act(task, data)` change it, or show the form again."""
    task = tasks.get_task(current_user, task_id)
    form = form_class(id_prefix=_prefix(kind, task), **form_args)
    done, _result = form.run(lambda data: act(task, data))
    if not done:
        return _task_failed(task, kind, form)
    return _task_done(task, message)


@bp.post("/tasks/<int:task_id>")
@login_required
def update_task(task_id):
    """Start a task, or reopen a finished one."""
    return _task_action(
        task_id,
        "status",
        TaskStatusForm,
        lambda task, data: tasks.update_task(current_user, task, data),
        _l("Task updated."),
    )


@bp.post("/tasks/<int:task_id>/done")
@login_required
def complete_task(task_id):
    return _task_action(
        task_id,
        "done",
        TaskDoneForm,
        lambda task, data: tasks.complete_task(current_user, task, data),
        _l("Task done; its product is on record."),
    )


@bp.post("/tasks/<int:task_id>/edit")
@login_required
def edit_task(task_id):
    return _task_action(
        task_id,
        "edit",
        TaskEditForm,
        lambda task, data: tasks.update_task(current_user, task, data),
        _l("Task changed."),
    )


@bp.post("/tasks/<int:task_id>/cancel")
@login_required
def cancel_task(task_id):
    return _task_action(
        task_id,
        "cancel",
        TaskCancelForm,
        lambda task, data: tasks.cancel_task(current_user, task, data),
        _l("Task cancelled."),
    )


@bp.post("/tasks/<int:task_id>/due-requests")
@login_required
def request_due_date(task_id):
    return _task_action(
        task_id,
        "due",
        DueRequestForm,
        lambda task, data: due_requests.request_due_date(current_user, task, data),
        _l("Your request was sent; the pilot's owner decides on it."),
    )


@bp.post("/due-requests/<int:request_id>/decision")
@login_required
def decide_due_request(request_id):
    found = due_requests.get_due_request(current_user, request_id)
    task = tasks.get_task(current_user, found.task_id)
    form = DueDecisionForm(id_prefix=_prefix("decide", task))
    done, decided = form.run(
        lambda data: due_requests.decide_due_request(current_user, found, data)
    )
    if not done:
        return _task_failed(task, "decide", form)
    approved = decided.status == "approved"
    message = _l("New due date approved.") if approved else _l("Request declined.")
    return _task_done(task, message, "awaiting")
