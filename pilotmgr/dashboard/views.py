from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.auth.models import Role
from pilotmgr.core.charts import progress_bar
from pilotmgr.core.web import commit
from pilotmgr.dashboard import service
from pilotmgr.dashboard.board import build_board
from pilotmgr.dashboard.forms import (
    LeadersFilterForm,
    MeasurementForm,
    RowForms,
    TargetProgressForm,
    target_form_name,
    value_form_name,
)
from pilotmgr.dashboard.leaders import active_units
from pilotmgr.dashboard.scope import build_scope
from pilotmgr.pilots import due_requests, programmes
from pilotmgr.pilots.forms import TaskRowForms
from pilotmgr.units.service import tree_order

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index():
    """Where each person starts: viewers on the pilots they follow, everyone else on their work."""
    if current_user.is_authenticated and current_user.role == Role.viewer:
        return redirect(url_for("pilots.index"))
    return redirect(url_for("dashboard.my_work"))


def my_work_page(page_forms: dict | None = None, status: int = 200):
    """*Việc của tôi*; `page_forms` are forms that failed, shown open with what was typed."""
    page_forms = page_forms or {}
    today = service.today()
    my_tasks = service.my_open_tasks(current_user)
    return render_template(
        "dashboard/my_work.html",
        tasks=my_tasks,
        pending=due_requests.pending_requests(assignee_id=current_user.id),
        task_forms=TaskRowForms(page_forms),
        row_forms=RowForms(page_forms),
        TargetProgressForm=TargetProgressForm,
        MeasurementForm=MeasurementForm,
        target_form_name=target_form_name,
        value_form_name=value_form_name,
        targets=service.my_open_targets(current_user),
        values=service.values_to_enter(current_user),
        pilots=service.my_pilots(current_user),
        awaiting=service.awaiting_my_decision(current_user, today),
        today=today,
    ), status


@bp.get("/my-work")
@login_required
def my_work():
    return my_work_page()


def _to_my_work(anchor: str):
    return redirect(url_for("dashboard.my_work", _anchor=anchor))


@bp.post("/my-work/targets/<int:target_id>")
@login_required
def target_progress(target_id):
    """Start, finish (with a note and a file) or report blocked one rollout target."""
    from pilotmgr.rollout import service as rollout

    target = rollout.get_target(current_user, target_id)
    action = request.form.get("status", "")
    action = action if action in ("in_progress", "done", "blocked") else "done"
    form = TargetProgressForm(id_prefix=f"{target_form_name(action, target.id)}-")

    def save(data):
        file = data.pop("file", None)
        found = rollout.update_target(current_user, target, data)
        if file is not None and getattr(file, "filename", ""):
            rollout.add_target_evidence(current_user, target, file, data.get("note") or "")
        return found

    done, _found = form.run(save)
    if not done:
        return my_work_page({target_form_name(action, target.id): form}, 422)
    commit()
    flash(_l("Rollout target updated."), "success")
    return _to_my_work(f"target-{target.id}")


@bp.post("/my-work/kpis/<int:kpi_id>/values")
@login_required
def record_value(kpi_id):
    """A KPI value entered from *Việc của tôi*; it counts once approved."""
    from pilotmgr.results import service as results

    kpi, pilot = results.get_kpi(current_user, kpi_id)
    form = MeasurementForm(id_prefix=f"{value_form_name(kpi.id)}-")
    done, _value = form.run(lambda data: results.record_measurement(current_user, kpi, pilot, data))
    if not done:
        return my_work_page({value_form_name(kpi.id): form}, 422)
    commit()
    flash(_l("Value recorded; it counts once approved."), "success")
    return _to_my_work(f"value-{kpi.id}")


@bp.get("/dashboard")
@login_required
def leaders():
    scope = build_scope(current_user, request.args)
    # One read of the units serves the filter and "+1 coverage".
    units = active_units()
    choices = tree_order(units)
    if scope.user.role != "admin":
        choices = [u for u in choices if u.path.startswith(current_user.unit.path)]
    form = LeadersFilterForm.for_scope(
        request.args, scope, units=choices, programmes=programmes.all_programmes()
    )
    return render_template(
        "dashboard/leaders.html",
        form=form,
        args=request.args,
        progress_bar=progress_bar,
        **build_board(scope, units),
    )
