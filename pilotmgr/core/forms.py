"""The base of every web form: our catalogue's messages, numbers and dates as people write them.

Forms are WTForms classes (Flask-WTF) in each feature's `forms.py`, rendered by the macros in
`templates/macros/forms.html`. A view validates the form and hands `form.service_data()` — typed
values, never the CSRF token — to the feature's service; a `ValidationFailed` raised there lands
beside the field it names (`form.take_errors`), so the page re-renders with what was typed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
    validators,
    widgets,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice

from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.formats import format_number
from pilotmgr.core.text import multi_line, one_line
from pilotmgr.core.validate import FIRST_YEAR, LAST_YEAR
from pilotmgr.extensions import db

#: WTForms ships no Vietnamese catalogue: the messages its fields raise are in ours.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid date value."),
)
#: Dates are written 31/12/2026 (or 31-12-2026, 31.12.2026); ISO 2026-12-31 is taken too.
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
#: The largest magnitude the Numeric(18, 4) columns hold.
NUMBER_LIMIT = Decimal("1e14")


class _Catalogue:
    """WTForms' gettext, answered from our catalogue in the request's language."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


_CATALOGUE = _Catalogue()


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as a select field's choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def required(message=None):
    return validators.InputRequired(message=message or _l("This field is required."))


def max_length(n: int):
    return validators.Length(max=n, message=_l("At most %(max)d characters."))


def _text_filters(unbound_field) -> tuple:
    kind = unbound_field.field_class
    if issubclass(kind, TextAreaField):
        return (multi_line,)
    if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
        return (one_line,)
    return ()


class Form(FlaskForm):
    """A form whose fields have the ids `f-<name>` (or `<id_prefix><name>`)."""

    class Meta:
        def get_translations(self, form):
            return _CATALOGUE

        def bind_field(self, form, unbound_field, options):
            # Every text field is cleaned the same way the API's are (core/validate.py): a
            # line break in a title would otherwise reach a mail's Subject header.
            own = options.get("filters", unbound_field.kwargs.get("filters", ()))
            options["filters"] = [*own, *_text_filters(unbound_field)]
            return unbound_field.bind(form=form, **options)

    def __init__(self, *args, id_prefix: str = "f-", **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            field.id = f"{id_prefix}{field.name}"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = getattr(self, "csrf_token", None)
        if token is not None and token.errors:
            # Flask-WTF's CSRF messages are English only.
            token.errors = [str(_l("The form has expired. Reload the page and try again."))]
        return valid

    def service_data(self) -> dict:
        """Every field's typed value for the service: no CSRF token, no buttons."""
        return {
            field.name: field.data
            for field in self
            if not isinstance(field, CSRFTokenField | SubmitField)
        }

    def take_errors(self, errors: dict) -> None:
        """Put a service's field errors beside the fields they name; others above the form."""
        for key, messages in errors.items():
            field = self._fields.get(str(key).split(".")[0])
            texts = [str(m) for m in messages]
            if field is not None and not isinstance(field, HiddenField):
                field.errors = [*field.errors, *texts]
            else:
                self.form_errors.extend(texts)

    def run(self, action):
        """Validate, then call `action(service_data)`; returns (done, what it returned).

        Field errors from the service stay on the form (nothing was changed: the session is
        rolled back), so the view re-renders it; other service errors propagate to the
        application's handlers.
        """
        if not self.validate_on_submit():
            return False, None
        try:
            return True, action(self.service_data())
        except ValidationFailed as exc:
            db.session.rollback()
            self.take_errors(exc.errors)
            return False, None


class NumberField(Field):
    """A decimal as the reader writes it: "12,5" and "1.200.000" in Vietnamese, "12.5" in English."""

    widget = widgets.TextInput()

    def __init__(self, label=None, validators=None, *, min_value=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off"} | kwargs.pop("render_kw", {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.min_value = min_value

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_number(self.data, "") if self.data is not None else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        raw = valuelist[0].strip().replace("\u00a0", "").replace(" ", "")
        if not raw:
            self.data = None
            return
        try:
            number = parse_decimal(raw, locale=get_locale(), strict=True)
        except (NumberFormatError, ValueError):
            self.data = None
            example = format_number(Decimal("1200000.5"))
            raise ValueError(str(_l("Write a number like %(example)s.", example=example))) from None
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            self.data = None
            raise ValueError(str(_l("This number is too large.")))
        self.data = number

    def pre_validate(self, form) -> None:
        if self.data is not None and self.min_value is not None and self.data < self.min_value:
            raise validators.StopValidation(
                str(_l("Must be at least %(n)s.", n=format_number(self.min_value)))
            )


class DayField(Field):
    """A day written 31/12/2026 (or ISO 2026-12-31); shown back as 31/12/2026."""

    widget = widgets.TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": _l("dd/mm/yyyy"), "autocomplete": "off"}
        super().__init__(
            label, validators, render_kw=render_kw | kwargs.pop("render_kw", {}), **kwargs
        )

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        self.data = None
        raw = valuelist[0].strip()
        if not raw:
            return
        self.data = parse_day(raw)
        if self.data is None:
            raise ValueError(str(_l("Write a date like 31/12/2026.")))


def parse_day(raw: str) -> date | None:
    """31/12/2026, 31-12-2026, 31.12.2026 or 2026-12-31 as a date; None if it is none of them."""
    if match := _DMY.match(raw):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(raw):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


class VersionField(HiddenField):
    """The version of the row the form was filled from: a stale one is refused (409)."""

    def process_formdata(self, valuelist) -> None:
        self.data = valuelist[0] if valuelist else None
