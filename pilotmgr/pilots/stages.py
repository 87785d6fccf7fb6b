"""The stages of a pilot's lifecycle: the one place their names are written.

Importable from anywhere (it imports nothing of the application): models, guards, SQL and
the notifications use these members, the outcome labels and the FINISHED group; the
transitions between the stages and the other groups derived from them live in
`pilotmgr.pilots.lifecycle` (tests/pilots check FINISHED against that table).
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


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


#: No step of the lifecycle leads out of these: the pilot's story is over.
FINISHED = frozenset({Stage.scaled, Stage.closed})

#: How a closed pilot ended.
OUTCOMES = ("rejected", "not_selected", "stopped")
OUTCOME_LABELS = {
    "rejected": _l("Rejected"),
    "not_selected": _l("Not selected"),
    "stopped": _l("Stopped"),
}
