"""The forms of *Việc của tôi* that belong to no other feature: a rollout target's progress with
its file. Rows share one blank form per kind (pilotmgr.pilots.forms.RowForms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField

from pilotmgr.core.forms import DayField, Form, options
from pilotmgr.pilots.forms import RowForms
from pilotmgr.results.forms import MeasurementForm
from pilotmgr.rollout.forms import TargetUpdateForm


class TargetProgressForm(TargetUpdateForm):
    """A target unit's progress from *Việc của tôi*: start, done (with a file), blocked."""

    file = FileField(
        _l("File showing the result (optional)"),
        description=_l("PDF, DOCX, XLSX, CSV, PNG or JPG."),
        render_kw={"accept": ".pdf,.docx,.xlsx,.csv,.png,.jpg,.jpeg"},
    )


def target_form_name(action: str, target_id: int) -> str:
    """start, done or blocked: the page_forms name of one target's form."""
    return f"target-{action}-{target_id}"


def value_form_name(kpi_id: int) -> str:
    return f"value-{kpi_id}"


__all__ = ["MeasurementForm", "RowForms", "TargetProgressForm"]


class LeadersFilterForm(Form):
    """The leaders' dashboard's scope: a unit, a programme and a period (GET, no CSRF)."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Unit"), validate_choice=False)
    programme = SelectField(_l("Programme"), validate_choice=False)
    start = DayField(_l("From"))
    end = DayField(_l("To"))

    def __init__(self, *args, units=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = options(
            [("", _l("All my units")), *((u.code, f"{'· ' * u.depth}{u.name}") for u in units)]
        )
        self.programme.choices = options(
            [("", _l("All programmes")), *((p.id, p.name) for p in programmes)]
        )

    @classmethod
    def for_scope(cls, args, scope, **choices) -> LeadersFilterForm:
        """What was asked for, with a wrong date marked; empty dates show the period used."""
        form = cls(formdata=args if args else None, **choices)
        if args:
            form.validate()
        form.start.data = form.start.data or scope.start
        form.end.data = form.end.data or scope.end
        if not form.start.errors:
            form.start.raw_data = None
        if not form.end.errors:
            form.end.raw_data = None
        return form
