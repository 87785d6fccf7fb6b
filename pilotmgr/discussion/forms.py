"""The discussion's form: a comment with @mentions and files."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, TextAreaField

from pilotmgr.core.forms import Form, max_length, required
from pilotmgr.discussion.service import MAX_BODY


class CommentForm(Form):
    body = TextAreaField(
        _l("Your comment"),
        [required(), max_length(MAX_BODY)],
        render_kw={"rows": 3},
        description=_l(
            "To tell someone, write @ followed by their e-mail; "
            "the people of this pilot are listed below."
        ),
    )
    files = MultipleFileField(
        _l("Files (optional)"),
        description=_l("PDF, DOCX, XLSX, CSV, PNG or JPG; kept like evidence."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("id_prefix", "comment-")
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return {"body": self.body.data}
