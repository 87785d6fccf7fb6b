"""The URL converters every blueprint shares."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from pilotmgr.core.validate import MAX_ROW_ID


class RowIdConverter(IntegerConverter):
    """`<int:...>` in our routes: ASCII digits naming a possible row, 1 to 2**31 - 1.

    Werkzeug's own converter matches any Unicode digit ("٣" is 3) and any size: a number
    beyond the 32-bit id columns reached PostgreSQL (or SQLite's 64-bit limit) and answered
    500. Anything else is now simply no such page (404).
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int = 1, max: int = MAX_ROW_ID):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


def register_converters(app) -> None:
    """Before any blueprint: a rule takes its converter when it is added."""
    app.url_map.converters["int"] = RowIdConverter
