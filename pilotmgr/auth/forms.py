"""Accounts' forms: signing in, one's own settings and password, administrators' user forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from pilotmgr.auth.models import LANGS, ROLE_LABELS, ROLES
from pilotmgr.auth.service import MIN_PASSWORD, check_email, check_password_strength
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.forms import Form, VersionField, max_length, options, required
from pilotmgr.notices.rules import DIGEST_TIME

#: Each language is offered in its own name, as language menus do.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
EMAIL_MODE_LABELS = {
    "single": _l("Each reminder as it comes"),
    "digest": _l("One daily digest at %(time)s", time=DIGEST_TIME),
    "off": _l("No e-mail, in the app only"),
}


def _password_help():
    return _l("At least %(n)s characters.", n=MIN_PASSWORD)


def _language_choices():
    # Marked with their own language, so that screen readers say them right.
    return [SelectChoice(code, LANGUAGE_NAMES[code], render_kw={"lang": code}) for code in LANGS]


def _role_choices(blank=None):
    pairs = [(role, ROLE_LABELS[role]) for role in ROLES]
    return options([("", blank), *pairs] if blank else pairs)


def _unit_choices(units, blank=None):
    pairs = [(u.code, f"{'· ' * u.depth}{u.name}") for u in units]
    return options([("", blank), *pairs] if blank else pairs)


def strong_password(_form, field) -> None:
    """The service's own rule, checked with the other fields so every error shows at once."""
    try:
        check_password_strength(field.data)
    except ValidationFailed as exc:
        raise ValidationError(" ".join(exc.errors["password"])) from None


def valid_email(_form, field) -> None:
    try:
        check_email(field.data or "")
    except ValidationFailed as exc:
        raise ValidationError(" ".join(exc.errors["email"])) from None


class LoginForm(Form):
    """Built with `id_prefix=""`: the inputs keep the ids `email` and `password`."""

    email = EmailField(
        _l("E-mail"),
        [required(), max_length(255)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"), [required()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Remember me"))


class SettingsForm(Form):
    lang = SelectField(_l("Language"))
    email_mode = SelectField(_l("Reminders by e-mail"))
    leader_digest = SelectField(
        _l("Weekly leader digest (Mondays %(time)s, with a PDF summary)", time=DIGEST_TIME),
        choices=options((("1", _l("Send it to me")), ("0", _l("Do not send it")))),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = _language_choices()
        self.email_mode.choices = options(EMAIL_MODE_LABELS.items())
        if user.role not in ("head", "admin"):
            del self.leader_digest

    @classmethod
    def for_user(cls, user, **kwargs) -> SettingsForm:
        data = {
            "lang": user.lang,
            "email_mode": user.email_mode,
            "leader_digest": "1" if user.leader_digest else "0",
        }
        return cls(data=data, user=user, **kwargs)


class PasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"), [required()], render_kw={"autocomplete": "current-password"}
    )
    new_password = PasswordField(
        _l("New password"),
        [required()],
        description=_password_help(),
        render_kw={"autocomplete": "new-password"},
    )
    #: The service checks the current password, the strength and that both new ones agree,
    #: all at once, so each message lands beside its field in one go.
    confirm_password = PasswordField(
        _l("New password again"), [required()], render_kw={"autocomplete": "new-password"}
    )


class UserCreateForm(Form):
    email = EmailField(_l("E-mail"), [required(), max_length(255), valid_email])
    name = StringField(_l("Full name"), [required(), max_length(255)])
    role = SelectField(_l("Role"), [required()])
    unit = SelectField(_l("Unit"), [required()])
    lang = SelectField(_l("Language"), default="vi")
    password = PasswordField(
        _l("Temporary password"),
        [required(), strong_password],
        description=_l(
            "At least %(n)s characters. Give it to the person yourself.", n=MIN_PASSWORD
        ),
        render_kw={"autocomplete": "new-password"},
    )
    must_change_password = BooleanField(
        _l("Ask for a new password at the first sign-in"), default=True
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices("—")
        self.unit.choices = _unit_choices(units, "—")
        self.lang.choices = _language_choices()


class UserEditForm(Form):
    name = StringField(_l("Full name"), [required(), max_length(255)])
    role = SelectField(_l("Role"), [required()])
    unit = SelectField(_l("Unit"), [required()])
    lang = SelectField(_l("Language"))
    version = VersionField()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()
        self.unit.choices = _unit_choices(units)
        self.lang.choices = _language_choices()

    @classmethod
    def for_user(cls, user, **kwargs) -> UserEditForm:
        data = {
            "name": user.name,
            "role": user.role,
            "unit": user.unit.code,
            "lang": user.lang,
            "version": user.version,
        }
        return cls(data=data, **kwargs)


class ResetPasswordForm(Form):
    password = PasswordField(
        _l("Temporary password"),
        [required(), strong_password],
        description=_l(
            "At least %(n)s characters. Give it to the person yourself; they choose a new one "
            "when they sign in.",
            n=MIN_PASSWORD,
        ),
        render_kw={"autocomplete": "new-password"},
    )


class ActivationForm(Form):
    """Deactivate or reactivate an account, with the reason kept in its history."""

    reason = TextAreaField(_l("Reason (kept in the history)"), [max_length(2000)])
    version = VersionField()


class UserFilterForm(Form):
    """The users list's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), [max_length(200)])
    role = SelectField(_l("Role"))
    unit = SelectField(_l("Unit"))
    status = SelectField(
        _l("Status"),
        choices=options(
            (("", _l("All")), ("active", _l("Active")), ("inactive", _l("Deactivated")))
        ),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = options([("", _l("Every role")), *ROLE_LABELS.items()])
        self.unit.choices = _unit_choices(units, _l("Every unit"))
