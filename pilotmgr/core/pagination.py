from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from marshmallow import pre_load
from sqlalchemy import Select

from pilotmgr.core import validate as v
from pilotmgr.core.formats import format_number
from pilotmgr.core.validate import MAX_ROW_ID, row_id
from pilotmgr.extensions import db

MAX_PER_PAGE = 100


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)


def _bounded(largest: int):
    """ASCII whole numbers from 1 to `largest`: a page beyond the id range would make an
    OFFSET the database cannot hold (500)."""

    def convert(value):
        number = row_id(value)
        if number is None or number > largest:
            raise ValueError(
                _l("Must be a whole number from 1 to %(n)s.", n=format_number(largest))
            )
        return number

    return v.custom(convert, {"type": "integer", "minimum": 1, "maximum": largest})


class PageQuery(v.Input):
    """`?page=&per_page=` of every paged list, web and API."""

    page = _bounded(MAX_ROW_ID)
    per_page = _bounded(MAX_PER_PAGE)

    @pre_load
    def _blank_is_none(self, data, **kwargs):
        # A page's own links may leave `page=` blank (the first page); in the API a blank is
        # no whole number, as the document says, and is refused with the other bad values.
        return data if v.json_types() else super()._blank_is_none(data, **kwargs)


def page_args(page, per_page, default_per_page: int = 25) -> tuple[int, int]:
    """Page and page size from a query string, or ValidationFailed naming the bad one."""
    values = v.parse({"page": page, "per_page": per_page}, PageQuery)
    return values["page"] or 1, values["per_page"] or default_per_page


def paginate(query: Select, page: int, per_page: int):
    """Flask-SQLAlchemy's page of `query` (one COUNT, one page query) for checked arguments.

    `page_args` has already refused what is out of range (a 400/422 with the reason), so
    Flask-SQLAlchemy's own 404 for a bad page never applies.
    """
    return db.paginate(
        query, page=page, per_page=per_page, max_per_page=MAX_PER_PAGE, error_out=False
    )
