"""People: accounts, passwords, API tokens."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from pilotmgr.auth.models import LANGS, ROLES, ApiToken, Role, User, new_secret
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.errors import NotFound, ValidationFailed
from pilotmgr.core.query import Query
from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.units.models import Unit, subtree_ids

MIN_PASSWORD = 10


def _find_unit(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code, Unit.is_active))


class TokenInput(v.Input):
    """`POST /auth/token`: the e-mail and password of an active account."""

    email = v.text(255, required=True)
    password = v.secret(required=True)


class UserInput(v.Input):
    email = v.text(255, required=True)
    name = v.text(255, required=True)
    role = v.choice(ROLES, required=True)
    unit = v.lookup(_find_unit, _l("No such unit."), required=True)
    password = v.secret(required=True)
    lang = v.choice(LANGS)
    must_change_password = v.boolean()


class UserQuery(Query):
    """The people list's filters: name or e-mail (without diacritics), role, unit (and the
    units below it), active or deactivated accounts."""

    q = v.text(200)
    role = v.choice(ROLES)
    unit = v.lookup(_find_unit, _l("No such unit."))
    active = v.boolean()


class PasswordChange(v.Input):
    current_password = v.secret(required=True)
    new_password = v.secret(required=True)
    confirm_password = v.secret()


def check_email(email: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationFailed({"email": [str(_l("Not a valid e-mail address."))]}) from None


def check_password_strength(password, field: str = "password") -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationFailed({field: [str(_l("At least %(n)s characters.", n=MIN_PASSWORD))]})
    if len(password) > 200:
        raise ValidationFailed({field: [str(_l("At most %(n)s characters.", n=200))]})


def create_user(actor, data: Mapping) -> User:
    """Add an account (admins only; `actor` None means the command line)."""
    if actor is not None:
        require(is_admin(actor), str(_l("Only administrators manage users.")))
    values = v.parse(data, UserInput)
    email = check_email(values["email"])
    check_password_strength(values["password"])
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise ValidationFailed({"email": [str(_l("This e-mail is already registered."))]})
    user = User(
        email=email,
        name=values["name"],
        role=values["role"],
        unit_id=values["unit"].id,
        lang=values["lang"] or "vi",
        must_change_password=bool(values["must_change_password"]),
    )
    user.set_password(values["password"])
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=user,
        action="create",
        unit_code=values["unit"].code,
        after={"email": email, "role": user.role, "unit": values["unit"].code},
    )
    return user


def list_users(actor, page: int, per_page: int, *, q: str = "", role=None, unit=None, active=None):
    """People the actor may see, by name; `q` matches name or e-mail without diacritics,
    `unit` takes its whole subtree, `active` True/False keeps only active/deactivated ones."""
    from pilotmgr.core.pagination import paginate

    query = select(User).order_by(User.name, User.id)
    if not is_admin(actor):
        query = query.where(User.unit_id.in_(subtree_ids(actor.unit)))
    for word in fold(q).split():
        query = query.where(User.search_text.contains(word, autoescape=True))
    if role:
        query = query.where(User.role == role)
    if unit is not None:
        query = query.where(User.unit_id.in_(subtree_ids(unit)))
    if active is not None:
        query = query.where(User.is_active_account.is_(active))
    return paginate(query, page, per_page)


def get_user(actor, user_id) -> User:
    """An account for its administrator; anyone else is refused."""
    require(is_admin(actor), str(_l("Only administrators manage users.")))
    found = db.session.get(User, n) if (n := v.row_id(user_id)) else None
    if found is None:
        raise NotFound(str(_l("No such user.")))
    return found


def email_of(user_id) -> str | None:
    """A person's e-mail for an answer; session.get reads the identity map first, so a list
    that loaded its people sends no query per row."""
    return db.session.get(User, user_id).email if user_id else None


def find_user(email) -> User | None:
    if not isinstance(email, str):
        return None
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def check_credentials(email, password) -> tuple[User | None, str]:
    """(user, "") when the e-mail and password are right and the account active; otherwise
    (None, "wrong") or, only to whoever gave the right password, (None, "inactive")."""
    if not isinstance(email, str) or not isinstance(password, str):
        return None, "wrong"
    user = find_user(email)
    if user is None:
        # As slow as a real check, so the answer's timing does not tell who has an account.
        check_password_hash(_dummy_hash(), password)
        return None, "wrong"
    if not user.check_password(password):
        return None, "wrong"
    if not user.is_active:
        return None, "inactive"
    return user, ""


def authenticate(email, password) -> User | None:
    return check_credentials(email, password)[0]


def sign_in(data: Mapping) -> User | None:
    """The active account whose e-mail and password `data` gives (`TokenInput`), or None:
    a missing or malformed field is as wrong as a wrong password, and says no more."""
    try:
        values = v.parse(data, TokenInput)
    except ValidationFailed:
        return None
    return authenticate(values["email"], values["password"])


def issue_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token)))
    if row is None or not row.user.is_active:
        return None
    return row.user


def update_settings(user: User, data: Mapping) -> User:
    from pilotmgr.reminders.models import EMAIL_MODES

    values = v.parse(
        data,
        {
            "lang": v.choice(LANGS, required=True),
            "email_mode": v.choice(EMAIL_MODES, required=True),
            "leader_digest": v.choice(("1", "0"), required=True),
        },
        partial=True,
    )
    if user.email_mode == "digest" and values.get("email_mode", "digest") != "digest":
        from pilotmgr.notices.mail_links import leave_digest

        leave_digest(user)
    for key, value in values.items():
        setattr(user, key, value == "1" if key == "leader_digest" else value)
    db.session.flush()
    return user


def change_password(user: User, data: Mapping) -> User:
    """The signed-in person replaces their password; the current one must be given.

    Every problem is reported at once, each beside its field.
    """
    values = v.parse(data, PasswordChange)
    current, new = values["current_password"], values["new_password"]
    errors: dict[str, list[str]] = {}
    if not isinstance(current, str) or not user.check_password(current):
        errors["current_password"] = [str(_l("This is not your current password."))]
    try:
        check_password_strength(new, "new_password")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if "new_password" not in errors and new == current:
        errors["new_password"] = [str(_l("Choose a password different from the current one."))]
    if values["confirm_password"] is not None and values["confirm_password"] != new:
        errors["confirm_password"] = [str(_l("The two new passwords differ."))]
    if errors:
        raise ValidationFailed(errors)
    user.set_password(new)
    user.must_change_password = False
    db.session.flush()
    audit.record(actor=user, obj=user, action="password_changed", unit_code=user.unit.code)
    return user


def regenerate_calendar_secret(user: User) -> str:
    user.calendar_secret = new_secret()
    db.session.flush()
    return user.calendar_secret


def heads_of(unit: Unit) -> list[User]:
    """Heads with authority over `unit`: its own heads and those of every unit above it."""
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.head, User.unit_id.in_(ancestor_ids), User.is_active_account)
            .order_by(User.id)
        )
    )
