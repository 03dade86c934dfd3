"""Turn a pydantic ValidationError about a loaded YAML file into French diagnostics placed on the file's lines.

pydantic reports paths through the models (``loc``), with union tags and validator names mixed in; editors need the
line of the YAML they wrote and words they know. Models raise ``PydanticCustomError(code, message, ctx)`` for checks of
their own, with ``code`` like ``C001`` and the message already in French. Optional ctx keys refine the report:
``suggestion`` (a full sentence), ``severity`` (``"avertissement"``), ``loc`` (a path below the error's own place),
``span`` ((line, start, end) inside that scalar's text: 1-based line, 0-based columns, end exclusive) and ``key``
(true to point at the key rather than the value).
"""

import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from engine.diagnostics import Diagnostic, Severity
from engine.yaml_source import Loc, SourceMap, Span
from forms.suggestions import closest

__all__ = ["data_loc", "diagnostics_from_validation_error"]

_CUSTOM_CODE = re.compile(r"[A-Z]\d{3}")
# A union member with validators shows in ``loc`` as « function-after[check(), Nombre] »: the type name is last.
_VALIDATED = re.compile(r"function-\w+\[.*, ([\w.]+)\]")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_EXPECTED = {
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float", "int_parsing_size"), "un nombre entier"),
    **dict.fromkeys(("float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"), "un nombre"),
    **dict.fromkeys(("bool_type", "bool_parsing"), "oui ou non"),
    **dict.fromkeys(
        ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"), "une date AAAA-MM-JJ"
    ),
    **dict.fromkeys(("datetime_type", "datetime_parsing", "datetime_from_date_parsing"), "une date et une heure"),
    **dict.fromkeys(("list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type"), "une liste"),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type", "dataclass_type"), "une table de clés"),
    **dict.fromkeys(("bytes_type", "str_type"), "un texte"),
}
_BOUNDS = {
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit valoir au moins {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit valoir au plus {le}",
    "multiple_of": "doit être un multiple de {multiple_of}",
    "string_too_short": "doit contenir au moins {min_length} caractère(s)",
    "string_too_long": "doit contenir au plus {max_length} caractère(s)",
    "too_short": "doit contenir au moins {min_length} élément(s)",
    "too_long": "doit contenir au plus {max_length} élément(s)",
    "string_pattern_mismatch": "ne suit pas la forme attendue ({pattern})",
    "decimal_max_places": "a trop de décimales (au plus {decimal_places})",
    "decimal_max_digits": "a trop de chiffres (au plus {max_digits})",
}
# How an editor names the thing that lacks a key: the collection it sits in tells what it is.
_NOUNS = {
    "pages": "la page",
    "champs": "le champ",
    "champs_agent": "le champ",
    "pieces": "la pièce",
    "transitions": "la transition",
    "etats": "l'état",
    "roles": "le rôle",
    "calculs": "le calcul",
    "courriels": "le courriel",
    "listes": "la liste",
    "baremes": "le barème",
}

_Type = tuple[Any, Any]  # (annotation, discriminator from a Field) — None when the model walk lost track


@dataclass(frozen=True)
class _Walk:
    loc: Loc  # the path in the data
    types: tuple[_Type, ...]  # the model type at each prefix of ``loc`` (len(loc) + 1 items)


def data_loc(loc: Loc, data: object) -> Loc:
    """The part of a pydantic ``loc`` that exists in ``data``: union tags, validator names and missing keys dropped."""
    return _walk(loc, None, data).loc


def diagnostics_from_validation_error(
    error: ValidationError, model: type[BaseModel], data: object, source_map: SourceMap, path: str
) -> list[Diagnostic]:
    """One diagnostic per mistake, in French, at the YAML position the error is about.

    pydantic reports some mistakes twice: a list whose only item is wrong is also « too short », and a value
    refused by every member of a union (``date | str``) gets one error per member. The editor made one mistake,
    so one diagnostic is kept per place — the one that can suggest a fix, else the first — and a « too short »
    beside errors inside its list is dropped."""
    errors = error.errors(include_url=False)
    places = [data_loc(tuple(details["loc"]), data) for details in errors]
    kept: dict[Loc, Diagnostic] = {}
    for details, place in zip(errors, places, strict=True):
        if details["type"] == "too_short" and any(other[: len(place)] == place and other != place for other in places):
            continue
        found = _diagnostic(details, model, data, source_map, path)
        first = kept.get(place)
        if first is None or (_suggests(found) and not _suggests(first)):
            kept[place] = found
    return sorted(kept.values(), key=Diagnostic.sort_key)


def _suggests(diagnostic: Diagnostic) -> bool:
    return (diagnostic.suggestion or "").startswith("Vouliez-vous dire")


def _unwrap(annotation: Any, discriminator: Any) -> _Type:
    """Strip Annotated and Optional, keeping a discriminator declared on the way."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            for meta in annotation.__metadata__:
                if isinstance(meta, FieldInfo) and meta.discriminator is not None:
                    discriminator = meta.discriminator
            annotation = get_args(annotation)[0]
        elif _is_union(annotation):
            members = [m for m in get_args(annotation) if m is not type(None)]
            if len(members) != 1:
                return annotation, discriminator
            annotation = members[0]
        else:
            return annotation, discriminator


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _members(union: Any, discriminator: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Union members by the names pydantic puts in ``loc``: (tag values an editor writes, type names)."""
    tags: dict[str, Any] = {}
    names: dict[str, Any] = {}
    for member in get_args(union):
        inner = member
        if get_origin(member) is Annotated:
            inner = get_args(member)[0]
            for meta in member.__metadata__:
                if isinstance(meta, Tag):
                    tags[meta.tag] = inner
        if isinstance(discriminator, str) and _is_model(inner) and discriminator in inner.model_fields:
            for value in _literal_values(inner.model_fields[discriminator].annotation):
                tags.setdefault(str(value), inner)
        if isinstance(inner, type) and inner is not type(None):
            names.setdefault(inner.__name__, inner)
    return tags, names


def _literal_values(annotation: Any) -> list[object]:
    annotation, _ = _unwrap(annotation, None)
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [member.value for member in annotation]
    if _is_union(annotation):
        return [value for member in get_args(annotation) for value in _literal_values(member)]
    return []


def _child(annotation: Any, part: str | int) -> _Type:
    """The type found one step below ``annotation`` in the data (field, list item, dict value)."""
    if _is_model(annotation) and isinstance(part, str):
        for name, field in annotation.model_fields.items():
            if part in (name, field.alias):
                return field.annotation, field.discriminator
        return None, None
    origin, args = get_origin(annotation), get_args(annotation)
    if isinstance(part, int) and isinstance(origin, type) and issubclass(origin, Sequence | set | frozenset):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return (args[part], None) if part < len(args) else (None, None)
        return (args[0], None) if args else (None, None)
    if isinstance(origin, type) and issubclass(origin, Mapping) and len(args) == 2:
        return args[1], None
    return None, None


def _walk(loc: Loc, model: Any, data: object) -> _Walk:
    """Follow ``loc`` through the data and the models together; a step the data lacks is a tag or a missing key."""
    kept: list[str | int] = []
    found: list[_Type] = [(model, None)]
    current = data
    for part in loc:
        annotation, discriminator = _unwrap(*found[-1])
        if _is_union(annotation):
            tags, names = _members(annotation, discriminator)
            name = _VALIDATED.sub(r"\1", part) if isinstance(part, str) else None
            if name is not None and (name in tags or name in names):
                found[-1] = (tags.get(name) or names[name], None)
                continue
            tag = current.get(discriminator) if isinstance(current, dict) and isinstance(discriminator, str) else None
            found[-1] = (tags.get(str(tag)), None)
            annotation, _ = _unwrap(*found[-1])
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            continue
        kept.append(part)
        found.append(_child(annotation, part))
    return _Walk(tuple(kept), tuple(found))


def _at(data: object, loc: Loc) -> object:
    """The value at a path that ``_walk`` kept, so every step exists."""
    for part in loc:
        if isinstance(data, dict):
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int):
            data = data[part]
    return data


