"""Canonical answers to JSON and back, for the dossier's JSON column.

JSON has no date, decimal or tuple: dates are stored as ISO strings and decimals as strings (a float would turn
0.1 into 0.1000000000000000055…). The way back needs the form, because only the field's type says that "2026-01-31"
is a date and not a text that looks like one. A stored value that does not have the expected shape (a raw value kept
in a draft) is returned as it is, for validation to report."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from forms.definition import Form
from forms.fields import BlocRepetable, ChampSimple, ChoixMultiple, Date, Fichier, NombreDecimal

__all__ = ["JSONValue", "from_json", "to_json"]

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


def _plain(value: object) -> JSONValue:
    match value:
        case None | bool() | int() | float():
            return value
        case str():
            return str(value)  # drops subclasses such as renderers.texts.Code
        case datetime():
            return value.isoformat()
        case date():
            return value.isoformat()
        case Decimal():
            return f"{value:f}"
        case list() | tuple():
            return [_plain(item) for item in value]
        case Mapping():
            return {str(key): _plain(item) for key, item in value.items()}
        case _:
            raise TypeError(f"cannot store a {type(value).__name__} in the answers")


def to_json(answers: Mapping[str, object]) -> dict[str, JSONValue]:
    """A JSON-ready copy of canonical answers."""
    return {name: _plain(value) for name, value in answers.items()}


def _field_value(field: ChampSimple | BlocRepetable, value: object) -> object:
    match field:
        case Date() if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        case NombreDecimal() if isinstance(value, str):
            try:
                return Decimal(value)
            except InvalidOperation:
                return value
        case ChoixMultiple() | Fichier() if isinstance(value, list):
            return tuple(value)
        case BlocRepetable() if isinstance(value, list):
            subs = {sub.id: sub for sub in field.champs}
            return tuple(_item(subs, item) if isinstance(item, Mapping) else item for item in value)
        case _:
            return value


def _item(subs: Mapping[str, ChampSimple], item: Mapping[str, object]) -> dict[str, object]:
    return {name: _field_value(subs[name], value) if name in subs else value for name, value in item.items()}


_TYPED = (Date, NombreDecimal, ChoixMultiple, Fichier, BlocRepetable)
_IS_TYPED: dict[type, bool] = {}
"""Whether a field class stores a value JSON cannot hold as it is (a date, a decimal, a tuple): the others' answers
are read back untouched, without ``_field_value``'s cases (every step page reads every answer)."""


def _is_typed(field: object) -> bool:
    cls = field.__class__
    found = _IS_TYPED.get(cls)
    if found is None:
        found = _IS_TYPED[cls] = issubclass(cls, _TYPED)
    return found


def from_json(data: Mapping[str, object], form: Form) -> dict[str, object]:
    """The canonical answers stored in ``data``, typed by the fields of ``form``."""
    fields = form.fields
    bloc_of = form.bloc_of
    answers: dict[str, object] = {}
    for name, value in data.items():
        field = fields.get(name)
        typed = field is not None and name not in bloc_of and _is_typed(field)
        answers[name] = _field_value(field, value) if typed else value  # type: ignore[arg-type]
    return answers
