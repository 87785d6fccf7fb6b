from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from pilotmgr.core.charts import progress_bar
from pilotmgr.dashboard import service
from pilotmgr.dashboard.board import build_board
from pilotmgr.dashboard.leaders import active_units
from pilotmgr.dashboard.scope import build_scope
from pilotmgr.pilots import programmes
from pilotmgr.units.service import tree_order

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index():
    return redirect(url_for("dashboard.my_work"))


@bp.get("/my-work")
@login_required
def my_work():
    return render_template(
        "dashboard/my_work.html",
        tasks=service.my_open_tasks(current_user),
        targets=service.my_open_targets(current_user),
        pilots=service.my_pilots(current_user),
        awaiting=service.awaiting_my_decision(current_user),
        today=service.today(),
    )


@bp.get("/dashboard")
@login_required
def leaders():
    scope = build_scope(current_user, request.args)
    # One read of the units serves the filter and "+1 coverage".
    units = active_units()
    choices = tree_order(units)
    if scope.user.role != "admin":
        choices = [u for u in choices if u.path.startswith(current_user.unit.path)]
    return render_template(
        "dashboard/leaders.html",
        units=choices,
        programmes=programmes.all_programmes(),
        args=request.args,
        progress_bar=progress_bar,
        **build_board(scope, units),
    )
