"""Every semantic check of one dispositif, across its parts: the form's own checks, the workflow's, and what joins
them (guards reading agent fields, the queue's columns, e-mail templates, pièces asked in later états).

Runs on a structurally valid Dispositif and collects all problems instead of stopping at the first."""

from collections.abc import Iterator
from datetime import date

from jinja2 import TemplateSyntaxError

from engine.dispositif import Dispositif
from forms.cases import run_cases
from forms.checks import check_form
from forms.expressions import BOOLEEN, TEXTE, Expression, ExpressionErrors, Scope, Type, compile_expression
from forms.fields import Montant
from forms.problems import AVERTISSEMENT, Loc, Problem, suggest
from forms.register import RECORDS
from forms.rules import Rules, expression_problem, name_span
from forms.scope import CAMPAGNE, DOSSIER, TRANSITION, field_type, form_scope
from forms.suggestions import closest
from renderers.texts import FILTERS, placeholders
from workflows.checks import check_workflow

_RECORD_ATTRIBUTES = {
    "dossier": {name for name, _ in DOSSIER.champs},
    "transition": {name for name, _ in TRANSITION.champs},
    "campagne": {name for name, _ in CAMPAGNE.champs},
    **{root: set(attributes) for root, attributes in RECORDS.items()},
}


def check_dispositif(dispositif: Dispositif, *, today: date) -> tuple[Rules, list[Problem]]:
    """All problems of a dispositif, and its compiled rules (partial where expressions did not compile)."""
    agent_ids = tuple(
        (("instruction", "champs_agent", index, "id"), field.id)
        for index, field in enumerate(dispositif.instruction.champs_agent)
    )
    rules, problems = check_form(dispositif, agent_fields=agent_ids)
    problems.extend(_workflow(dispositif))
    agent_scope = form_scope(dispositif, dispositif.instruction.champs_agent)
    problems.extend(_agent_fields(dispositif, agent_scope))
    problems.extend(_agent_rules(dispositif, agent_scope))
    problems.extend(_guards(dispositif, agent_scope))
    problems.extend(_queue(dispositif, agent_scope))
    problems.extend(_templates(dispositif))
    problems.extend(_piece_states(dispositif))
    if not any(p.severity != AVERTISSEMENT for p in problems):
        problems.extend(run_cases(rules, dispositif.cas_de_test, today=today))
    return rules, problems


def _workflow(dispositif: Dispositif) -> Iterator[Problem]:
    instruction = dispositif.instruction
    fields = [*dispositif.fields, *(f.id for f in instruction.champs_agent)]
    for found in check_workflow(instruction, courriels=dispositif.courriels, fields=fields):
        hint = closest(found.wrong, found.candidates) if found.wrong else None
        names_an_entry = (
            found.key
            or found.loc in (("etats",), ("transitions",))
            or (len(found.loc) == 2 and found.loc[0] == "etats")
        )
        yield Problem(
            found.code, ("instruction", *found.loc), found.message, found.severity, suggest(hint), key=names_an_entry
        )
    pieces = {piece.id for piece in dispositif.pieces}
    pages = {page.id for page in dispositif.pages}
    editable = {"pieces", *pieces, *pages, *dispositif.fields}
    for name, etat in instruction.etats.items():
        for index, target in enumerate(etat.usager_peut_modifier):
            if target not in editable:
                yield Problem(
                    "R004",
                    ("instruction", "etats", name, "usager_peut_modifier", index),
                    f"« {target} » n'est ni « pieces », ni une pièce, ni une page, ni un champ",
                    suggestion=suggest(closest(target, editable)),
                )
    for index, transition in enumerate(instruction.transitions):
        if transition.commentaire == "obligatoire" and transition.courriel in dispositif.courriels:
            body = dispositif.courriels[transition.courriel].corps
            if "transition.commentaire" not in body and "W007" not in transition.ignorer:
                yield Problem(
                    "W007",
                    ("instruction", "transitions", index, "commentaire"),
                    "le commentaire est "
                    f"obligatoire mais le courriel « {transition.courriel} » ne le montre pas : ajoutez "
                    "{{ transition.commentaire }}",
                    AVERTISSEMENT,
                )
    yield from _four_eyes(dispositif)


def _four_eyes(dispositif: Dispositif) -> Iterator[Problem]:
    """W008: a decision that grants money is taken by two different agents."""
    instruction = dispositif.instruction
    if any(t.pas_le_meme_agent_que for t in instruction.transitions):
        return
    for index, field in enumerate(instruction.champs_agent):
        if isinstance(field, Montant) and "W008" not in field.ignorer:
            yield Problem(
                "W008",
                ("instruction", "champs_agent", index),
                f"« {field.id} » engage de l'argent mais "
                "aucune transition n'exige un second agent (« pas_le_meme_agent_que ») : ajoutez une "
                "validation, ou « ignorer: [W008] » sur ce champ",
                AVERTISSEMENT,
            )


