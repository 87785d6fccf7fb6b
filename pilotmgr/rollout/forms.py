"""The rollout feature's forms: one target's progress."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from pilotmgr.core.forms import Form, VersionField, max_length, options
from pilotmgr.rollout.models import TARGET_STATUSES
from pilotmgr.rollout.service import STATUS_LABELS


class TargetUpdateForm(Form):
    """A target unit's progress: its status, why it is blocked, a note."""

    status = SelectField(
        _l("Status"), choices=options((s, STATUS_LABELS[s]) for s in TARGET_STATUSES)
    )
    blocked_reason = StringField(_l("Why blocked (required when blocked)"), [max_length(2000)])
    note = TextAreaField(_l("Note"), [max_length(10_000)], render_kw={"rows": 3})
    version = VersionField()

    @classmethod
    def for_target(cls, target, **kwargs) -> TargetUpdateForm:
        data = {
            "status": target.status,
            "blocked_reason": target.blocked_reason,
            "note": target.note,
            "version": target.version,
        }
        return cls(data=data, **kwargs)
