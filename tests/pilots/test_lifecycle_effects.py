"""The lifecycle table owns what each step does: every effect it lists runs, in its order,
and nothing else reacts to a step behind the table's back."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.memos.models import Decision
from pilotmgr.pilots import effects, lifecycle, transitions
from pilotmgr.pilots.lifecycle import TRANSITIONS
from pilotmgr.pilots.models import Task

PACKAGE = Path(lifecycle.__file__).resolve().parents[1]


def _data(step, make) -> dict:
    data = {
        "to": step.target,
        "step": step.name,
        "comment": "Đồng ý theo đề xuất của đơn vị.",
        "decision_number": "12/QĐ-UBND",
        "decision_date": make.days(0).isoformat(),
    }
    if step.outcomes:
        data["outcome"] = sorted(step.outcomes)[0]
        data["lessons"] = "Cần tập huấn người dân trước khi triển khai."
    if "new_end_date" in step.inputs:
        data["new_end_date"] = make.days(90).isoformat()
    if "regulation" in step.inputs:
        data["regulation"] = {
            "number": "05/2026/QĐ-UBND",
            "date": make.days(0).isoformat(),
            "issuer": "UBND tỉnh Bắc Ninh",
        }
    return data


def _effect_name(effect) -> str:
    return repr(effect) if isinstance(effect, effects.Announce) else effect.__name__


CASES = [(step, source) for step in TRANSITIONS for source in sorted(step.sources)]


@pytest.mark.parametrize(
    ("step", "source"), CASES, ids=[f"{s.name}-from-{src}" for s, src in CASES]
)
def test_every_effect_in_the_table_runs_in_its_order(app, make, monkeypatch, step, source):
    ran: list[str] = []

    def spy(effect):
        def run(moved):
            ran.append(_effect_name(effect))
            return effect(moved)

        run.records_history = getattr(effect, "records_history", False)
        run.announcement = getattr(effect, "announcement", False)
        return run

    spied = dataclasses.replace(
        step, guard=lifecycle.no_guard, effects=tuple(spy(e) for e in step.effects)
    )
    monkeypatch.setattr(
        lifecycle, "TRANSITIONS", tuple(spied if t is step else t for t in TRANSITIONS)
    )
    head = make.user("head", make.unit("HN", "Thành phố Hà Nội"))
    owner = make.user("lead", head.unit)
    pilot = make.pilot(source, owner=owner)
    actor = owner if "owner" in step.actors else head
    transitions.transition(actor, pilot, _data(step, make))
    changing = [_effect_name(e) for e in step.effects if getattr(e, "records_history", False)]
    after = [_effect_name(e) for e in step.effects if _effect_name(e) not in changing]
    assert ran == changing + after
    assert pilot.stage == step.target


def test_the_changing_effects_are_on_record_with_the_step(app, make):
    head = make.user("head", make.unit("HN", "Thành phố Hà Nội"))
    pilot = make.pilot("evaluating", owner=make.user("lead", head.unit))
    new_end = make.days(90)
    transitions.transition(
        head, pilot, {"to": "piloting", "new_end_date": new_end.isoformat(), "comment": "Gia hạn"}
    )
    entry = db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.action == "transition")
    ).one()
    assert entry.after["end_date"] in (new_end, new_end.isoformat())
    assert pilot.end_date == new_end


def test_scaling_plans_the_benefit_review_and_a_memo_decision_is_kept(app, make, monkeypatch):
    head = make.user("head", make.unit("HN", "Thành phố Hà Nội"))
    pilot = make.pilot("rolling_out", owner=make.user("lead", head.unit))
    memo = make.issued_memo(pilot, head)
    step = lifecycle.STEPS["scale"]
    unguarded = dataclasses.replace(step, guard=lifecycle.no_guard)
    monkeypatch.setattr(
        lifecycle, "TRANSITIONS", tuple(unguarded if t is step else t for t in TRANSITIONS)
    )
    transitions.transition(head, pilot, {**_data(step, make), "memo_id": memo.id})
    review = db.session.scalars(select(Task).where(Task.title.like("%KPI%"))).all()
    assert [t.assignee_id for t in review] == [pilot.owner_id]
    decision = db.session.scalars(select(Decision)).one()
    assert (decision.memo_id, decision.to_stage, decision.outcome) == (memo.id, "scaled", "approve")


def test_nothing_reacts_to_a_step_outside_the_table():
    """No signal receivers, and no module imported only for what importing it connects."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^@\S+\.connect\b|\bblinker\b|\.signal\(", text, re.MULTILINE):
            found.append(f"{path.relative_to(PACKAGE)}: signal")
        for line in text.splitlines():
            if "noqa: F401" in line and "import" in line and "views" in path.name:
                found.append(f"{path.relative_to(PACKAGE)}: {line.strip()}")
    assert found == []


STAGE_WORD = re.compile(
    r"""(?<![\w.-])["'](draft|proposed|piloting|evaluating|selected|rolling_out|scaled|closed)["']"""
)
#: Words that are spelt like a stage but are not one: notification kinds named after the step
#: that sends them, and the selection's "selected" field (form, API, history).
NOT_A_STAGE = (
    re.compile(r'Announce\("(selected|scaled|closed)"'),
    re.compile(r'^    "(closed|selected|scaled)": \($'),  # notices/events.py: the texts
)
SELECTION_FIELD_FILES = {
    "pilotmgr/results/selection.py",
    "pilotmgr/results/api.py",
    "pilotmgr/api/openapi.py",
    "pilotmgr/pilots/history.py",
    "templates/results/comparison.html",
}


def test_stage_names_are_written_only_in_the_stage_enum():
    root = PACKAGE.parent
    found = []
    files = [*PACKAGE.rglob("*.py"), *(root / "templates").rglob("*.html")]
    for path in files:
        name = path.relative_to(root).as_posix()
        if name == "pilotmgr/pilots/stages.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not STAGE_WORD.search(line):
                continue
            if NOT_A_STAGE[0].search(line):
                continue
            if name == "pilotmgr/notices/events.py" and NOT_A_STAGE[1].search(line):
                continue
            if name in SELECTION_FIELD_FILES and set(STAGE_WORD.findall(line)) == {"selected"}:
                continue
            found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_the_database_refuses_a_stage_the_lifecycle_does_not_know(app, make):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from pilotmgr.pilots.models import Pilot

    pilot = make.pilot("draft")
    with pytest.raises(IntegrityError):
        db.session.execute(update(Pilot).where(Pilot.id == pilot.id).values(stage="archived"))
        db.session.flush()
    db.session.rollback()
