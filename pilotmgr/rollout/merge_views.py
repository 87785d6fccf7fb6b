"""The administrators' page that merges one unit into another (`pilotmgr.rollout.merge`).

It belongs to the `admin` blueprint (`pilotmgr/units/views.py`, administrators only) and
answers the merge form of the units page; the merge moves pilots and rollout targets, so the
page is declared here, above both, and attached by the app factory.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pilotmgr.core.routes import Routes
from pilotmgr.core.web import commit, confirmation_page, needs_confirmation
from pilotmgr.rollout import merge
from pilotmgr.units.forms import MergeForm
from pilotmgr.units.views import units_in_order, units_page

#: Attached by the app factory to the admin blueprint.
routes = Routes()


@routes.post("/units/merge")
def merge_units():
    units = units_in_order()
    form = MergeForm(units=units)
    if needs_confirmation():
        done, preview = form.run(lambda data: merge.preview_merge(current_user, data))
        if not done:
            return units_page(units, merge=form, status=422)
        return confirmation_page(
            _l(
                "Merge %(source)s into %(target)s",
                source=preview["source"].name,
                target=preview["target"].name,
            ),
            _merge_consequences(preview),
            _l("Merge the units"),
            url_for("admin.units"),
        )
    done, counts = form.run(lambda data: merge.merge_units(current_user, data))
    if not done:
        return units_page(units, merge=form, status=422)
    commit()
    flash(
        _l(
            "Units merged: %(users)s users, %(pilots)s pilots, %(targets)s rollout targets "
            "moved, %(combined)s combined, %(units)s child units.",
            users=counts["users"],
            pilots=counts["pilots"],
            targets=counts["targets"],
            combined=counts["targets_combined"],
            units=counts["units"],
        ),
        "success",
    )
    return redirect(url_for("admin.units"))


def _merge_consequences(preview: dict) -> list:
    source, target = preview["source"].name, preview["target"].name
    lines = [
        _l("%(n)s users move to %(target)s.", n=preview["users"], target=target),
        _l(
            "%(n)s pilots (with their %(tasks)s tasks) move to %(target)s.",
            n=preview["pilots"],
            tasks=preview["tasks"],
            target=target,
        ),
        _l("%(n)s rollout targets move to %(target)s.", n=preview["targets"], target=target),
    ]
    if preview["targets_combined"]:
        lines.append(
            _l(
                "%(n)s rollout targets are combined with those %(target)s already has for the "
                "same pilot (the one further along is kept).",
                n=preview["targets_combined"],
                target=target,
            )
        )
    lines += [
        _l("%(n)s child units are placed under %(target)s.", n=preview["units"], target=target),
        _l(
            "%(source)s stays in the history under its own name but can no longer be chosen.",
            source=source,
        ),
    ]
    return lines
