from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from pilotmgr.core.errors import ValidationFailed
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


def page_args(page, per_page, default_per_page: int = 25) -> tuple[int, int]:
    """Page and page size from a query string: ASCII whole numbers in range, or 422.

    A page beyond the id range would make an OFFSET the database cannot hold (500).
    """
    errors = {}
    page = row_id(page) if page not in (None, "") else 1
    if page is None:
        errors["page"] = [
            str(_l("Must be a whole number from 1 to %(n)s.", n=format_number(MAX_ROW_ID)))
        ]
    per_page = row_id(per_page) if per_page not in (None, "") else default_per_page
    if per_page is None or per_page > MAX_PER_PAGE:
        errors["per_page"] = [str(_l("Must be a whole number from 1 to %(n)s.", n=MAX_PER_PAGE))]
    if errors:
        raise ValidationFailed(errors)
    return page, per_page


def paginate(query: Select, page: int, per_page: int, *, unique: bool = False) -> Page:
    """One COUNT and one page query, whatever the size of the data."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars()
    items = list(result.unique() if unique else result)
    return Page(items=items, total=total or 0, page=page, per_page=per_page)
