"""Indexes the leaders' dashboard needs on other features' tables."""

from sqlalchemy import Index

from pilotmgr.pilots.models import Task

#: The scoreboard reads tasks due in a period: due date, then what it sums, without the rows.
TASKS_DUE = Index(
    "ix_tasks_due_date_status", Task.due_date, Task.status, Task.pilot_id, Task.completed_at
)
#: Overdue tasks: open statuses, oldest due date first.
TASKS_OPEN_DUE = Index("ix_tasks_status_due_date", Task.status, Task.due_date)
