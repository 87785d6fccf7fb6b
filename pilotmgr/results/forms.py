"""The results feature's forms: KPI values."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from pilotmgr.core.forms import DayField, Form, NumberField, max_length, required


class MeasurementForm(Form):
    """One value of one KPI, as measured on a day; it counts once approved."""

    value = NumberField(_l("Value"), [required()])
    measured_on = DayField(_l("Measured on"), [required()])
    note = StringField(_l("Note, source"), [max_length(2000)])
