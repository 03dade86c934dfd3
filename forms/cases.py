"""Run a dispositif's ``cas_de_test`` at load time: the rules must compute what the editor says the délibération says.

A mismatch (T001) shows the expected value, the obtained one and the calcul with the values it read, so the editor
can see which step of the chain went wrong without a debugger."""

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from forms.definition import CasDeTest
from forms.problems import AVERTISSEMENT, Loc, Problem, suggest
from forms.rules import Rules
from forms.suggestions import closest
from forms.validation import ValidationResult, validate

NO_STOP = "aucun"


def run_cases(rules: Rules, cases: tuple[CasDeTest, ...], *, today: date) -> Iterator[Problem]:
    """Every problem found by running the cases; ``today`` is used by cases that fix no date."""
    for index, case in enumerate(cases):
        base: Loc = ("cas_de_test", index)
        known = list(_problems_of_names(rules, case, base))
        yield from known
        if known:
            continue
        if case.date is None:
            yield Problem(
                "T003",
                (*base, "nom"),
                "fixez « date: » : sans elle, le cas dépend du jour où il est exécuté et finira par échouer",
                AVERTISSEMENT,
            )
        result = validate(
            rules,
            case.reponses,
            today=case.date or today,
            usager=case.usager,
            organisation=case.organisation,
            dossier=case.dossier,
            campagne=case.campagne,
            through_stops=not case.complet,
        )
        yield from _compare_errors(case, result, base)
        yield from _compare_values(rules, case, result, base)
        yield from _compare_visibility(case, result, base)


def _names(rules: Rules) -> list[str]:
    form = rules.form
    return [*form.fields, *form.calculs, *form.parametres, *(p.id for p in form.pages), *(p.id for p in form.pieces)]


def _problems_of_names(rules: Rules, case: CasDeTest, base: Loc) -> Iterator[Problem]:
    """R008: a case names only what the form has, and a block's items only that block's sub-fields."""
    form = rules.form
    names = _names(rules)
    for name, value in case.reponses.items():
        if name not in form.fields or name in form.bloc_of:
            yield Problem(
                "R008",
                (*base, "reponses", name),
                f"« {name} » n'est pas une question du formulaire",
                suggestion=suggest(closest(name, form.fields)),
                key=True,
            )
            continue
        subs = getattr(form.fields[name], "champs", None)
        if subs is not None and isinstance(value, list):
            sub_ids = [sub.id for sub in subs]
            for position, item in enumerate(value):
                for sub in item if isinstance(item, Mapping) else ():
                    if sub not in sub_ids:
                        yield Problem(
                            "R008",
                            (*base, "reponses", name, position, sub),
                            f"« {sub} » n'est pas une question du bloc « {name} »",
                            suggestion=suggest(closest(sub, sub_ids)),
                            key=True,
                        )
    expected = case.attendu
    for name in expected.valeurs:
        if name not in names:
            yield Problem(
                "R008",
                (*base, "attendu", "valeurs", name),
                f"« {name} » n'est ni un calcul ni un champ",
                suggestion=suggest(closest(name, names)),
                key=True,
            )
    for key in ("visibles", "masques"):
        for position, name in enumerate(getattr(expected, key)):
            if name not in names:
                yield Problem(
                    "R008",
                    (*base, "attendu", key, position),
                    f"« {name} » n'est ni un champ, ni une page, ni une pièce",
                    suggestion=suggest(closest(name, names)),
                )
    stops = [arret.id for page in form.pages for arret in page.arret_si]
    if expected.arret is not None and expected.arret != NO_STOP and expected.arret not in stops:
        yield Problem(
            "R008",
            (*base, "attendu", "arret"),
            f"« {expected.arret} » n'est pas l'id d'un arret_si (ni « {NO_STOP} »)",
            suggestion=suggest(closest(expected.arret, stops)),
        )


def _provided(case: CasDeTest, key: str) -> bool:
    root, _, rest = key.partition(".")
    if not rest:
        return root in case.reponses
    index, _, sub = rest.partition(".")
    items = case.reponses.get(root)
    return isinstance(items, list) and int(index) < len(items) and sub in items[int(index)]


def _answer_path(key: str) -> Loc:
    """``enfants.0.prenom`` → ("enfants", 0, "prenom"): where a block's sub-answer stands in the case."""
    return tuple(int(part) if part.isdigit() else part for part in key.split("."))


def _compare_errors(case: CasDeTest, result: ValidationResult, base: Loc) -> Iterator[Problem]:
    errors = result.errors
    if not case.complet:
        errors = {key: messages for key, messages in errors.items() if _provided(case, key)}
    expected = set(case.attendu.erreurs)
    for key, messages in sorted(errors.items()):
        if key not in expected:
            code = "T001" if case.complet else "T002"
            yield Problem(
                code,
                (*base, "reponses", *_answer_path(key)) if _provided(case, key) else (*base, "nom"),
                f"« {case.nom} » : réponse refusée pour « {key} » : {messages[0]}",
            )
    for key in sorted(expected - set(errors)):
        yield Problem(
            "T001",
            (*base, "attendu", "erreurs"),
            f"« {case.nom} » : une erreur était attendue sur « {key} », la réponse a été acceptée",
        )


def _same(expected: object, obtained: object) -> bool:
    if isinstance(obtained, bool) or isinstance(expected, bool):
        return {"oui": True, "non": False}.get(str(expected), expected) == obtained
    if isinstance(obtained, Decimal) or isinstance(expected, int | Decimal):
        try:
            return Decimal(str(expected)) == Decimal(str(obtained))
        except InvalidOperation:
            return False
    if isinstance(obtained, tuple) and isinstance(expected, list):
        return list(obtained) == expected
    return expected == obtained


def _shown(value: object) -> str:
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _compare_values(rules: Rules, case: CasDeTest, result: ValidationResult, base: Loc) -> Iterator[Problem]:
    values = result.situation.values
    formulas = dict(rules.calculs)
    for name, expected in case.attendu.valeurs.items():
        obtained = values.get(name)
        if _same(expected, obtained):
            continue
        message = f"« {case.nom} » : « {name} » vaut {_shown(obtained)}, {_shown(expected)} attendu"
        if name in formulas:
            formula = formulas[name]
            inputs = ", ".join(f"{n} = {_shown(values.get(n))}" for n in sorted(formula.names) if n in values)
            message += f" — {name} = {' '.join(formula.source.split())}" + (f" avec {inputs}" if inputs else "")
        yield Problem("T001", (*base, "attendu", "valeurs", name), message)


def _compare_visibility(case: CasDeTest, result: ValidationResult, base: Loc) -> Iterator[Problem]:
    situation = result.situation
    for position, name in enumerate(case.attendu.visibles):
        if not situation.is_visible(name):
            yield Problem(
                "T001",
                (*base, "attendu", "visibles", position),
                f"« {case.nom} » : « {name} » est masqué, il devait être visible",
            )
    for position, name in enumerate(case.attendu.masques):
        if situation.is_visible(name):
            yield Problem(
                "T001",
                (*base, "attendu", "masques", position),
                f"« {case.nom} » : « {name} » est visible, il devait être masqué",
            )
    expected = case.attendu.arret
    if expected is not None:
        obtained = situation.stop.id if situation.stop else NO_STOP
        if obtained != expected:
            yield Problem(
                "T001",
                (*base, "attendu", "arret"),
                f"« {case.nom} » : arrêt « {obtained} » obtenu, « {expected} » attendu",
            )
