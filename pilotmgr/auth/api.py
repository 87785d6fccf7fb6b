from flask import request, url_for
from flask_babel import lazy_gettext as _l

from pilotmgr.api import body, created, ok, page_json, page_params, problem, user
from pilotmgr.api.openapi import page_of
from pilotmgr.auth import accounts, service
from pilotmgr.auth.models import LANGS, ROLES
from pilotmgr.core import output as o
from pilotmgr.core import validate as v
from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.errors import NotFound
from pilotmgr.core.pagination import PageQuery
from pilotmgr.core.routes import Routes
from pilotmgr.extensions import db

#: Attached to the API blueprint by the app factory.
routes = Routes()


class TokenOut(o.Output):
    token = o.text()


class UserOut(o.Output):
    id = o.integer()
    email = o.text()
    name = o.text()
    role = o.choice(ROLES)
    unit = o.text(attribute="unit.code")
    lang = o.choice(LANGS)
    active = o.boolean(attribute="is_active_account")
    version = o.integer()


class MeOut(UserOut):
    calendar_url = o.method("feed_url", o.text())

    def feed_url(self, u) -> str:
        return url_for("reminders.calendar_feed", secret=u.calendar_secret, _external=True)


class PasswordChangedOut(o.Output):
    changed = o.boolean()


@routes.post("/auth/token", body=service.TokenInput, out=TokenOut, public=True)
def issue_token():
    """Exchange e-mail and password for a bearer token"""
    found = service.sign_in(body())
    if found is None:
        db.session.rollback()
        return problem(401, "Unauthorized", "Wrong e-mail or password.")
    return ok(TokenOut().dump({"token": service.issue_token(found)}))


@routes.get("/me", out=MeOut)
def me():
    """The caller (email, name, role, unit, lang, calendar_url)"""
    return MeOut().dump(user())


@routes.get("/users", query=(PageQuery, service.UserQuery), out=page_of(UserOut))
def list_users():
    """Users the caller may see; filters q (name or e-mail), role, unit (and below), active"""
    page, per_page = page_params()
    filters = v.parse_query(request.args, service.UserQuery)
    filters["q"] = filters["q"] or ""
    return page_json(service.list_users(user(), page, per_page, **filters), UserOut)


@routes.post("/users", body=service.UserInput, out=UserOut, status=201)
def create_user():
    """Create a user (admin)"""
    return created(UserOut().dump(service.create_user(user(), body())))


@routes.patch("/users/<email>", body=accounts.UserChanges, out=UserOut)
def update_user(email):
    """Change a user (admin): name, role, unit, lang; send the version you read

    `active` false deactivates the account: no sign-in, sessions end, API tokens revoked.
    """
    actor = user()
    found = service.find_user(email) if is_admin(actor) else None
    if found is None:
        # Non-administrators learn nothing about who has an account.
        require(is_admin(actor), str(accounts.ONLY_ADMINS))
        raise NotFound(str(_l("No such user.")))
    return ok(UserOut().dump(accounts.update_user(actor, found, body())))


@routes.post("/me/password", body=service.PasswordChange, out=PasswordChangedOut)
def change_my_password():
    """Change the caller's own password (the current one is needed)"""
    service.change_password(user(), body())
    return ok(PasswordChangedOut().dump({"changed": True}))
