from flask import request, url_for
from flask_babel import lazy_gettext as _l

from pilotmgr.api import body, created, ok, page_json, page_params, problem, user
from pilotmgr.auth import service
from pilotmgr.auth.models import ROLES
from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.errors import NotFound, ValidationFailed
from pilotmgr.core.routes import Routes
from pilotmgr.extensions import db

#: Attached to the API blueprint by the app factory.
routes = Routes()


def user_json(u) -> dict:
    return {
        "id": u.id,
        "email": u.email,
        "name": u.name,
        "role": u.role,
        "unit": u.unit.code,
        "lang": u.lang,
        "active": u.is_active_account,
        "version": u.version,
    }


def calendar_url(u) -> str:
    return url_for("reminders.calendar_feed", secret=u.calendar_secret, _external=True)


@routes.post("/auth/token", public=True)
def issue_token():
    data = body()
    found = service.authenticate(data.get("email"), data.get("password"))
    if found is None:
        db.session.rollback()
        return problem(401, "Unauthorized", "Wrong e-mail or password.")
    token = service.issue_token(found)
    return ok({"token": token})


@routes.get("/me")
def me():
    u = user()
    return {**user_json(u), "calendar_url": calendar_url(u)}


@routes.get("/users")
def list_users():
    page, per_page = page_params()
    return page_json(service.list_users(user(), page, per_page, **_user_filters()), user_json)


def _user_filters() -> dict:
    """?q= (name or e-mail, without diacritics), role=, unit= (and below), active=1/0."""
    args, errors = request.args, {}
    role = args.get("role") or None
    if role and role not in ROLES:
        errors["role"] = [str(_l("Must be one of: %(options)s.", options=", ".join(ROLES)))]
    unit = service._find_unit(args["unit"]) if args.get("unit") else None
    if args.get("unit") and unit is None:
        errors["unit"] = [str(_l("No such unit."))]
    active = {"1": True, "true": True, "0": False, "false": False}.get(args.get("active", ""))
    if args.get("active") and active is None:
        errors["active"] = [str(_l("Must be true or false."))]
    if errors:
        raise ValidationFailed(errors)
    return {"q": args.get("q", "")[:200], "role": role, "unit": unit, "active": active}


@routes.post("/users")
def create_user():
    return created(user_json(service.create_user(user(), body())))


@routes.patch("/users/<email>")
def update_user(email):
    from pilotmgr.auth import accounts

    actor = user()
    found = service.find_user(email) if is_admin(actor) else None
    if found is None:
        # Non-administrators learn nothing about who has an account.
        require(is_admin(actor), str(accounts.ONLY_ADMINS))
        raise NotFound(str(_l("No such user.")))
    return ok(user_json(accounts.update_user(actor, found, body())))


@routes.post("/me/password")
def change_my_password():
    service.change_password(user(), body())
    return ok({"changed": True})
