"""Naming what is open in a guard's answer: the first few names, then how many others.

A guard that says only "3 still open" leaves a head with 34 provinces to hunt for them; one
that lists thousands is unreadable. So the first ten are named and the rest counted:
"Tỉnh A, Tỉnh B, … và 24 đơn vị khác" / "… and 24 other units".
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import ngettext

from pilotmgr.core.formats import format_number

#: How many names a message lists before it counts the others.
SHOWN = 10


def _others(kind: str, n: int) -> str:
    count = format_number(n)
    if kind == "units":
        return ngettext("and %(count)s other unit", "and %(count)s other units", n, count=count)
    if kind == "kpis":
        return ngettext("and %(count)s other KPI", "and %(count)s other KPIs", n, count=count)
    if kind == "tasks":
        return ngettext("and %(count)s other task", "and %(count)s other tasks", n, count=count)
    return ngettext("and %(count)s other person", "and %(count)s other people", n, count=count)


def quoted(name: str) -> str:
    return _("“%(name)s”", name=name)


def name_list(names: Iterable[str], total: int, kind: str) -> str:
    """The first SHOWN of `names`, comma-separated, then "and N other …" for the rest of
    `total` (`kind`: units, kpis, tasks or people)."""
    shown = list(names)[:SHOWN]
    text = ", ".join(shown)
    rest = total - len(shown)
    return f"{text} {_others(kind, rest)}" if rest > 0 else text
