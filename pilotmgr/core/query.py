"""Filters of a list's query string (`?role=head&active=true`), as the API takes them.

A query string carries text only, so a blank value is either a blank text filter (not given)
or a value the filter cannot take: `?kind=` names no level, `?active=` is neither true nor
false, `?start=` is no date. The API document says so (an enum, a boolean, a date), and the
query is refused as it says, rather than read as if the filter were absent.
"""

from __future__ import annotations

from marshmallow import pre_load

from pilotmgr.core import validate as v


class Query(v.Input):
    """An API list's filters: blank text (a search, a unit's code) is "not given"; any other
    blank value is refused by its field."""

    @pre_load
    def _blank_is_none(self, data, **_kwargs):
        return {
            key: None if _is_blank(value) and _takes_text(self.fields.get(key)) else value
            for key, value in data.items()
        }


def _is_blank(value) -> bool:
    return isinstance(value, str) and not value.strip()


def _takes_text(field) -> bool:
    return isinstance(field, v.Text | v.KeyLookup)
