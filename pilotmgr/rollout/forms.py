"""The rollout feature's forms: planning by level, one target's progress and plan, the board's
bulk update, removal, evidence, the guide and the regulation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    validators,
)

from pilotmgr.core.forms import DayField, Form, VersionField, max_length, options, required
from pilotmgr.rollout.models import TARGET_STATUSES
from pilotmgr.rollout.planning import LEVEL_LABELS
from pilotmgr.rollout.service import STATUS_LABELS


def _wave_field():
    return IntegerField(
        _l("Wave"),
        [
            validators.Optional(),
            validators.NumberRange(1, 99, message=_l("Between %(min)s and %(max)s.")),
        ],
        default=1,
        description=_l("Later waves start when a head opens them."),
        render_kw={"inputmode": "numeric"},
    )


def _people_choices(people, blank_label) -> list:
    return options([("", blank_label), *((p.email, f"{p.name} ({p.email})") for p in people)])


class TargetUpdateForm(Form):
    """A target unit's progress: its status, why it is blocked, a note."""

    status = SelectField(
        _l("Status"), choices=options((s, STATUS_LABELS[s]) for s in TARGET_STATUSES)
    )
    blocked_reason = StringField(_l("Why blocked (required when blocked)"), [max_length(2000)])
    note = TextAreaField(_l("Note"), [max_length(10_000)], render_kw={"rows": 3})
    version = VersionField()

    @classmethod
    def for_target(cls, target, **kwargs) -> TargetUpdateForm:
        data = {
            "status": target.status,
            "blocked_reason": target.blocked_reason,
            "note": target.note,
            "version": target.version,
        }
        return cls(data=data, **kwargs)


class PlanForm(Form):
    """Which units the rollout reaches, by when, in which wave, and who answers for each."""

    level = RadioField(
        _l("Which units"),
        choices=options(LEVEL_LABELS.items()),
        default="provinces",
        validators=[required(_l("Choose which units."))],
    )
    parent = SelectField(
        _l("Under the unit"),
        validate_choice=False,
        description=_l("For the departments of a province, or the units directly under a unit."),
    )
    unit = SelectField(_l("The unit"), validate_choice=False)
    due_date = DayField(_l("Due date"), [required()])
    wave = _wave_field()
    responsible = SelectField(
        _l("Responsible person"),
        validate_choice=False,
        description=_l("By default the head of each unit answers for its target."),
    )

    def __init__(self, *args, units=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        unit_choices = options((u.code, f"{'· ' * u.depth}{u.name}") for u in units)
        self.parent.choices = unit_choices
        self.unit.choices = unit_choices
        self.responsible.choices = _people_choices(people, _l("The head of each unit"))


class PlanConfirmForm(PlanForm):
    """The plan again, with the units of the preview the planner ticked."""

    units = SelectMultipleField(_l("Units to add"), validate_choice=False)


class BulkUpdateForm(Form):
    """The targets ticked on the board get one status and one note."""

    targets = SelectMultipleField(_l("Ticked targets"), validate_choice=False)
    status = SelectField(
        _l("New status"),
        [required()],
        choices=options([("", "—"), *((s, STATUS_LABELS[s]) for s in TARGET_STATUSES)]),
    )
    note = TextAreaField(
        _l("Note (the reason, when blocked)"), [max_length(10_000)], render_kw={"rows": 2}
    )

    def validate_targets(self, field) -> None:
        if not field.data:
            raise validators.ValidationError(_l("Tick at least one target."))


class TargetPlanForm(Form):
    """A planner moves a target's due date, wave or responsible person."""

    responsible = SelectField(_l("Responsible person"), validate_choice=False)
    due_date = DayField(_l("Due date"), [required()])
    wave = _wave_field()
    version = VersionField()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.responsible.choices = _people_choices(people, _l("Nobody yet"))

    @classmethod
    def for_target(cls, target, responsible_email: str, **kwargs) -> TargetPlanForm:
        data = {
            "responsible": responsible_email,
            "due_date": target.due_date,
            "wave": target.wave,
            "version": target.version,
        }
        return cls(data=data, **kwargs)


class RemoveTargetForm(Form):
    """Take a target that has not started out of the plan: the reason stays on record."""

    reason = TextAreaField(
        _l("Reason for removing it"), [required(), max_length(2000)], render_kw={"rows": 2}
    )


class TargetEvidenceForm(Form):
    file = FileField(_l("File"), render_kw={"accept": ".pdf,.docx,.xlsx,.csv,.png,.jpg,.jpeg"})
    note = StringField(_l("What it shows"), [max_length(2000)])


class GuideForm(Form):
    success_formula = TextAreaField(
        _l("Success formula"), [max_length(10_000)], render_kw={"rows": 2}
    )
    rollout_guide = TextAreaField(
        _l("Rollout guide"),
        [max_length(20_000)],
        render_kw={"rows": 5},
        description=_l("Step by step: what each target unit does, in what order, with what"),
    )


class RegulationForm(Form):
    """The regulation that makes the model mandatory in every target unit."""

    number = StringField(_l("Regulation number"), [required(), max_length(80)])
    date = DayField(_l("Regulation date"), [required()])
    issuer = StringField(_l("Issued by"), [required(), max_length(255)])
    title = StringField(_l("Regulation title"), [max_length(255)])
    file = FileField(_l("File (PDF or DOCX)"), render_kw={"accept": ".pdf,.docx"})

    @classmethod
    def for_pilot(cls, pilot, **kwargs) -> RegulationForm:
        data = {
            "number": pilot.regulation_number,
            "date": pilot.regulation_date,
            "issuer": pilot.regulation_issuer,
            "title": pilot.regulation_title,
        }
        return cls(data=data, **kwargs)


class OpenWaveForm(Form):
    """A head opens the next wave: nothing to fill in."""
