"""One search over what the user may see; "cong nghe so" finds "Công nghệ số"."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select

from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot, Task
from pilotmgr.pilots.permissions import visible_pilots_clause

LIMIT = 50
MAX_QUERY = 200


@dataclass
class Results:
    q: str
    pilots: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    formulas: list = field(default_factory=list)
    lessons: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.pilots) + len(self.tasks) + len(self.formulas) + len(self.lessons)


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def _matches(text: str, words: list[str]) -> bool:
    folded = _folded(text or "")
    return all(word in folded for word in words)


def search(user, q: str) -> Results:
    # No control characters: PostgreSQL refuses NUL in text and nobody searches for them.
    q = "".join(ch for ch in (q or "")[:MAX_QUERY] if ch >= " ")
    words = fold(q).split()
    results = Results(q=q)
    if not words:
        return results
    clause = visible_pilots_clause(user)
    pilots = select(
        Pilot.id, Pilot.title, Pilot.stage, Pilot.success_formula, Pilot.lessons
    ).order_by(Pilot.id.desc())
    if clause is not None:
        pilots = pilots.where(clause)
    for word in words:
        pilots = pilots.where(Pilot.search_text.contains(word, autoescape=True))
    for row in db.session.execute(pilots.limit(LIMIT * 4)):
        if len(results.pilots) < LIMIT:
            results.pilots.append(row)
        if row.success_formula and _matches(row.success_formula, words):
            results.formulas.append(row)
        if row.lessons and _matches(row.lessons, words):
            results.lessons.append(row)
    results.tasks = _tasks(clause, words)
    results.formulas, results.lessons = results.formulas[:LIMIT], results.lessons[:LIMIT]
    return results


def _tasks(clause, words: list[str]) -> list:
    """Tasks have no folded column: fold their titles here, stopping at the first LIMIT hits."""
    query = (
        select(Task.id, Task.title, Task.due_date, Task.status, Pilot.id.label("pilot_id"))
        .join(Pilot, Pilot.id == Task.pilot_id)
        .add_columns(Pilot.title.label("pilot_title"))
        .order_by(Task.id.desc())
    )
    if clause is not None:
        query = query.where(clause)
    found = []
    for row in db.session.execute(query.execution_options(yield_per=2000)):
        if _matches(row.title, words):
            found.append(row)
            if len(found) >= LIMIT:
                break
    return found
