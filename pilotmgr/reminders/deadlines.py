"""Deadlines with a person and a due date (tasks, rollout targets), planned in SQL.

A hundred thousand open tasks share a few hundred due dates, and every task due on the same
day (under the same rules) is at the same step of its chain. So the scan works out the step
for each due date in Python, hands that small table to the database, and lets one
INSERT … SELECT per kind of step record the reminders of every task at once.

Each subject's latest recorded step is remembered in `reminder_states`, so a scan skips a
deadline whose current step is already recorded by comparing one row, not by building keys.
The state is only a shortcut: the reminders' unique key still decides that a reminder is
recorded once, even when two scans run together.
"""

from __future__ import annotations

from dataclasses import dataclass

from pilotmgr.pilots.lifecycle import Stage
from pilotmgr.pilots.models import OPEN_TASK_STATUSES


@dataclass(frozen=True)
class Deadlines:
    """Where a kind of deadline lives, in SQL terms: the row `d`, its pilot `p`, and so on.

    `where` keeps the live deadlines: open, with a person and a date, pilot in the right stage;
    its `{mark}`s are bound, in order, to `params`.
    """

    subject: str
    table: str
    joins: str
    due: str
    person: str
    where: str
    params: tuple = ()


TASKS = Deadlines(
    subject="task",
    table="tasks d",
    joins="JOIN pilots p ON p.id = d.pilot_id",
    due="d.due_date",
    person="d.assignee_id",
    where=(
        f"d.status IN ({', '.join(['{mark}'] * len(OPEN_TASK_STATUSES))}) "
        "AND d.assignee_id IS NOT NULL "
        # A scaled pilot's tasks go quiet, except those given after it scaled (its benefit
        # review): those are the work that is still owed.
        "AND p.stage <> {mark} "
        "AND (p.stage <> {mark} OR d.created_at >= p.stage_changed_at)"
    ),
    params=(*OPEN_TASK_STATUSES, Stage.closed, Stage.scaled),
)

#: A rollout target reminds once its pilot is rolling out and its wave has been opened.
ROLLOUT_TARGETS = Deadlines(
    subject="rollout_target",
    table="rollout_targets d",
    joins="JOIN pilots p ON p.id = d.pilot_id",
    due="d.due_date",
    person="d.responsible_id",
    where=(
        "d.status <> {mark} AND d.responsible_id IS NOT NULL "
        "AND p.stage = {mark} AND d.wave <= p.rollout_open_wave"
    ),
    params=("done", Stage.rolling_out),
)

#: Every kind of deadline the scan plans in SQL.
SUBJECTS = (TASKS, ROLLOUT_TARGETS)

INSERT = (
    "INSERT INTO reminders (key, subject_type, subject_id, pilot_id, kind, step, deadline, "
    "recipient_id, due_at, status, created_at, sent_at, batch)"
)


def chain_sql(spec: Deadlines, steps: str, mark: str, rules: bool, order: bool) -> str:
    """The INSERT recording each live deadline's current chain step, unless already recorded.

    `steps` is a VALUES list of (due, rules_id, tail, kind, step, due_at); `tail` is the part
    of the key between subject id and recipient (":kind:deadline:step:"). `mark` stands for
    the scan's moment, twice, then its token.
    """
    recorded = (
        f" AND NOT EXISTS (SELECT 1 FROM reminder_states st WHERE st.subject_type = "
        f"'{spec.subject}' AND st.subject_id = d.id AND st.deadline = {spec.due} "
        f"AND st.step = s.step AND st.recipient_id = {spec.person})"
    )
    return (
        f"WITH steps (due, rules_id, tail, kind, step, due_at) AS (VALUES {steps}) {INSERT} "
        f"SELECT '{spec.subject}:' || d.id || s.tail || {spec.person}, '{spec.subject}', d.id, "
        f"d.pilot_id, s.kind, s.step, {spec.due}, {spec.person}, s.due_at, 'sent', "
        f"{mark}, {mark}, {mark} {_from(spec, mark, rules)}{recorded}"
        f"{' ORDER BY d.id' if order else ''} ON CONFLICT (key) DO NOTHING"
    )


