"""The results feature's forms: values and their review, evidence, evaluation, selection, lessons.

Each is one form; the pilot page holds one per KPI, value and file, each with its own id
prefix, and a failed one comes back in place (`pilots.views.detail_page(..., page_forms=...)`)
under the name `_pilot_results.html` looks it up by (see `results.views.FORM_NAMES`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import Field, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from pilotmgr.core.forms import (
    DayField,
    Form,
    NumberField,
    VersionField,
    max_length,
    options,
    required,
)
from pilotmgr.results.models import CRITERIA

CRITERION_LABELS = {
    "feasibility": _l("Feasibility"),
    "effectiveness": _l("Effectiveness"),
    "needs_fit": _l("Fit to real needs"),
    "cost": _l("Cost"),
    "scalability": _l("Scalability"),
}
CRITERION_HELP = {
    "feasibility": _l("Can it be done with the unit's people, money and rules?"),
    "effectiveness": _l("Did it reach its targets?"),
    "needs_fit": _l("Does it answer what people and officials really need?"),
    "cost": _l("5 = the most economical for what it achieves."),
    "scalability": _l("Can other units take it over as it is?"),
}
VERDICT_LABELS = {
    "met": _l("met"),
    "not_met": _l("not met"),
    "inconclusive": _l("inconclusive"),
    "partly": _l("partly met"),
    "no_data": _l("no approved value"),
}
MEASUREMENT_STATUS_LABELS = {
    "submitted": _l("awaiting review"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
}
SCORES = options((n, str(n)) for n in range(1, 6))


class MeasurementForm(Form):
    """One value of one KPI, as measured on a day; it counts once approved."""

    value = NumberField(_l("Value"), [required()])
    measured_on = DayField(_l("Measured on"), [required()])
    note = StringField(_l("Note, source"), [max_length(2000)])


class CorrectionForm(MeasurementForm):
    """A new value that replaces an earlier one of the same KPI; the earlier one stays."""

    corrects = HiddenField()
    reason = StringField(_l("Why it is corrected"), [required(), max_length(2000)])


class ReviewForm(Form):
    """Approve a submitted value, or reject it with a reason (its submitter is told why)."""

    #: Posted by the button pressed (approve / reject), not by an input of its own.
    decision = SelectField(
        _l("Decision"),
        [required()],
        choices=options([("approve", _l("Approve")), ("reject", _l("Reject"))]),
    )
    comment = TextAreaField(
        _l("Comment (the reason, when rejecting)"), [max_length(2000)], render_kw={"rows": 1}
    )
    version = VersionField()

    def validate_comment(self, field) -> None:
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError(str(_l("Say why the value is rejected.")))


class VerdictForm(Form):
    """The selecting head confirms a KPI's computed verdict or overrides it with a reason."""

    verdict = SelectField(
        _l("Verdict"),
        choices=options((v, VERDICT_LABELS[v]) for v in ("met", "not_met", "inconclusive")),
    )
    reason = StringField(_l("Reason (needed to override)"), [max_length(2000)])


class EvidenceForm(Form):
    """A file backing the pilot's results, with what it shows."""

    file = FileField(
        _l("File"),
        [FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".pdf,.docx,.xlsx,.csv,.png,.jpg,.jpeg"},
    )
    note = StringField(_l("What it shows"), [max_length(2000)])


class RetractionForm(Form):
    """Take back a file uploaded by mistake; its name and fingerprint stay on record."""

    reason = TextAreaField(
        _l("Why it is retracted"), [required(), max_length(2000)], render_kw={"rows": 2}
    )


