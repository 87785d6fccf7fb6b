"""Files stored for a pilot: checked by content as well as name, kept with the transaction.

Results, tasks, the rollout and the discussion store their files this way (an `Evidence`
row each, tied to what it backs); `pilotmgr.results.evidence` lists, serves and retracts them.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from pilotmgr.core import audit
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.storage import file_store
from pilotmgr.core.text import nfc
from pilotmgr.extensions import db
from pilotmgr.results.models import Evidence

#: extension → the kind its content must show.
ALLOWED = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "csv": "csv",
    "png": "png",
    "jpg": "jpg",
    "jpeg": "jpg",
}
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def sniff(data: bytes) -> str | None:
    """What the bytes really are, whatever the file is called."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if b"\x00" not in data[:8192]:
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "csv"
    return None


def save_file(actor, pilot, file, note: str = "", **links) -> Evidence:
    """Check and store an uploaded file as evidence of `pilot`; the caller checked permission.

    `links` ties it to what it backs: a measurement, a rollout target, or a purpose.
    """
    if file is None or not getattr(file, "filename", ""):
        raise ValidationFailed({"file": [str(_l("Choose a file."))]})
    name = nfc(Path(file.filename).name)[:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    data = file.read()
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if len(data) > limit:
        from werkzeug.exceptions import RequestEntityTooLarge

        raise RequestEntityTooLarge()
    if not data:
        raise ValidationFailed({"file": [str(_l("The file is empty."))]})
    kind = sniff(data)
    if extension not in ALLOWED or kind != ALLOWED[extension]:
        raise ValidationFailed(
            {
                "file": [
                    str(
                        _l(
                            "Only PDF, DOCX, XLSX, CSV, PNG and JPG files whose content matches their name."
                        )
                    )
                ]
            }
        )
    stored = file_store().put(data)
    found = Evidence(
        pilot_id=pilot.id,
        filename=name,
        stored_name=stored,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        note=nfc(note or "")[:2000],
        uploaded_by_id=actor.id,
        **links,
    )
    db.session.add(found)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=found,
        action="create",
        pilot_id=pilot.id,
        after={
            "name": name,
            "sha256": found.sha256,
            **{k: v for k, v in links.items() if v and k in ("rollout_target_id", "purpose")},
        },
        unit_code=pilot.unit.code,
    )
    return found