def _agent_fields(dispositif: Dispositif, scope: Scope) -> Iterator[Problem]:
    """R002 for agent fields: pre-filled from a calcul or an answer of the same type, never from the register."""
    known = [*dispositif.calculs, *dispositif.fields]
    for index, field in enumerate(dispositif.instruction.champs_agent):
        loc: Loc = ("instruction", "champs_agent", index)
        target = field_type(field)
        for source in getattr(field, "prerempli", ()):
            if source not in known:
                yield Problem(
                    "R002",
                    (*loc, "prerempli"),
                    f"« {source} » n'est ni un calcul ni un champ du formulaire",
                    suggestion=suggest(closest(source, known)),
                )
                continue
            given = scope.symbols[source].type if source in scope.symbols else None
            if target is not None and target.liste and given == TEXTE:
                yield Problem(
                    "R002",
                    (*loc, "prerempli"),
                    f"« {source} » est un texte : il ne pré-remplira "
                    f"« {field.id} » que s'il vaut un code de la liste « {target.liste} »",
                    AVERTISSEMENT,
                )
            elif target is not None and given is not None and given != target:
                yield Problem(
                    "R002",
                    (*loc, "prerempli"),
                    f"« {source} » ({_kind(given)}) ne peut pas pré-remplir "
                    f"« {field.id} » ({_kind(target)}) : les types diffèrent",
                )
        liste = getattr(field, "liste", None)
        if liste is not None and liste not in dispositif.listes:
            yield Problem(
                "R001",
                (*loc, "liste"),
                f"la liste « {liste} » n'existe pas",
                suggestion=suggest(closest(liste, dispositif.listes)),
            )


def _agent_rules(dispositif: Dispositif, scope: Scope) -> Iterator[Problem]:
    """Conditions and rules on agent fields: they read the whole dossier and the other agent fields."""
    for index, field in enumerate(dispositif.instruction.champs_agent):
        loc: Loc = ("instruction", "champs_agent", index)
        for key in ("visible_si", "obligatoire_si"):
            source = getattr(field, key, None)
            if source:
                yield from _compile(scope, source, (*loc, key))[1]
        for number, regle in enumerate(getattr(field, "validation", ())):
            yield from _compile(scope, regle.regle, (*loc, "validation", number, "regle"))[1]


def _kind(kind: Type) -> str:
    return f"code de la liste « {kind.liste} »" if kind.liste else str(kind.kind.value)


def _compile(scope: Scope, source: str, loc: Loc) -> tuple[Expression | None, list[Problem]]:
    """A condition compiled with the agents' scope, and its problems (the expression is None when it fails)."""
    try:
        expression = compile_expression(source, scope, expected=BOOLEEN)
    except ExpressionErrors as failure:
        return None, [expression_problem(error, loc) for error in failure.errors]
    return expression, [expression_problem(warning, loc) for warning in expression.warnings]


def _guards(dispositif: Dispositif, scope: Scope) -> Iterator[Problem]:
    """Transition conditions compile, with agent fields in scope; W009 when they read an agent field nobody fills."""
    instruction = dispositif.instruction
    agent = {field.id: field for field in instruction.champs_agent}
    for index, transition in enumerate(instruction.transitions):
        if transition.condition is None:
            continue
        loc: Loc = ("instruction", "transitions", index, "condition")
        expression, problems = _compile(scope, transition.condition, loc)
        yield from problems
        if expression is None:
            continue
        for name in sorted(expression.names & agent.keys()):
            if name not in transition.champs_requis and not getattr(agent[name], "prerempli", ()):
                yield Problem(
                    "W009",
                    loc,
                    f"la condition lit « {name} », que rien n'oblige à remplir avant cette "
                    f"transition : ajoutez-le à « champs_requis »",
                    AVERTISSEMENT,
                    span=name_span(transition.condition, name),
                )


def _queue(dispositif: Dispositif, scope: Scope) -> Iterator[Problem]:
    """R007: the work queue shows fields, calculs, agent fields or dossier data; P001: never sensitive ones."""
    queue = dispositif.instruction.file_de_travail
    form_fields = {name: field for name, field in dispositif.fields.items() if name not in dispositif.bloc_of}
    agent = {field.id: field for field in dispositif.instruction.champs_agent}
    columns = [*form_fields, *dispositif.calculs, *agent, *(f"dossier.{n}" for n in _RECORD_ATTRIBUTES["dossier"])]
    for key, names in (("colonnes", queue.colonnes), ("filtres", queue.filtres), ("tri", (queue.tri.lstrip("-"),))):
        for index, name in enumerate(names):
            loc: Loc = (
                ("instruction", "file_de_travail", key, index)
                if key != "tri"
                else ("instruction", "file_de_travail", "tri")
            )
            if name not in columns:
                yield Problem(
                    "R007",
                    loc,
                    f"« {name} » n'est ni un champ, ni un calcul, ni une donnée du dossier",
                    suggestion=suggest(closest(name, columns)),
                )
            elif getattr(form_fields.get(name) or agent.get(name), "sensible", False):
                yield Problem(
                    "P001",
                    loc,
                    f"« {name} » est une donnée sensible : elle ne doit pas s'afficher dans la file de travail",
                )
    if queue.alerte_si:
        yield from _compile(scope, queue.alerte_si, ("instruction", "file_de_travail", "alerte_si"))[1]


