from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.auth.models import Role
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.pagination import page_args
from pilotmgr.core.permissions import can_edit_pilot, can_update_task
from pilotmgr.extensions import db
from pilotmgr.pilots import lifecycle, programmes, service, transitions
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


def _list_filters() -> dict:
    args = request.args
    filters = {
        "stage": args.get("stage") if args.get("stage") in lifecycle.STAGES else None,
        "q": args.get("q", "")[:200],
    }
    filters["unit"] = service.find_unit(args["unit"]) if args.get("unit") else None
    filters["owner"] = service.find_user(args["owner"]) if args.get("owner") else None
    programme = args.get("programme", "")
    filters["programme"] = programmes._find_programme(programme)
    challenge = args.get("challenge", "")
    filters["challenge"] = service.find_challenge(challenge) if challenge else None
    filters.update(dashboard_filters(args))
    return filters


def dashboard_filters(args) -> dict:
    """The filters the leaders' dashboard links with: stuck, overdue, waiting for review."""
    from datetime import datetime, time, timedelta

    from flask import current_app

    from pilotmgr.core.clock import local_zone

    today = service.today()
    found: dict = {}
    if args.get("stuck") == "1":
        try:
            days = int(args.get("stuck_days") or current_app.config["PILOTMGR_STUCK_DAYS"])
        except ValueError:
            days = current_app.config["PILOTMGR_STUCK_DAYS"]
        midnight = datetime.combine(today, time(), tzinfo=local_zone())
        found["stuck_before"] = midnight - timedelta(days=max(1, min(days, 3650)))
    if args.get("overdue") == "1":
        found["overdue_on"] = today
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
    filters = _list_filters()
    result = service.list_pilots(current_user, page, per_page, **filters)
    return render_template(
        "pilots/list.html",
        result=result,
        filters=filters,
        args=request.args,
        **_choices("units", "programmes", "owners"),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    if current_user.role not in (Role.lead, Role.head, Role.admin):
        abort(403)
    errors, values = {}, request.form
    if request.method == "POST":
        try:
            pilot = service.create_pilot(current_user, request.form)
            db.session.commit()
            flash(_l("Pilot registered as a draft."), "success")
            return redirect(url_for("pilots.detail", pilot_id=pilot.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    else:
        values = {"owner": current_user.email, "unit": current_user.unit.code}
    return render_template(
        "pilots/form.html", pilot=None, values=values, errors=errors, **_choices(*FORM_CHOICES)
    ), (422 if errors else 200)


@bp.get("/<int:pilot_id>")
@login_required
def detail(pilot_id):
    pilot = service.pilot_detail(current_user, pilot_id)
    return render_template(
        "pilots/detail.html",
        pilot=pilot,
        history=service.history(current_user, pilot),
        actions=transitions.available_actions(current_user, pilot),
        readiness=lifecycle.readiness(pilot) if pilot.stage == "draft" else [],
        can_edit=can_edit_pilot(current_user, pilot),
        can_update_task=lambda task: can_update_task(current_user, task, pilot),
        today=service.today(),
        **_choices("people"),
    )


@bp.route("/<int:pilot_id>/edit", methods=["GET", "POST"])
@login_required
def edit(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    if not can_edit_pilot(current_user, pilot):
        abort(403)
    errors = {}
    values = (
        request.form
        if request.method == "POST"
        else {
            "title": pilot.title,
            "summary": pilot.summary,
            "challenge_id": pilot.challenge_id or "",
            "unit": pilot.unit.code,
            "owner": pilot.owner.email,
            "start_date": pilot.start_date or "",
            "end_date": pilot.end_date or "",
            "budget": pilot.budget if pilot.budget is not None else "",
            "partner": pilot.partner,
            "version": pilot.version,
        }
    )
    if request.method == "POST":
        try:
            service.update_pilot(current_user, pilot, request.form)
            db.session.commit()
            flash(_l("Changes saved."), "success")
            return redirect(url_for("pilots.detail", pilot_id=pilot.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "pilots/form.html", pilot=pilot, values=values, errors=errors, **_choices(*FORM_CHOICES)
    ), (422 if errors else 200)


@bp.post("/<int:pilot_id>/kpis")
@login_required
def add_kpi(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    service.add_kpi(current_user, pilot, request.form)
    db.session.commit()
    flash(_l("KPI added."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="kpis"))


@bp.post("/<int:pilot_id>/tasks")
@login_required
def add_task(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    service.add_task(current_user, pilot, request.form)
    db.session.commit()
    flash(_l("Task added."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="tasks"))


@bp.post("/tasks/<int:task_id>")
@login_required
def update_task(task_id):
    task = service.get_task(current_user, task_id)
    service.update_task(current_user, task, request.form)
    db.session.commit()
    flash(_l("Task updated."), "success")
    return redirect(
        request.form.get("next") == "my_work"
        and url_for("dashboard.my_work")
        or url_for("pilots.detail", pilot_id=task.pilot_id, _anchor="tasks")
    )


@bp.post("/<int:pilot_id>/transitions")
@login_required
def transition(pilot_id):
    pilot = service.get_pilot(current_user, pilot_id)
    data = request.form.to_dict()
    if data.get("regulation_number") or data.get("regulation_date"):
        data["regulation"] = {
            "number": data.pop("regulation_number", ""),
            "date": data.pop("regulation_date", ""),
            "issuer": data.pop("regulation_issuer", ""),
            "title": data.pop("regulation_title", ""),
        }
    transitions.transition(current_user, pilot, data)
    db.session.commit()
    flash(_l("Stage changed to “%(stage)s”.", stage=lifecycle.STAGE_LABELS[pilot.stage]), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id))
