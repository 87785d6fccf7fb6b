"""The bulk import's forms: the file for a dry run, then the checked file's commit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField

from pilotmgr.core.forms import Form


class ImportForm(Form):
    """The spreadsheet to check; its size and content are checked by the importer."""

    file = FileField(_l("File"), render_kw={"accept": ".xlsx,.csv"})


class ImportCommitForm(Form):
    """Import the file the dry run checked, named by the token it was kept under."""

    token = HiddenField()