def _template_problems(source: str, loc: Loc, allowed: set[str], sensitive: set[str]) -> Iterator[Problem]:
    try:
        found = placeholders(source)
    except TemplateSyntaxError as error:
        message = (
            f"texte à trous incorrect ligne {error.lineno} : vérifiez les {{{{ … }}}} et {{% … %}} ({error.message})"
        )
        yield Problem("R006", loc, message, span=(error.lineno or 1, 0, 1))
        return
    for place in found:
        root, attribute = place.root, place.attribute
        if place.filter is not None and place.filter not in FILTERS:
            start = place.filter_column or 0
            yield Problem(
                "R006",
                loc,
                f"filtre « {place.filter} » inconnu ; filtres possibles : {', '.join(FILTERS)}",
                span=(place.line, start, start + len(place.filter)),
                suggestion=suggest(closest(place.filter, FILTERS)),
            )
        if not root:
            continue
        span = (place.line, place.column, place.column + len(root))
        if root not in allowed:
            yield Problem(
                "R006",
                loc,
                f"« {root} » n'est pas une donnée connue de ce texte",
                span=span,
                suggestion=suggest(closest(root, allowed)),
            )
        elif root in _RECORD_ATTRIBUTES and attribute not in _RECORD_ATTRIBUTES[root]:
            known = _RECORD_ATTRIBUTES[root]
            start = place.attribute_column if place.attribute_column is not None else place.column
            yield Problem(
                "R006",
                loc,
                f"« {root}.{attribute} » n'existe pas ; possibles : {', '.join(sorted(known))}",
                span=(place.line, start, start + len(attribute or root)),
                suggestion=suggest(closest(attribute or "", known)),
            )
        elif root in sensitive:
            yield Problem(
                "P001", loc, f"« {root} » est une donnée sensible : elle ne doit pas partir par courriel", span=span
            )


def _templates(dispositif: Dispositif) -> Iterator[Problem]:
    """R006 on every text with {{ }}: e-mails, confirmation, item labels, per-item pièce labels."""
    fields = set(dispositif.fields) - set(dispositif.bloc_of)
    agent = {field.id for field in dispositif.instruction.champs_agent}
    sensitive = {name for name, f in dispositif.fields.items() if getattr(f, "sensible", False)}
    values = fields | set(dispositif.calculs) | set(dispositif.parametres) | {*RECORDS, "dossier", "campagne"}
    for name, courriel in dispositif.courriels.items():
        allowed = values | agent | {"transition"}
        for key in ("objet", "corps"):
            yield from _template_problems(getattr(courriel, key), ("courriels", name, key), allowed, sensitive)
    if dispositif.confirmation.texte:
        yield from _template_problems(dispositif.confirmation.texte, ("confirmation", "texte"), values, set())
    for index, page in enumerate(dispositif.pages):
        for position, field in enumerate(page.champs):
            label = getattr(field, "libelle_element", None)
            if label:
                subs = {sub.id for sub in getattr(field, "champs", ())}
                yield from _template_problems(
                    label, ("pages", index, "champs", position, "libelle_element"), subs, set()
                )
    for index, piece in enumerate(dispositif.pieces):
        if "{{" in piece.libelle:
            subs = {sub for sub, bloc in dispositif.bloc_of.items() if bloc == piece.pour_chaque}
            yield from _template_problems(piece.libelle, ("pieces", index, "libelle"), subs, set())


def _piece_states(dispositif: Dispositif) -> Iterator[Problem]:
    """Pièces asked in later états: the états exist, and the usager may add pièces there."""
    etats = dispositif.instruction.etats
    for index, piece in enumerate(dispositif.pieces):
        for position, name in enumerate(piece.etats):
            if name not in etats:
                yield Problem(
                    "R004",
                    ("pieces", index, "etats", position),
                    f"l'état « {name} » n'existe pas",
                    suggestion=suggest(closest(name, etats)),
                )
            elif not {"pieces", piece.id} & set(etats[name].usager_peut_modifier):
                yield Problem(
                    "W005",
                    ("pieces", index, "etats", position),
                    f"la pièce est demandée dans l'état "
                    f"« {name} », mais cet état ne permet pas à l'usager de l'ajouter : ajoutez "
                    f"« usager_peut_modifier: [{piece.id}] »",
                )
