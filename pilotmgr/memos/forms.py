"""The memos block's forms: issue a memo, re-issue it with the decision, decide on a memo."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from pilotmgr.core.forms import DayField, Form, max_length, options, required
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots.forms import DecisionForm

LANGUAGE_LABELS = {"vi": _l("Vietnamese"), "en": _l("English")}
#: The head's step forward that a memo of this kind asks for.
MEMO_KIND_OF_STEP = {
    "approve": "pilot_approval",
    "select": "selection",
    "approve_rollout": "rollout",
}


class MemoIssueForm(Form):
    kind = SelectField(_l("Memo"), [required()], validate_choice=False)
    lang = SelectField(_l("Language"), validate_choice=False)

    def __init__(self, *args, kinds=(), **kwargs):
        """`kinds`: (kind, label, what is missing) for every kind of memo."""
        kwargs.setdefault("id_prefix", "memo-")
        super().__init__(*args, **kwargs)
        self.kind.choices = options((kind, label) for kind, label, _missing in kinds)
        for choice, (_kind, _label, missing) in zip(self.kind.choices, kinds, strict=True):
            if missing:
                choice.render_kw = {"disabled": True}
        if self.kind.data is None:
            self.kind.data = next((k for k, _label, missing in kinds if not missing), None)
        self.lang.choices = options(LANGUAGE_LABELS.items())
        self.missing: list = []


class MemoReissueForm(Form):
    """Issue a memo again with the decision recorded on it filled in."""

    kind = HiddenField()
    reissue_of = HiddenField()


class MemoDecisionForm(DecisionForm):
    """The head's forward step decided on an issued memo, with the memo's conditions."""

    memo_id = SelectField(_l("Memo"), [required()], validate_choice=False)
    decision_number = StringField(_l("Decision number"), [max_length(80)])
    decision_date = DayField(_l("Decision date"))
    conditions = TextAreaField(
        _l("Conditions (optional), one per line: condition | owner e-mail | deadline"),
        [max_length(10_000)],
        render_kw={
            "rows": 3,
            "placeholder": _l("Train the staff of every ward | staff@demo.gov.vn | 31/03/2027"),
        },
        description=_l("Each condition becomes a task for the person named, due on its deadline."),
    )
    comment = StringField(_l("Comment"), [max_length(10_000)])

    def __init__(self, *args, pilot, step, memos=(), **kwargs):
        kwargs.setdefault("id_prefix", "dec-")
        super().__init__(*args, pilot=pilot, step=step, **kwargs)
        self.memo_id.choices = options((m.id, m.number) for m in memos)
        if "decision_date" not in step.inputs:
            del self.decision_date

    @property
    def page_key(self) -> str:
        return "memo-decision"


def memo_decision_step(user, pilot, memos=None):
    """The step the head decides on a memo (approve, select, approve the rollout), if one applies.

    It applies when the user may take the step and a memo of its kind has been issued; the
    Actions card then leaves that step to the memo's decision form.
    """
    from pilotmgr.memos.service import memos_for

    for step in lifecycle.allowed_transitions(user, pilot):
        kind = MEMO_KIND_OF_STEP.get(step.name)
        if kind is None:
            continue
        found = memos_for(pilot) if memos is None else memos
        if any(m.kind == kind for m in found):
            return step
    return None


def memos_of_step(step, memos) -> list:
    kind = MEMO_KIND_OF_STEP.get(step.name)
    return [m for m in memos if m.kind == kind]


class VerifyUploadForm(Form):
    """Anyone: a downloaded PDF to check against the issued memos' fingerprints."""

    file = FileField(
        _l("Check a downloaded PDF file: it is genuine only if not one byte was changed."),
        render_kw={"accept": "application/pdf"},
    )
