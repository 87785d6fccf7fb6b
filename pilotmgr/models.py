"""Import every feature's models so the metadata (and Alembic) sees all tables."""

from pilotmgr.auth.models import ApiToken, User  # noqa: F401
from pilotmgr.core.audit import HistoryEntry  # noqa: F401
from pilotmgr.core.storage import StoredFile  # noqa: F401
from pilotmgr.dashboard import models as _dashboard_indexes  # noqa: F401
from pilotmgr.discussion.models import Comment  # noqa: F401
from pilotmgr.exports.models import ImportUpload  # noqa: F401
from pilotmgr.memos.models import Decision, Memo, MemoCounter  # noqa: F401
from pilotmgr.notices.attachments import OutboxAttachment  # noqa: F401
from pilotmgr.pilots.models import (  # noqa: F401
    Challenge,
    Kpi,
    Pilot,
    Programme,
    Task,
    TaskDueChange,
    TaskDueRequest,
)
from pilotmgr.reminders.models import (  # noqa: F401
    CalendarDay,
    Notification,
    OutboxMail,
    Reminder,
    ReminderRule,
    ReminderState,
)
from pilotmgr.results.models import (  # noqa: F401
    CriterionWeights,
    Evaluation,
    Evidence,
    KpiVerdict,
    Measurement,
    PilotEvaluator,
    Selection,
)
from pilotmgr.rollout.models import RolloutTarget  # noqa: F401
from pilotmgr.units.models import Unit  # noqa: F401
