"""The forms of *Việc của tôi* that belong to no other feature: a rollout target's progress with
its file. Rows share one blank form per kind (pilotmgr.pilots.forms.RowForms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from pilotmgr.pilots.forms import RowForms
from pilotmgr.results.forms import MeasurementForm
from pilotmgr.rollout.forms import TargetUpdateForm


class TargetProgressForm(TargetUpdateForm):
    """A target unit's progress from *Việc của tôi*: start, done (with a file), blocked."""

    file = FileField(
        _l("File showing the result (optional)"),
        description=_l("PDF, DOCX, XLSX, CSV, PNG or JPG."),
        render_kw={"accept": ".pdf,.docx,.xlsx,.csv,.png,.jpg,.jpeg"},
    )


def target_form_name(action: str, target_id: int) -> str:
    """start, done or blocked: the page_forms name of one target's form."""
    return f"target-{action}-{target_id}"


def value_form_name(kpi_id: int) -> str:
    return f"value-{kpi_id}"


__all__ = ["MeasurementForm", "RowForms", "TargetProgressForm"]