def escalation_sql(spec: Deadlines, steps: str, mark: str, rules: bool, order: bool) -> str:
    """The INSERT recording each escalation due to the heads, unless already recorded.

    `steps` is a VALUES list of (due, rules_id, tail, due_at); the heads come from `HEADS`.
    """
    recorded = (
        f" AND NOT EXISTS (SELECT 1 FROM reminder_states st WHERE st.subject_type = "
        f"'{spec.subject}' AND st.subject_id = d.id AND st.escalated_deadline = {spec.due})"
    )
    to_heads = (
        f"JOIN users person ON person.id = {spec.person} "
        "JOIN scan_heads h ON h.unit_id = person.unit_id AND h.head_id <> person.id "
    )
    return (
        f"WITH steps (due, rules_id, tail, due_at) AS (VALUES {steps}) {INSERT} "
        f"SELECT '{spec.subject}:' || d.id || s.tail || h.head_id, '{spec.subject}', d.id, "
        f"d.pilot_id, 'escalation', 'esc', {spec.due}, h.head_id, s.due_at, 'sent', "
        f"{mark}, {mark}, {mark} {_from(spec, mark, rules, to_heads)}{recorded}"
        f"{' ORDER BY d.id, h.head_id' if order else ''} ON CONFLICT (key) DO NOTHING"
    )


#: Who hears of delays by a person of each unit: the unit's heads, or the nearest above it
#: with heads. A temporary table for one scan, so the lookup is by key.
HEADS = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS scan_heads "
    "(unit_id INTEGER NOT NULL, head_id INTEGER NOT NULL, PRIMARY KEY (unit_id, head_id))",
    "DELETE FROM scan_heads",
    "INSERT INTO scan_heads (unit_id, head_id) VALUES ({mark}, {mark})",
)


def remember_sql(mark: str, order: bool) -> list[str]:
    """Remember the chain steps and escalations a scan recorded (`mark`: its token).

    A changed deadline starts afresh: its escalation is not yet recorded.
    """
    steps = (
        "INSERT INTO reminder_states (subject_type, subject_id, deadline, step, recipient_id) "
        "SELECT subject_type, subject_id, deadline, step, recipient_id FROM reminders "
        f"WHERE batch = {mark} AND kind IN ('before', 'due', 'overdue') "
        f"{'ORDER BY subject_type, subject_id ' if order else ''}"
        "ON CONFLICT (subject_type, subject_id) DO UPDATE SET "
        "deadline = excluded.deadline, step = excluded.step, "
        "recipient_id = excluded.recipient_id, escalated_deadline = CASE WHEN "
        "reminder_states.deadline = excluded.deadline THEN reminder_states.escalated_deadline END"
    )
    escalations = [
        "UPDATE reminder_states SET escalated_deadline = deadline "
        f"WHERE subject_type = '{spec.subject}' AND subject_id IN (SELECT subject_id "
        f"FROM reminders WHERE batch = {mark} AND subject_type = '{spec.subject}' "
        "AND kind = 'escalation')"
        for spec in SUBJECTS
    ]
    return [steps, *escalations]


def _from(spec: Deadlines, mark: str, rules: bool, more: str = "") -> str:
    """FROM the due steps joined to the live deadlines due on their day, under their rules.

    The steps come first (CROSS JOIN keeps SQLite to that order): each day's deadlines are
    then read from an index on the due date. Without programme rules every deadline follows
    the defaults (rules_id 0), and the scan need not look up each deadline's programme.
    """
    joined = f"FROM steps s CROSS JOIN {spec.table} {spec.joins} {more}"
    on_day = f"{spec.due} = s.due AND {spec.where.format(mark=mark)}"
    if not rules:
        return f"{joined}WHERE {on_day}"
    return (
        f"{joined}LEFT JOIN challenges c ON c.id = p.challenge_id "
        "LEFT JOIN reminder_rules rr ON rr.programme_id = c.programme_id "
        f"WHERE {on_day} AND s.rules_id = COALESCE(rr.programme_id, 0)"
    )
