"""Administrators' reminder settings: an exception to the working-day calendar, a programme's
reminder rules (every number in working days)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField

from pilotmgr.core.forms import DayField, Form, max_length, options, required
from pilotmgr.notices.rules import DIGEST_TIME

DAYS_HELP = _l("Working days, separated by commas, e.g. 7, 3, 1.")


class CalendarDayForm(Form):
    day = DayField(_l("Day"), [required()])
    working = SelectField(
        _l("Kind"),
        choices=options((("0", _l("Day off")), ("1", _l("Make-up working day")))),
        default="0",
    )
    note = StringField(_l("Note"), [max_length(255)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, id_prefix="day-", **kwargs)


class ReminderRulesForm(Form):
    before_days = StringField(
        _l("Before a task is due"), [required(), max_length(64)], description=DAYS_HELP
    )
    overdue_every = IntegerField(_l("Overdue: repeat every"), [required()])
    escalate_after = IntegerField(_l("Escalate to the head after"), [required()])
    pilot_end_days = StringField(
        _l("Before a pilot ends"), [required(), max_length(64)], description=DAYS_HELP
    )
    decision_after = IntegerField(_l("Decision waiting longer than"), [required()])

    def __init__(self, *args, programme_id: int, **kwargs):
        super().__init__(*args, id_prefix=f"rules-{programme_id}-", **kwargs)
        self.programme_id = programme_id

    @classmethod
    def for_rule(cls, rule, **kwargs) -> ReminderRulesForm:
        data = {
            name: getattr(rule, name)
            for name in (
                "before_days",
                "overdue_every",
                "escalate_after",
                "pilot_end_days",
                "decision_after",
            )
        }
        return cls(data=data, programme_id=rule.programme_id, **kwargs)


class MailSettingsForm(Form):
    """A reader's e-mail settings, opened from the signed link in a mail (no sign-in)."""

    email_mode = SelectField(_l("Reminders by e-mail"))
    leader_digest = SelectField(
        _l("Weekly leader digest (Mondays %(time)s, with a PDF summary)", time=DIGEST_TIME),
        choices=options((("1", _l("Send it to me")), ("0", _l("Do not send it")))),
    )

    def __init__(self, *args, user, **kwargs):
        from pilotmgr.auth.forms import EMAIL_MODE_LABELS

        super().__init__(*args, **kwargs)
        self.email_mode.choices = options(EMAIL_MODE_LABELS.items())
        if user.role not in ("head", "admin"):
            del self.leader_digest

    @classmethod
    def for_user(cls, user, **kwargs) -> MailSettingsForm:
        data = {"email_mode": user.email_mode, "leader_digest": "1" if user.leader_digest else "0"}
        return cls(data=data, user=user, **kwargs)
