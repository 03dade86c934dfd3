"""Validate a set of answers against a form: read each answer, walk the rules, check what is shown and required.

Answers are read first (each alone), then the walk decides what is shown with the values that could be read, then
only shown answers are checked. An answer to a hidden question is dropped, not an error: the usager may have
changed an earlier answer. An unknown name is an error: nothing in the form produced it."""

import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from forms.answers import AnswerError, check, coerce, missing_message
from forms.evaluation import Situation, evaluate, items
from forms.expressions import Context, Expression
from forms.fields import AnyField, BlocRepetable, Choix, ChoixMultiple, Date, Explication, Question
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


@dataclass(frozen=True, slots=True)
class _Question:
    """What reading and checking one question needs, worked out once per form: its list, its rules."""

    field: Question
    options: Mapping[str, str] | None
    """The list of a choix or choix_multiple (``Form.options`` builds a new dict at each call)."""
    rules: tuple[tuple[Expression, str], ...]


@dataclass(frozen=True, slots=True)
class _Bloc:
    """A repeated block and the questions of each of its items."""

    bloc: BlocRepetable
    subs: dict[str, _Question]
    """By id, in the block's order; explications left out."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """A form as validation walks it: the names an answer may have, and each page's questions to check."""

    readers: dict[str, _Question | _Bloc]
    """Every name a top-level answer may have: not an explication, not a question inside a block."""
    pages: tuple[tuple[str, tuple[_Question | _Bloc, ...]], ...]


_PLANS: dict[int, tuple["weakref.ref[Rules]", _Plan]] = {}
"""Plans by ``id(rules)``, dropped with their rules. Worked out at each validation (the lists rebuilt for every
choice, the kind of every field asked again), the plan was a fifth of its time."""


def _plan(rules: Rules) -> _Plan:
    key = id(rules)
    found = _PLANS.get(key)
    if found is not None and found[0]() is rules:
        return found[1]
    plan = _make_plan(rules)
    _PLANS[key] = (weakref.ref(rules, lambda _gone: _PLANS.pop(key, None)), plan)
    return plan


def _make_plan(rules: Rules) -> _Plan:
    form = rules.form

    def question(field: Question) -> _Question:
        options = form.options(field.liste) if isinstance(field, Choix | ChoixMultiple) else None
        return _Question(field, options, tuple(rules.field_rules.get(field.id, ())))

    def checked(field: AnyField) -> _Question | _Bloc | None:
        if isinstance(field, Explication):
            return None
        if isinstance(field, BlocRepetable):
            subs = {sub.id: question(sub) for sub in field.champs if not isinstance(sub, Explication)}
            return _Bloc(field, subs)
        return question(field)

    pages = tuple(
        (page.id, tuple(step for field in page.champs if (step := checked(field)) is not None)) for page in form.pages
    )
    readers = {step.bloc.id if isinstance(step, _Bloc) else step.field.id: step for _, steps in pages for step in steps}
    return _Plan(readers, pages)


def _read(question: _Question, raw: object, key: str, errors: Errors) -> object:
    try:
        return coerce(question.field, raw, question.options)
    except AnswerError as error:
        errors.setdefault(key, []).extend(error.messages)
        return None


def read_answers(rules: Rules, raw: Mapping[str, object]) -> tuple[dict[str, object], Errors]:
    """Each answer in its canonical form; the ones that cannot be read are errors (and count as vide)."""
    readers = _plan(rules).readers
    answers: dict[str, object] = {}
    errors: Errors = {}
    for name, value in raw.items():
        reader = readers.get(name)
        if reader is None:
            errors.setdefault(name, []).append(UNKNOWN + f" : « {name} »")
        elif isinstance(reader, _Bloc):
            answers[name] = _read_items(reader, value, errors)
        else:
            answers[name] = _read(reader, value, name, errors)
    return answers, errors


def _read_items(reader: _Bloc, value: object, errors: Errors) -> tuple[dict[str, object], ...]:
    bloc = reader.bloc
    if value in (None, "", [], ()):
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(item, Mapping) for item in value):
        errors.setdefault(bloc.id, []).append(f"« {bloc.libelle} » attend une liste d'éléments")
        return ()
    subs = reader.subs
    items = []
    for index, item in enumerate(value):
        read: dict[str, object] = {}
        for name, raw in item.items():
            key = f"{bloc.id}.{index}.{name}"
            if name not in subs:
                errors.setdefault(key, []).append(UNKNOWN + f" : « {name} » dans « {bloc.libelle} »")
                continue
            read[name] = _read(subs[name], raw, key, errors)
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
    context = Context(values=situation.values, today=today)
    shown, hidden, values = situation.pages, situation.hidden, situation.values
    for page_id, steps in _plan(rules).pages:
        if page_id not in shown or (pages is not None and page_id not in pages):
            continue
        for step in steps:
            if isinstance(step, _Bloc):
                if step.bloc.id not in hidden:
                    _check_bloc(rules, step, situation, read_errors, errors, today)
            elif step.field.id not in hidden:
                key = step.field.id
                _check_one(rules, step, key, values.get(key), situation, read_errors, errors, context)
    kept = {
        name: situation.values[name]
        for name in answers
        if name not in situation.hidden and situation.values.get(name) not in (None, ())
    }
    return ValidationResult(kept, {key: tuple(messages) for key, messages in errors.items()}, situation)


def _check_one(
    rules: Rules,
    question: _Question,
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
    field = question.field
    if value is None:
        if key in situation.required:
            errors[key] = [missing_message(field)]
        return
    low, high = _date_bounds(rules, field, context) if isinstance(field, Date) else (None, None)
    problems = check(field, value, options=question.options, date_min=low, date_max=high)
    for expression, message in question.rules:
        if expression.evaluate(context) is False:
            problems.append(message)
    if problems:
        errors[key] = problems


def _date_bounds(rules: Rules, field: Date, context: Context) -> tuple[date | None, date | None]:
    low_expr, high_expr = rules.date_bounds.get(field.id, (None, None))
    low = low_expr.evaluate(context) if low_expr else literal_date(field.min)
    high = high_expr.evaluate(context) if high_expr else literal_date(field.max)
    return (low if isinstance(low, date) else None), (high if isinstance(high, date) else None)


def _check_bloc(
    rules: Rules, reader: _Bloc, situation: Situation, read_errors: Errors, errors: Errors, today: date
) -> None:
    bloc = reader.bloc
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
        for sub in reader.subs.values():
            key = f"{bloc.id}.{index}.{sub.field.id}"
            if key in situation.hidden:
                continue
            _check_one(rules, sub, key, item.get(sub.field.id), situation, read_errors, errors, context)