def _subject(loc: Loc) -> str:
    """How a message names the value at ``loc``: « nom », or « l'élément 2 de « codes » »."""
    if not loc:
        return "le fichier"
    last = loc[-1]
    if isinstance(last, str):
        return f"« {last} »"
    parent = next((part for part in reversed(loc) if isinstance(part, str)), None)
    return f"l'élément {last + 1} de « {parent} »" if parent else f"l'élément {last + 1}"


def _found(value: object, raw: str | None) -> str:
    """What the editor wrote, in words."""
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool | int | Decimal):
        return f"« {raw or value} »"
    if isinstance(value, date):
        return f"la date {raw or value.isoformat()}"
    if isinstance(value, str):
        return f"le texte « {value if len(value) <= 40 else value[:39] + '…'} »"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "une table de clés"
    return f"« {value} »"


def _choices(values: list[str], word: str, label: str) -> tuple[str, str | None]:
    """« ; types possibles : a, b » and the value nearest to ``word`` as a suggestion."""
    listed = f" ; {label} possibles : {', '.join(values)}" if values else ""
    hint = closest(word, values)
    return listed, f"Vouliez-vous dire « {hint} » ?" if hint else None


def _plural(key: str) -> str:
    """« types possibles » for the usual ``type`` discriminator, « valeurs possibles » for any other key."""
    return "types" if key == "type" else "valeurs"


def _expected_from_ctx(text: object) -> list[str]:
    values = _QUOTED.findall(str(text)) if text else []
    return values or ([str(text)] if text else [])


def _owner(loc: Loc, data: object) -> str | None:
    """What an editor calls the mapping at ``loc``: « le champ « etablissement » », when its place says it."""
    if not loc:
        return None
    mapping, last = _at(data, loc), loc[-1]
    if isinstance(last, int):
        collection = next((part for part in reversed(loc) if isinstance(part, str)), "")
        noun = _NOUNS.get(collection, "l'élément")
        if isinstance(mapping, dict) and isinstance(mapping.get("id"), str):
            return f"{noun} « {mapping['id']} »"
        return f"{noun} n° {last + 1}" + ("" if collection in _NOUNS else f" de « {collection} »")
    if len(loc) >= 2 and loc[-2] in _NOUNS:
        return f"{_NOUNS[str(loc[-2])]} « {last} »"
    return None


