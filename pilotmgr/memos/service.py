"""Issuing memos: who may, the number, the frozen PDF; reading them back; verifying a file."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority
from pilotmgr.core.clock import local_today, now
from pilotmgr.core.errors import GuardFailed, NotFound, PermissionDenied, ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.memos import render, snapshot
from pilotmgr.memos.models import MEMO_KINDS, MEMO_LANGS, Decision, Memo, MemoCounter
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.permissions import require_visible
from pilotmgr.pilots.stages import Stage
from pilotmgr.rollout.models import RolloutTarget


class IssueInput(v.Input):
    """A memo's kind and language (the issuer's by default); `reissue_of` names the memo
    re-issued with the recorded decision filled in."""

    kind = v.choice(MEMO_KINDS, required=True)
    lang = v.choice(MEMO_LANGS)
    reissue_of = v.row_ref()


#: Where each kind of memo makes sense: what it asks the head to decide.
KIND_STAGES = {
    "pilot_approval": (Stage.draft, Stage.proposed, Stage.piloting),
    "selection": (Stage.piloting, Stage.evaluating, Stage.selected),
    "rollout": (Stage.selected, Stage.rolling_out, Stage.scaled),
}


def can_issue(user, pilot: Pilot) -> bool:
    """The pilot's owner, or a head with authority over its unit (admins included)."""
    return pilot.owner_id == user.id or has_authority(user, pilot.unit)


def missing_for(kind: str, pilot: Pilot) -> list:
    """What a memo of `kind` still needs before it can be issued (empty: it can be)."""
    missing = []
    if pilot.stage not in KIND_STAGES[kind]:
        missing.append(_l("The pilot is not at a stage where this memo asks for a decision."))
    if kind == "selection" and pilot.challenge_id is None:
        missing.append(_l("The challenge the pilot addresses"))
    if kind == "rollout" and not db.session.scalar(
        select(RolloutTarget.id).where(RolloutTarget.pilot_id == pilot.id).limit(1)
    ):
        missing.append(_l("At least one rollout target"))
    return missing


