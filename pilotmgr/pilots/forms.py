"""The pilot feature's forms: the list's filter, a pilot, its KPIs, each lifecycle decision, its tasks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf

from pilotmgr.core.forms import (
    DayField,
    Form,
    NumberField,
    VersionField,
    max_length,
    options,
    required,
)
from pilotmgr.pilots.lifecycle import AFTER_PILOTING, OUTCOME_LABELS, OUTCOMES, STAGE_LABELS, STAGES
from pilotmgr.pilots.models import DIRECTIONS, PRIORITIES

DIRECTION_LABELS = {"increase": _l("increase"), "decrease": _l("decrease")}


class PilotFilterForm(Form):
    """The pilot list's filters (GET: nothing changes, no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search"),
        [max_length(200)],
        render_kw={"placeholder": _l("Search title, summary, partner"), "type": "search"},
    )
    stage = SelectField(_l("Stage"), validate_choice=False)
    unit = SelectField(_l("Unit"), validate_choice=False)
    programme = SelectField(_l("Programme"), validate_choice=False)
    owner = SelectField(_l("Owner"), validate_choice=False)

    def __init__(self, formdata, *, units=(), programmes=(), owners=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.stage.choices = options([("", _l("All stages")), *STAGE_LABELS.items()])
        self.unit.choices = options(
            [("", _l("All units")), *((u.code, f"{'· ' * u.depth}{u.name}") for u in units)]
        )
        self.programme.choices = options(
            [("", _l("All programmes")), *((p.id, p.name) for p in programmes)]
        )
        self.owner.choices = options([("", _l("All owners")), *((u.email, u.name) for u in owners)])

    def chosen_stage(self) -> str | None:
        return self.stage.data if self.stage.data in STAGES else None


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
        description=_l("For example: files, days, visits."),
    )
    baseline = NumberField(_l("Baseline"))
    target = NumberField(_l("Target"))
    direction = SelectField(
        _l("Direction"),
        choices=options((d, DIRECTION_LABELS[d]) for d in DIRECTIONS),
        default="increase",
    )


class KpiEditForm(KpiForm):
    """Correct a KPI; once the pilot has started, a changed threshold needs a head and a reason."""

    comment = TextAreaField(
        _l("Why the fixed thresholds change"),
        [max_length(10_000)],
        render_kw={"rows": 2},
        description=_l("Needed only when the baseline, target or direction change after approval."),
    )
    version = VersionField()

    @classmethod
    def for_kpi(cls, kpi) -> KpiEditForm:
        return cls(
            formdata=None,
            id_prefix=f"kpi-{kpi.id}-",
            data={
                "name": kpi.name,
                "unit": kpi.unit,
                "baseline": kpi.baseline,
                "target": kpi.target,
                "direction": kpi.direction,
                "version": kpi.version,
            },
        )


class KpiDeleteForm(Form):
    """Delete a KPI of a draft (the history keeps its name)."""

    version = VersionField()


# --- lifecycle decisions: one form per step (`lifecycle.TRANSITIONS`) ---------------------------


def comment_field(label=None, rows: int = 2):
    """A decision's comment; declared last in each form, so that it is shown last."""
    return TextAreaField(label or _l("Comment"), [max_length(10_000)], render_kw={"rows": rows})


class DecisionForm(Form):
    """One lifecycle decision; `step` names the transition of `lifecycle.STEPS` it takes."""

    to = HiddenField()
    step = HiddenField()
    comment = comment_field()
    version = VersionField()

    def __init__(self, *args, pilot, step, **kwargs):
        kwargs.setdefault("id_prefix", f"{step.name}-")
        if kwargs.get("formdata", ...) is None:
            kwargs.setdefault("data", {}).setdefault("version", pilot.version)
        super().__init__(*args, **kwargs)
        self.pilot, self.transition = pilot, step
        self.to.data, self.step.data = step.target, step.name
        #: What the step still needs that is not one of this form's fields (shown beside it).
        self.missing: list = []
        #: Set when the step was refused because of what is missing.
        self.refused = False

    @property
    def page_key(self) -> str:
        return f"decision-{self.transition.name}"

    def take_missing(self, missing) -> None:
        """A guard's answer: items naming one of the fields go beside it, the rest above."""
        fields = {}
        for item in missing:
            name = getattr(item, "field", None)
            if name and name in self._fields:
                fields.setdefault(name, []).append(str(item))
            else:
                self.missing.append(item)
        self.take_errors(fields)
        self.refused = True

    @property
    def failed(self) -> bool:
        """Sent and refused: shown open, marked, its messages read out."""
        return bool(self.errors) or self.refused