def _diagnostic(
    details: ErrorDetails, model: type[BaseModel], data: object, source: SourceMap, path: str
) -> Diagnostic:
    kind, loc, ctx = details["type"], tuple(details["loc"]), details.get("ctx") or {}
    walk = _walk(loc, model, data)
    where, value = walk.loc, _at(data, walk.loc)
    span: Span = source.locate(where)
    severity, suggestion = Severity.ERREUR, None
    subject = _subject(where)
    if _CUSTOM_CODE.fullmatch(kind):
        code, message = kind, details["msg"]
        suggestion = ctx.get("suggestion")
        if ctx.get("severity") == Severity.AVERTISSEMENT:
            severity = Severity.AVERTISSEMENT
        span = _custom_span(source, where, ctx)
    elif kind == "extra_forbidden":
        code, message = "S003", f"clé inconnue « {loc[-1]} »"
        span = source.key(where) or span
        owner, _ = _unwrap(walk.types[-2][0] if len(walk.types) >= 2 else None, None)
        allowed = list(owner.model_fields) if _is_model(owner) else []
        hint = closest(str(loc[-1]), allowed)
        if hint:
            suggestion = f"Vouliez-vous dire « {hint} » ?"
        elif allowed:
            suggestion = f"Clés possibles ici : {', '.join(allowed)}."
    elif kind in ("missing", "union_tag_not_found"):
        missing = str(loc[-1]) if kind == "missing" else str(ctx.get("discriminator", "type")).strip("'")
        span = source.key(where) or span
        owner = _owner(where, data)
        if owner:
            message = f"{owner} n'a pas de « {missing} »"
        elif where and isinstance(where[-1], str):
            message = f"il manque la clé « {missing} » dans « {where[-1]} »"
        else:
            message = f"il manque la clé « {missing} »"
        code = "S004"
        if kind == "union_tag_not_found":
            message += _choices(list(_members(*_unwrap(*walk.types[-1]))[0]), "", _plural(missing))[0]
        else:
            suggestion = f"Ajoutez la ligne « {missing}: … » à ce bloc."
    elif kind == "union_tag_invalid":
        key = str(ctx.get("discriminator", "type")).strip("'")
        tag = str(ctx.get("tag", ""))
        tags = list(_members(*_unwrap(*walk.types[-1]))[0]) or _expected_from_ctx(ctx.get("expected_tags"))
        listed, suggestion = _choices(tags, tag, _plural(key))
        unknown = f"type inconnu « {tag} »" if key == "type" else f"valeur inconnue « {tag} » pour « {key} »"
        code, message = "S006", unknown + listed
        span = source.value((*where, key)) or span
    elif kind in ("literal_error", "enum"):
        values = [str(v) for v in _literal_values(walk.types[-1][0])] or _expected_from_ctx(ctx.get("expected"))
        listed, suggestion = _choices(values, str(value), "valeurs")
        code, message = "S006", f"valeur inconnue « {source.scalar_text(where) or value} » pour {subject}{listed}"
    elif kind == "string_type" and isinstance(value, bool | int | Decimal | date):
        raw = source.scalar_text(where) or str(value)
        code, message = "S005", f"{subject} attend un texte : écrivez '{raw}' entre guillemets"
    elif kind in _EXPECTED or kind == "string_type":
        expected = _EXPECTED.get(kind, "un texte")
        code, message = "S005", f"{subject} attend {expected}, pas {_found(value, source.scalar_text(where))}"
    elif kind in _BOUNDS:
        try:
            code, message = "S005", f"{subject} {_BOUNDS[kind].format(**ctx)}"
        except KeyError:  # a ctx without the bound: pydantic's own words are better than none
            code, message = "S005", f"{subject} : {details['msg']}"
    elif kind in ("value_error", "assertion_error"):
        code, message = "S005", f"{subject} : {str(ctx.get('error', details['msg']))}"
    else:
        code, message = "S005", f"{subject} : {details['msg']}"
    if loc and loc[-1] == "[key]":  # the mapping key itself was refused (a calcul or role name)
        span = source.key(where) or span
    end = span.end_column if span.end_line == span.line else None
    return Diagnostic(path, span.line, span.column, code, message, severity, end, suggestion)


def _custom_span(source: SourceMap, where: Loc, ctx: Mapping[str, Any]) -> Span:
    """The place a custom error names through its ctx: a path below it, a key, or a stretch of an expression."""
    extra = ctx.get("loc")
    target = (*where, *extra) if isinstance(extra, tuple | list) else where
    if ctx.get("key"):
        return source.key(target) or source.locate(target)
    inner = ctx.get("span")
    if isinstance(inner, tuple | list) and len(inner) == 3 and source.value(target) is not None:
        line, start = source.inside(target, inner[0], inner[1])
        end_line, end = source.inside(target, inner[0], inner[2])
        return Span(line, start, end_line, end if end_line == line else start + 1, None)
    return source.locate(target)