def next_number(unit_id: int, year: int) -> int:
    """The unit's next number this year, taken in one statement under the counter row's lock.

    The upsert creates the year's counter at 1 or bumps it, and locks the row (PostgreSQL) or
    the database (SQLite) until the issuing transaction ends, so concurrent issuers wait and
    numbers have neither gaps nor duplicates.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(MemoCounter).values(unit_id=unit_id, year=year, last_number=1)
    bump = statement.on_conflict_do_update(
        index_elements=[MemoCounter.unit_id, MemoCounter.year],
        set_={"last_number": MemoCounter.last_number + 1},
    ).returning(MemoCounter.last_number)
    return db.session.execute(bump).scalar_one()


def preview(user, pilot: Pilot, kind: str, lang: str) -> dict:
    require_visible(user, pilot)
    if kind not in MEMO_KINDS or lang not in MEMO_LANGS:
        raise NotFound(str(_l("No such memo kind or language.")))
    return snapshot.build(kind, lang, pilot, user, local_today())


def issue(actor, pilot: Pilot, data: Mapping) -> Memo:
    """Freeze a memo: snapshot, number, PDF, hashes. Nothing of it changes afterwards."""
    require_visible(actor, pilot)
    if not can_issue(actor, pilot):
        raise PermissionDenied(str(_l("Only the pilot's owner or a head may issue its memos.")))
    values = v.parse(data, IssueInput)
    kind, lang = values["kind"], values["lang"] or actor.lang or "vi"
    today = local_today()
    if values["reissue_of"]:
        original, frozen = _reissue_data(pilot, values["reissue_of"], kind)
    else:
        original = None
        missing = missing_for(kind, pilot)
        if missing:
            raise GuardFailed(missing)
        frozen = snapshot.build(kind, lang, pilot, actor, today)
    lang = frozen["lang"]
    sequence = next_number(pilot.unit_id, today.year)
    frozen["number"] = f"{sequence}/TTr-{pilot.unit.code}"
    frozen["issued_on"] = today.isoformat()
    frozen["issuer"] = {"name": actor.name, "email": actor.email}
    data_pdf = render.render_memo_pdf(frozen)
    memo = Memo(
        pilot_id=pilot.id,
        kind=kind,
        lang=lang,
        unit_id=pilot.unit_id,
        year=today.year,
        sequence=sequence,
        number=frozen["number"],
        title=frozen["subject"][:500],
        issued_on=today,
        issued_at=now(),
        issued_by_id=actor.id,
        sha256=hashlib.sha256(data_pdf).hexdigest(),
        content_sha256=render.content_sha256(frozen),
        size=len(data_pdf),
        snapshot=frozen,
        pdf=data_pdf,
        reissue_of_id=original.id if original else None,
    )
    db.session.add(memo)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=memo,
        action="issue",
        pilot_id=pilot.id,
        after={"number": memo.number, "kind": kind, "lang": lang, "sha256": memo.sha256},
        unit_code=pilot.unit.code,
    )
    return memo


def _reissue_data(pilot: Pilot, memo_id: int, kind: str) -> tuple[Memo, dict]:
    """The original's frozen content with the head's recorded decision filled in."""
    original = db.session.get(Memo, memo_id)
    if original is None or original.pilot_id != pilot.id or original.kind != kind:
        raise ValidationFailed(
            {"reissue_of": [str(_l("No such memo of this kind on this pilot."))]}
        )
    decision = db.session.scalar(
        select(Decision).where(Decision.memo_id == original.id).order_by(Decision.id.desc())
    )
    if decision is None:
        raise GuardFailed([_l("A decision recorded on this memo")])
    frozen = copy.deepcopy(original.snapshot)
    frozen["decision"] = decision_json(decision)
    frozen["reissue_of"] = original.number
    return original, frozen


def decision_json(decision: Decision) -> dict:
    return {
        "outcome": decision.outcome,
        "decision_number": decision.decision_number,
        "decided_on": decision.decided_on.isoformat(),
        "decided_by": decision.decided_by.name,
        "conditions": decision.conditions,
    }


def memos_for(pilot: Pilot) -> list[Memo]:
    return list(
        db.session.scalars(select(Memo).where(Memo.pilot_id == pilot.id).order_by(Memo.id.desc()))
    )


def decisions_for(pilot: Pilot) -> list[Decision]:
    return list(
        db.session.scalars(
            select(Decision).where(Decision.pilot_id == pilot.id).order_by(Decision.id.desc())
        )
    )


def get_memo(user, memo_id) -> Memo:
    """A memo whoever may view its pilot may read; anyone else is told it does not exist."""
    key = v.row_id(memo_id)
    found = db.session.get(Memo, key) if key else None
    if found is None:
        raise NotFound(str(_l("No such memo.")))
    require_visible(user, db.session.get(Pilot, found.pilot_id))
    return found


def find_by_hash(sha: str) -> Memo | None:
    """An issued memo whose PDF (or printed content code) has this SHA-256."""
    sha = (sha or "").strip().lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return None
    return db.session.scalar(
        select(Memo).where((Memo.sha256 == sha) | (Memo.content_sha256 == sha))
    )


def hash_file(stream, limit: int) -> str | None:
    """SHA-256 of an uploaded file read in chunks; None when it is larger than `limit` bytes."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(65536):
        size += len(chunk)
        if size > limit:
            return None
        digest.update(chunk)
    return digest.hexdigest()


def public_facts(memo: Memo) -> dict:
    """All the verification page may say about a memo."""
    with force_locale(memo.lang):
        return {
            "number": memo.number,
            "issued_on": memo.issued_on,
            "unit": memo.unit.name,
            "title": memo.title,
        }
