"""Units' forms: a new unit, a unit's name, level and place in the tree, a merge."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from pilotmgr.core.forms import Form, VersionField, max_length, options, required
from pilotmgr.units.models import UNIT_KINDS

#: The level of a unit as people call it.
KIND_LABELS = {
    "ministry": _l("Ministry or ministry-level body"),
    "province": _l("Province or centrally-run city"),
    "agency": _l("Agency or office under a ministry"),
    "department": _l("Provincial department"),
    "division": _l("Division or sub-department"),
}


def kind_choices():
    return options([("", _l("— not said —")), *((k, KIND_LABELS[k]) for k in UNIT_KINDS)])


def unit_choices(units, blank=None):
    pairs = [(u.code, f"{'· ' * u.depth}{u.name} ({u.code})") for u in units]
    return options([("", blank), *pairs] if blank is not None else pairs)


class UnitForm(Form):
    code = StringField(
        _l("Code"),
        [required(), max_length(40)],
        description=_l("Letters, digits, '.', '-' and '_'; it cannot be changed later."),
    )
    name = StringField(_l("Name"), [required(), max_length(255)])
    kind = SelectField(
        _l("Level"), description=_l("When not said, it is worked out from the name.")
    )
    parent = SelectField(_l("Parent unit"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()
        self.parent.choices = unit_choices(units, _l("— none (top level) —"))


class UnitEditForm(Form):
    name = StringField(_l("Name"), [required(), max_length(255)])
    kind = SelectField(_l("Level"))
    parent = SelectField(_l("Parent unit"))
    version = VersionField()

    def __init__(self, *args, unit, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()
        # Neither the unit itself nor anything below it can become its parent.
        allowed = [u for u in units if not u.path.startswith(unit.path)]
        self.parent.choices = unit_choices(allowed, _l("— none (top level) —"))

    @classmethod
    def for_unit(cls, unit, parent_code, **kwargs) -> UnitEditForm:
        data = {
            "name": unit.name,
            "kind": unit.kind,
            "parent": parent_code or "",
            "version": unit.version,
        }
        return cls(data=data, unit=unit, **kwargs)


class MergeForm(Form):
    source = SelectField(_l("Merge this unit"), [required()])
    target = SelectField(_l("into this unit"), [required()])

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, id_prefix="merge-", **kwargs)
        self.source.choices = unit_choices(units, "—")
        self.target.choices = unit_choices(units, "—")