class EvaluatorForm(Form):
    """A head names someone who may see the pilot to evaluate it."""

    evaluator = SelectField(_l("Evaluator"), [required()], validate_choice=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluator.choices = options(
            [("", _l("Choose a person")), *((p.email, f"{p.name} ({p.email})") for p in people)]
        )


class EvaluationForm(Form):
    """One evaluator's 1–5 score on each criterion, and a comment."""

    feasibility = SelectField(CRITERION_LABELS["feasibility"], choices=SCORES, default="3")
    effectiveness = SelectField(CRITERION_LABELS["effectiveness"], choices=SCORES, default="3")
    needs_fit = SelectField(CRITERION_LABELS["needs_fit"], choices=SCORES, default="3")
    cost = SelectField(CRITERION_LABELS["cost"], choices=SCORES, default="3")
    scalability = SelectField(CRITERION_LABELS["scalability"], choices=SCORES, default="3")
    comment = TextAreaField(_l("Comment"), [max_length(5000)], render_kw={"rows": 2})

    @classmethod
    def for_evaluation(cls, evaluation, **kwargs) -> EvaluationForm:
        data = {c: str(getattr(evaluation, c)) for c in CRITERIA} | {"comment": evaluation.comment}
        return cls(data=data, **kwargs)


class WeightsForm(Form):
    """How much each criterion counts in a programme's composite score ("1,5" is fine)."""

    feasibility = NumberField(CRITERION_LABELS["feasibility"], [required()], min_value=0)
    effectiveness = NumberField(CRITERION_LABELS["effectiveness"], [required()], min_value=0)
    needs_fit = NumberField(CRITERION_LABELS["needs_fit"], [required()], min_value=0)
    cost = NumberField(CRITERION_LABELS["cost"], [required()], min_value=0)
    scalability = NumberField(CRITERION_LABELS["scalability"], [required()], min_value=0)


OTHERS_LABELS = {
    "not_selected": _l("Close them as not selected"),
    "extend": _l("Let them continue piloting until a new end date"),
}


class TicksField(Field):
    """The values of the checkboxes ticked under one name; the template draws the boxes."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, default=list, **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = [v for v in valuelist if str(v).strip()]


class SelectionForm(Form):
    """One decision over a challenge's candidates under evaluation.

    Built for the candidates on the page (`for_candidates`): a tick and a success formula for
    each, then what becomes of the others, the rationale and the lessons learned.
    """

    #: The ticked candidates; their checkboxes are drawn beside each candidate's formula.
    selected = TicksField(_l("Selected pilots"))
    others = RadioField(
        _l("The candidates not selected"),
        choices=options(OTHERS_LABELS.items()),
        default="not_selected",
    )
    new_end_date = DayField(_l("New end date (if they continue)"))
    rationale = TextAreaField(
        _l("Rationale"), [required(), max_length(10_000)], render_kw={"rows": 3}
    )
    lessons = TextAreaField(
        _l("Lessons learned"),
        [max_length(10_000)],
        description=_l("Required when the others close; kept in the lessons library."),
        render_kw={"rows": 3},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_ids: list[int] = []

    @classmethod
    def for_candidates(cls, pilots, **kwargs) -> SelectionForm:
        fields = {
            f"formula_{p.id}": StringField(
                _l("Success formula of “%(title)s”", title=p.title),
                [max_length(2000)],
                description=_l("Short, essential, easy to follow. Needed if it is selected."),
            )
            for p in pilots
        }
        form = type("SelectionForm", (cls,), fields)(**kwargs)
        form.candidate_ids = [p.id for p in pilots]
        return form

    def is_ticked(self, pilot_id: int) -> bool:
        return str(pilot_id) in {str(t) for t in self.selected.data or []}

    def formula(self, pilot_id: int):
        return self[f"formula_{pilot_id}"]

    def service_data(self) -> dict:
        data = super().service_data()
        data["success_formula"] = {
            key.removeprefix("formula_"): data.pop(key)
            for key in list(data)
            if key.startswith("formula_")
        }
        return data

    def take_errors(self, errors: dict) -> None:
        """ "A formula for each selected pilot" goes beside each ticked pilot still without one."""
        errors = dict(errors)
        formula = errors.pop("success_formula", None)
        if formula:
            empty = [
                self.formula(i)
                for i in self.candidate_ids
                if self.is_ticked(i) and not (self.formula(i).data or "").strip()
            ]
            for field in empty:
                field.errors = [*field.errors, *(str(m) for m in formula)]
            if not empty:
                self.form_errors.extend(str(m) for m in formula)
        super().take_errors(errors)

    def validate_selected(self, field) -> None:
        if not field.data:
            raise ValidationError(str(_l("Select at least one pilot.")))


class LessonsFilterForm(Form):
    """The lessons library's filter (GET: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), [max_length(200)])
    programme = SelectField(_l("Programme"), validate_choice=False)
    unit = SelectField(_l("Unit"), validate_choice=False)
    stage = SelectField(_l("Stage"), validate_choice=False)

    def __init__(self, *args, programmes=(), units=(), stages=(), stage_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme.choices = options(
            [("", _l("All programmes")), *((p.id, p.name) for p in programmes)]
        )
        self.unit.choices = options(
            [("", _l("All units")), *((u.code, f"{'· ' * u.depth}{u.name}") for u in units)]
        )
        labels = stage_labels or {}
        self.stage.choices = options(
            [("", _l("All stages")), *((s, labels.get(s, s)) for s in stages)]
        )
