"""A programme (name, description) and a challenge (its programme, title, the problem)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from pilotmgr.core.forms import Form, VersionField, max_length, options, required


class ProgrammeForm(Form):
    name = StringField(_l("Name"), [required(), max_length(255)])
    description = TextAreaField(
        _l("Description"),
        [max_length(10_000)],
        description=_l("What the programme aims at, its period, who runs it."),
        render_kw={"rows": 4},
    )
    version = VersionField()

    @classmethod
    def for_programme(cls, programme, **kwargs) -> ProgrammeForm:
        data = {
            "name": programme.name,
            "description": programme.description,
            "version": programme.version,
        }
        return cls(data=data, **kwargs)


class ChallengeForm(Form):
    programme_id = SelectField(_l("Programme"), [required()])
    title = StringField(_l("Title of the challenge"), [required(), max_length(255)])
    problem = TextAreaField(
        _l("The problem to solve"),
        [max_length(10_000)],
        description=_l("What is wrong today, for whom, and how big it is."),
        render_kw={"rows": 5},
    )
    version = VersionField()

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_id.choices = options([("", "—"), *((p.id, p.name) for p in programmes)])

    @classmethod
    def for_challenge(cls, challenge, **kwargs) -> ChallengeForm:
        data = {
            "programme_id": str(challenge.programme_id),
            "title": challenge.title,
            "problem": challenge.problem,
            "version": challenge.version,
        }
        return cls(data=data, **kwargs)
