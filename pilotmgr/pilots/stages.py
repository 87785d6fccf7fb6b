"""The stages of a pilot's lifecycle: the one place their names are written.

Importable from anywhere (it imports nothing of the application): models, guards and SQL use
these members; the transitions between them and the groups derived from those live in
`pilotmgr.pilots.lifecycle`.
"""

from __future__ import annotations

import enum


class Stage(enum.StrEnum):
    draft = "draft"
    proposed = "proposed"
    piloting = "piloting"
    evaluating = "evaluating"
    selected = "selected"
    rolling_out = "rolling_out"
    scaled = "scaled"
    closed = "closed"


#: In lifecycle order.
STAGES = tuple(Stage)


def from_on(first: Stage, last: Stage | None = None) -> frozenset[Stage]:
    """The stages from `first` to `last` (to the end without it), in lifecycle order."""
    start = STAGES.index(first)
    end = STAGES.index(last) + 1 if last else len(STAGES)
    return frozenset(STAGES[start:end])
