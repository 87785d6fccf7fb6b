from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from pilotmgr.dashboard import service

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
