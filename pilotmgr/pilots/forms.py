"""The pilot feature's forms: a pilot, its KPIs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from pilotmgr.core.forms import (
    DayField,
    Form,
    NumberField,
    VersionField,
    max_length,
    options,
    required,
)
from pilotmgr.pilots.models import DIRECTIONS

DIRECTION_LABELS = {"increase": _l("increase"), "decrease": _l("decrease")}


class PilotForm(Form):
    title = StringField(_l("Title"), [required(), max_length(255)])
    summary = TextAreaField(
        _l("Summary (scope, what is tested, expected result)"),
        [max_length(10_000)],
        render_kw={"rows": 4},
    )
    challenge_id = SelectField(_l("Challenge"), validate_choice=False)
    unit = SelectField(_l("Unit"), [required()], validate_choice=False)
    owner = SelectField(_l("Owner"), [required()], validate_choice=False)
    start_date = DayField(_l("Start date"))
    end_date = DayField(_l("End date"))
    budget = NumberField(_l("Budget (VND)"), min_value=0)
    partner = StringField(_l("Partner"), [max_length(255)])
    version = VersionField()

    def __init__(self, *args, challenges=(), units=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_id.choices = options([("", "—"), *((c.id, c.title) for c in challenges)])
        self.unit.choices = options((u.code, f"{'· ' * u.depth}{u.name}") for u in units)
        self.owner.choices = options((u.email, f"{u.name} ({u.email})") for u in owners)

    @classmethod
    def for_pilot(cls, pilot, **choices) -> PilotForm:
        return cls(
            data={
                "title": pilot.title,
                "summary": pilot.summary,
                "challenge_id": str(pilot.challenge_id or ""),
                "unit": pilot.unit.code,
                "owner": pilot.owner.email,
                "start_date": pilot.start_date,
                "end_date": pilot.end_date,
                "budget": pilot.budget,
                "partner": pilot.partner,
                "version": pilot.version,
            },
            **choices,
        )


class KpiForm(Form):
    name = StringField(_l("Indicator"), [required(), max_length(255)])
    unit = StringField(
        _l("Unit of measure"),
        [max_length(40)],
        description=_l("For example: hồ sơ, ngày, lượt truy cập."),
    )
    baseline = NumberField(_l("Baseline"))
    target = NumberField(_l("Target"))
    direction = SelectField(
        _l("Direction"),
        choices=options((d, DIRECTION_LABELS[d]) for d in DIRECTIONS),
        default="increase",
    )
