"""Indexes the leaders' dashboard needs on other features' tables."""

from sqlalchemy import Index

from pilotmgr.pilots.models import Pilot, Task

#: The scoreboard reads tasks due in a period: due date, then what it sums, without the rows.
TASKS_DUE = Index(
    "ix_tasks_due_date_status", Task.due_date, Task.status, Task.pilot_id, Task.completed_at
)
#: Overdue tasks: open statuses, oldest due date first, and whose pilot (for a head's subtree).
TASKS_OPEN_DUE = Index("ix_tasks_status_due_date", Task.status, Task.due_date, Task.pilot_id)
#: "+1" coverage: which units and owners have a pilot of a programme, from the index alone.
PILOTS_BY_CHALLENGE = Index(
    "ix_pilots_challenge_unit_owner",
    Pilot.challenge_id,
    Pilot.unit_id,
    Pilot.owner_id,
    Pilot.stage,
)
