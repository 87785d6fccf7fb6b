"""Demo: issued memos of each kind, and one re-issued with the head's decision filled in."""

from __future__ import annotations

from pilotmgr.memos import service
from pilotmgr.memos.models import Memo

#: (pilot key, memo kind, language, issued by the owner rather than a head)
MEMOS = (
    ("hn_community", "pilot_approval", "vi", True),
    ("dn_online", "pilot_approval", "en", True),
    ("bn_hospital", "selection", "vi", False),
    ("hcm_einvoice", "rollout", "vi", False),
)


def issue_rollout_memo(head, pilot) -> Memo:
    """The rollout memo a head decides from (the demo's walk to rolling_out needs one)."""
    return service.issue(head, pilot, {"kind": "rollout", "lang": "vi"})


def add_demo_data(ctx) -> None:
    head = ctx.users["head_ministry"]
    for key, kind, lang, by_owner in MEMOS:
        pilot = ctx.pilots.get(key)
        if pilot is not None and not service.missing_for(kind, pilot):
            service.issue(pilot.owner if by_owner else head, pilot, {"kind": kind, "lang": lang})
    rolled = ctx.pilots.get("cds_online")
    if rolled is not None:
        answered = next((m for m in service.memos_for(rolled) if m.kind == "rollout"), None)
        if answered is not None:
            service.issue(head, rolled, {"kind": "rollout", "reissue_of": answered.id})