class SubmitForm(DecisionForm):
    comment = comment_field(_l("Note for the head (optional)"))


class SendBackForm(DecisionForm):
    comment = comment_field(_l("What should be revised"), rows=3)


class WithdrawForm(DecisionForm):
    comment = comment_field(_l("Why (optional)"))


class ApproveForm(DecisionForm):
    pass


class StartEvaluationForm(DecisionForm):
    pass


class ExtendForm(DecisionForm):
    new_end_date = DayField(_l("New end date"))
    comment = comment_field()


class SelectForm(DecisionForm):
    pass


class ApproveRolloutForm(DecisionForm):
    decision_number = StringField(_l("Decision number"), [max_length(80)])
    decision_date = DayField(_l("Decision date"))
    comment = comment_field()


class ScaleForm(DecisionForm):
    regulation_number = StringField(_l("Regulation number"), [max_length(80)])
    regulation_date = DayField(_l("Regulation date"))
    regulation_issuer = StringField(_l("Issued by"), [max_length(255)])
    regulation_title = StringField(_l("Regulation title"), [max_length(255)])
    comment = comment_field()

    def __init__(self, *args, pilot, step, **kwargs):
        if kwargs.get("formdata", ...) is None and pilot.regulation_number:
            kwargs.setdefault("data", {}).update(
                regulation_number=pilot.regulation_number,
                regulation_date=pilot.regulation_date,
                regulation_issuer=pilot.regulation_issuer,
                regulation_title=pilot.regulation_title,
            )
        super().__init__(*args, pilot=pilot, step=step, **kwargs)

    def service_data(self) -> dict:
        data = super().service_data()
        regulation = {
            key: data.pop(f"regulation_{key}") for key in ("number", "date", "issuer", "title")
        }
        if any(regulation.values()):
            data["regulation"] = {k: v for k, v in regulation.items() if v}
        return data

    def take_errors(self, errors: dict) -> None:
        # The service names the regulation's parts "regulation.number", …: these are our fields.
        super().take_errors({k.replace("regulation.", "regulation_"): m for k, m in errors.items()})


class CloseForm(DecisionForm):
    outcome = SelectField(_l("Outcome"), [required()], validate_choice=False)
    comment = comment_field(_l("Why the pilot closes"))
    lessons = TextAreaField(
        _l("Lessons learned"),
        [max_length(10_000)],
        render_kw={"rows": 3},
        description=_l("What the pilot taught, for the lessons library."),
    )

    def __init__(self, *args, pilot, step, outcomes=(), **kwargs):
        if kwargs.get("formdata", ...) is None:
            kwargs.setdefault("data", {}).setdefault("lessons", pilot.lessons)
        super().__init__(*args, pilot=pilot, step=step, **kwargs)
        self.outcome.choices = options((o, OUTCOME_LABELS[o]) for o in OUTCOMES if o in outcomes)
        # Lessons are asked for once the pilot has run and taught something.
        if "lessons" not in step.inputs or pilot.stage not in AFTER_PILOTING:
            del self.lessons


#: step name → its form.
DECISION_FORMS: dict[str, type[DecisionForm]] = {
    "submit": SubmitForm,
    "send_back": SendBackForm,
    "withdraw": WithdrawForm,
    "approve": ApproveForm,
    "start_evaluation": StartEvaluationForm,
    "extend": ExtendForm,
    "select": SelectForm,
    "approve_rollout": ApproveRolloutForm,
    "scale": ScaleForm,
    "close": CloseForm,
    "stop": CloseForm,
}


# --- tasks ---
# Forms of a task: new, edit, start or reopen, done with its product, cancel, and a new due date
# asked for and decided. A list shows the same forms on every row: RowForms re-labels one blank
# form per kind for each row (building hundreds of forms would slow a busy person's page).

PRIORITY_LABELS = {"high": _l("high"), "normal": _l("normal"), "low": _l("low")}


def for_row(form, prefix: str, **data):
    """A blank form with the ids of one row and that row's values."""
    for field in form:
        field.id = f"{prefix}{field.name}"
    for name, value in data.items():
        form[name].data = value
    return form


