"""Validate a set of answers against a form: read each answer, walk the rules, check what is shown and required.

Answers are read first (each alone), then the walk decides what is shown with the values that could be read, then
only shown answers are checked. An answer to a hidden question is dropped, not an error: the usager may have
changed an earlier answer. An unknown name is an error: nothing in the form produced it."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from forms.answers import AnswerError, check, coerce, missing_message
from forms.evaluation import Situation, evaluate, items
from forms.expressions import Context
from forms.fields import BlocRepetable, Choix, ChoixMultiple, Date, Explication, Question
from forms.rules import Rules, literal_date

Errors = dict[str, list[str]]
UNKNOWN = "Cette réponse ne correspond à aucune question du formulaire"


@dataclass(frozen=True)
class ValidationResult:
    """The canonical answers (hidden ones dropped), the errors by field key, and the situation they lead to."""

    answers: dict[str, object]
    errors: dict[str, tuple[str, ...]]
    situation: Situation

    @property
    def is_valid(self) -> bool:
        """No error at all."""
        return not self.errors


def _options(rules: Rules, field: Question) -> Mapping[str, str] | None:
    if isinstance(field, Choix | ChoixMultiple):
        return rules.form.options(field.liste)
    return None


def _read(rules: Rules, field: Question, raw: object, key: str, errors: Errors) -> object:
    try:
        return coerce(field, raw, _options(rules, field))
    except AnswerError as error:
        errors.setdefault(key, []).extend(error.messages)
        return None


def read_answers(rules: Rules, raw: Mapping[str, object]) -> tuple[dict[str, object], Errors]:
    """Each answer in its canonical form; the ones that cannot be read are errors (and count as vide)."""
    fields = rules.form.fields
    answers: dict[str, object] = {}
    errors: Errors = {}
    for name, value in raw.items():
        field = fields.get(name)
        if field is None or name in rules.form.bloc_of or isinstance(field, Explication):
            errors.setdefault(name, []).append(UNKNOWN + f" : « {name} »")
            continue
        if isinstance(field, BlocRepetable):
            answers[name] = _read_items(rules, field, value, errors)
        else:
            answers[name] = _read(rules, field, value, name, errors)
    return answers, errors


def _read_items(rules: Rules, bloc: BlocRepetable, value: object, errors: Errors) -> tuple[dict[str, object], ...]:
    if value in (None, "", [], ()):
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(item, Mapping) for item in value):
        errors.setdefault(bloc.id, []).append(f"« {bloc.libelle} » attend une liste d'éléments")
        return ()
    subs = {sub.id: sub for sub in bloc.champs if not isinstance(sub, Explication)}
    items = []
    for index, item in enumerate(value):
        read: dict[str, object] = {}
        for name, raw in item.items():
            key = f"{bloc.id}.{index}.{name}"
            if name not in subs:
                errors.setdefault(key, []).append(UNKNOWN + f" : « {name} » dans « {bloc.libelle} »")
                continue
            read[name] = _read(rules, subs[name], raw, key, errors)
        items.append(read)
    return tuple(items)


def validate(
    rules: Rules,
    raw: Mapping[str, object],
    *,
    today: date,
    pages: Collection[str] | None = None,
    reference_date: date | None = None,
    usager: Mapping[str, object] | None = None,
    organisation: Mapping[str, object] | None = None,
    dossier: Mapping[str, object] | None = None,
    campagne: Mapping[str, object] | None = None,
    through_stops: bool = False,
) -> ValidationResult:
    """Validate ``raw`` answers; ``pages`` limits the checks to those pages (one step), None checks every page."""
    answers, read_errors = read_answers(rules, raw)
    situation = evaluate(
        rules,
        answers,
        today=today,
        reference_date=reference_date,
        usager=usager,
        organisation=organisation,
        dossier=dossier,
        campagne=campagne,
        through_stops=through_stops,
    )
    errors: Errors = {key: messages for key, messages in read_errors.items() if messages[0].startswith(UNKNOWN)}
    checked_pages = [p for p in rules.form.pages if p.id in situation.pages and (pages is None or p.id in pages)]
    context = Context(values=situation.values, today=today)
    for page in checked_pages:
        for field in page.champs:
            if field.id in situation.hidden or isinstance(field, Explication):
                continue
            if isinstance(field, BlocRepetable):
                _check_bloc(rules, field, situation, read_errors, errors, today)
                continue
            _check_one(rules, field, field.id, situation.values.get(field.id), situation, read_errors, errors, context)
    kept = {
        name: situation.values[name]
        for name in answers
        if name not in situation.hidden and situation.values.get(name) not in (None, ())
    }
    return ValidationResult(kept, {key: tuple(messages) for key, messages in errors.items()}, situation)


def _check_one(
    rules: Rules,
    field: Question,
    key: str,
    value: object,
    situation: Situation,
    read_errors: Errors,
    errors: Errors,
    context: Context,
) -> None:
    if key in read_errors:
        errors[key] = read_errors[key]
        return
    if value is None:
        if key in situation.required:
            errors[key] = [missing_message(field)]
        return
    low, high = _date_bounds(rules, field, context)
    problems = check(field, value, options=_options(rules, field), date_min=low, date_max=high)
    for expression, message in rules.field_rules.get(field.id, ()):
        if expression.evaluate(context) is False:
            problems.append(message)
    if problems:
        errors[key] = problems


def _date_bounds(rules: Rules, field: Question, context: Context) -> tuple[date | None, date | None]:
    if not isinstance(field, Date):
        return None, None
    low_expr, high_expr = rules.date_bounds.get(field.id, (None, None))
    low = low_expr.evaluate(context) if low_expr else literal_date(field.min)
    high = high_expr.evaluate(context) if high_expr else literal_date(field.max)
    return (low if isinstance(low, date) else None), (high if isinstance(high, date) else None)


def _check_bloc(
    rules: Rules, bloc: BlocRepetable, situation: Situation, read_errors: Errors, errors: Errors, today: date
) -> None:
    if bloc.id in read_errors:
        errors[bloc.id] = read_errors[bloc.id]
        return
    answered = items(situation.values.get(bloc.id))
    count = len(answered)
    if count < bloc.min and bloc.id in situation.required:
        errors[bloc.id] = [
            missing_message(bloc)
            if count == 0
            else f"Ajoutez au moins {bloc.min} élément{'s' if bloc.min > 1 else ''} à « {bloc.libelle} »"
        ]
    if count > bloc.max:
        errors[bloc.id] = [f"« {bloc.libelle} » comporte au plus {bloc.max} élément{'s' if bloc.max > 1 else ''}"]
    for index, item in enumerate(answered):
        context = Context(values=situation.values, today=today, item=item)
        for sub in bloc.champs:
            key = f"{bloc.id}.{index}.{sub.id}"
            if key in situation.hidden or isinstance(sub, Explication):
                continue
            _check_one(rules, sub, key, item.get(sub.id), situation, read_errors, errors, context)