class RowForms:
    """Per row of a list: the form that failed (by its page_forms name) or a shared blank one."""

    def __init__(self, page_forms: dict | None = None, init: dict | None = None):
        self.failed = page_forms or {}
        #: Form class → keyword arguments its blank form is built with (e.g. choices).
        self.init = init or {}
        self._blank: dict = {}

    def is_open(self, name: str) -> bool:
        """Whether this row's form failed and is shown again, open, with what was typed."""
        return name in self.failed

    def get(self, cls, name: str, **data):
        if name in self.failed:
            return self.failed[name]
        if cls not in self._blank:
            self._blank[cls] = cls(formdata=None, **self.init.get(cls, {}))
        return for_row(self._blank[cls], f"{name}-", **data)


class TaskForm(Form):
    """A new task: clear person, clear task, clear priority, clear time, clear result."""

    title = StringField(_l("Task"), [required(), max_length(255)])
    #: An e-mail, chosen from the page's one list of people (`<datalist id="people">`): one
    #: drop-down of every person per task row made the pilot page render thousands of options.
    assignee = StringField(
        _l("Assignee"),
        [max_length(255)],
        description=_l("Type a name or an e-mail address and pick the person from the list."),
        render_kw={"list": "people", "autocomplete": "off"},
    )
    due_date = DayField(_l("Due date"))
    priority = SelectField(
        _l("Priority"),
        choices=options((p, PRIORITY_LABELS[p]) for p in PRIORITIES),
        default="normal",
    )
    deliverable = StringField(
        _l("Expected product"),
        [max_length(10_000)],
        description=_l("What shows the work is done, e.g. a report or a signed plan."),
    )
    how = TextAreaField(_l("How"), [max_length(10_000)], render_kw={"rows": 2})


class TaskEditForm(TaskForm):
    """An editor's correction of a task's terms; a new due date needs a reason."""

    due_change_reason = StringField(
        _l("Why the due date changes"),
        [max_length(2000)],
        description=_l("Required when the due date changes."),
    )
    version = VersionField()

    def fill(self, task, assignee=None):
        """The row's current terms (on a blank, shared form)."""
        email = assignee.email if assignee is not None else ""
        self.title.data, self.assignee.data = task.title, email
        self.due_date.data, self.priority.data = task.due_date, task.priority
        self.deliverable.data, self.how.data = task.deliverable, task.how
        self.due_change_reason.data, self.version.data = "", task.version
        return self


class TaskStatusForm(Form):
    """Start a task, or reopen a finished one."""

    status = HiddenField(
        validators=[AnyOf(("todo", "in_progress"), message=_l("Not a valid choice."))]
    )
    version = VersionField()


class TaskDoneForm(Form):
    """Done, with its product: what was delivered, and the file if there is one."""

    completion_note = TextAreaField(
        _l("What was delivered"), [max_length(10_000)], render_kw={"rows": 2}
    )
    file = FileField(
        _l("Product file (optional)"),
        description=_l("PDF, DOCX, XLSX, CSV, PNG or JPG."),
        render_kw={"accept": ".pdf,.docx,.xlsx,.csv,.png,.jpg,.jpeg"},
    )
    version = VersionField()


class TaskCancelForm(Form):
    reason = StringField(_l("Why it is cancelled"), [required(), max_length(2000)])
    version = VersionField()


class DueRequestForm(Form):
    """The assignee asks for a new due date, saying why."""

    new_due_date = DayField(_l("New due date"), [required()])
    reason = TextAreaField(_l("Reason"), [required(), max_length(2000)], render_kw={"rows": 2})


class DueDecisionForm(Form):
    """Approve or decline a new due date; the two buttons carry the decision."""

    #: Sent by the button pressed (approve or decline), not typed.
    decision = StringField(
        _l("Decision"), [AnyOf(("approve", "decline"), message=_l("Not a valid choice."))]
    )
    comment = StringField(_l("Comment (optional)"), [max_length(2000)])


class TaskRowForms(RowForms):
    """The forms of each task of a list, named e.g. "task-done-12" in page_forms."""

    KINDS = {
        "status": TaskStatusForm,
        "done": TaskDoneForm,
        "cancel": TaskCancelForm,
        "due": DueRequestForm,
        "decide": DueDecisionForm,
        "edit": TaskEditForm,
    }

    @staticmethod
    def name(kind: str, row_id: int) -> str:
        return f"task-{kind}-{row_id}"

    def opened(self, kind: str, row_id: int) -> bool:
        return self.is_open(self.name(kind, row_id))

    def task(self, kind: str, row_id: int, **data):
        return self.get(self.KINDS[kind], self.name(kind, row_id), **data)

    def edit(self, task, assignee=None):
        """The edit form of a task, filled with its current terms unless it failed."""
        name = self.name("edit", task.id)
        if self.is_open(name):
            return self.failed[name]
        return self.get(TaskEditForm, name).fill(task, assignee)
