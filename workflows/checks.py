"""Checks of a workflow alone: references between its parts (R004) and its shape (W001–W008).

A problem is ``(code, loc, message, severity)`` with ``loc`` relative to the workflow section; the engine prefixes
it and finds the file position. Names outside the workflow (e-mails, fields) are passed in as plain sets."""

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from workflows.definition import SYSTEME, USAGER, Transition, Workflow

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class WorkflowProblem:
    """One finding, located inside the workflow section."""

    code: str
    loc: Loc
    message: str
    severity: str = "erreur"
    key: bool = False
    """Point at the key named last in ``loc`` rather than at its value."""
    wrong: str | None = None
    candidates: tuple[str, ...] = ()
    """Names ``wrong`` may have been meant as, for a « vouliez-vous dire »."""


def check_workflow(
    workflow: Workflow, *, courriels: Collection[str] = (), fields: Collection[str] = ()
) -> Iterator[WorkflowProblem]:
    """Every problem of the workflow; ``courriels`` and ``fields`` are the names it may refer to outside itself."""
    yield from _references(workflow, courriels, fields)
    yield from _shape(workflow)


def _references(workflow: Workflow, courriels: Collection[str], fields: Collection[str]) -> Iterator[WorkflowProblem]:
    etats = tuple(workflow.etats)
    actors = (*workflow.roles, USAGER, SYSTEME)
    ids = tuple(t.id for t in workflow.transitions)
    seen: set[str] = set()
    for index, transition in enumerate(workflow.transitions):
        loc: Loc = ("transitions", index)
        if transition.id in seen:
            yield WorkflowProblem("I003", (*loc, "id"), f"la transition « {transition.id} » est déclarée deux fois")
        seen.add(transition.id)
        for position, source in enumerate(transition.de):
            if source not in workflow.etats:
                where = (*loc, "de", position)
                message = f"l'état « {source} » n'est pas déclaré dans « etats »"
                yield WorkflowProblem("R004", where, message, wrong=source, candidates=etats)
        if transition.vers not in workflow.etats:
            yield WorkflowProblem(
                "R004",
                (*loc, "vers"),
                f"l'état « {transition.vers} » n'est pas déclaré dans « etats »",
                wrong=transition.vers,
                candidates=etats,
            )
        for position, actor in enumerate(transition.par):
            if actor not in actors:
                where = (*loc, "par", position)
                yield WorkflowProblem(
                    "R004",
                    where,
                    f"« {actor} » n'est ni un rôle déclaré dans « roles », ni « usager », ni « systeme »",
                    wrong=actor,
                    candidates=actors,
                )
        if transition.courriel is not None and transition.courriel not in courriels:
            yield WorkflowProblem(
                "R004",
                (*loc, "courriel"),
                f"le courriel « {transition.courriel} » n'est pas déclaré dans « courriels »",
                wrong=transition.courriel,
                candidates=tuple(courriels),
            )
        for position, name in enumerate(transition.champs_requis):
            if name not in fields:
                where = (*loc, "champs_requis", position)
                yield WorkflowProblem(
                    "R004",
                    where,
                    f"« {name} » n'est ni un champ agent ni un champ du formulaire",
                    wrong=name,
                    candidates=tuple(fields),
                )
        for key in ("a_expiration", "pas_le_meme_agent_que"):
            target = getattr(transition, key)
            if target is not None and target not in ids:
                yield WorkflowProblem(
                    "R004", (*loc, key), f"la transition « {target} » n'existe pas", wrong=target, candidates=ids
                )
    for name, etat in workflow.etats.items():
        if etat.delai and etat.delai.a_expiration and etat.delai.a_expiration not in ids:
            yield WorkflowProblem(
                "R004",
                ("etats", name, "delai", "a_expiration"),
                f"la transition « {etat.delai.a_expiration} » n'existe pas",
                wrong=etat.delai.a_expiration,
                candidates=ids,
            )
    for index, delai in enumerate(workflow.delais):
        for key, targets in (
            ("depuis", (delai.depuis,)),
            ("jusqu_a", delai.jusqu_a),
            ("a_expiration", (delai.a_expiration,)),
        ):
            for position, target in enumerate(targets):
                if target is not None and target not in ids:
                    yield WorkflowProblem(
                        "R004",
                        ("delais", index, key, position) if key == "jusqu_a" else ("delais", index, key),
                        f"la transition « {target} » n'existe pas",
                        wrong=target,
                        candidates=ids,
                    )


def _shape(workflow: Workflow) -> Iterator[WorkflowProblem]:
    initials = [name for name, etat in workflow.etats.items() if etat.initial]
    finals = {name for name, etat in workflow.etats.items() if etat.final}
    if len(initials) != 1:
        where: Loc = ("etats", initials[1], "initial") if len(initials) > 1 else ("etats",)
        yield WorkflowProblem(
            "W001",
            where,
            f"il faut exactement un état « initial: oui » (trouvés : {', '.join(initials) or 'aucun'})",
            key=len(initials) > 1,
        )
    if not finals:
        yield WorkflowProblem("W001", ("etats",), "il faut au moins un état « final: oui »")
    if len(initials) != 1:
        return
    initial = initials[0]
    successors: dict[str, set[str]] = {name: set() for name in workflow.etats}
    for transition in workflow.transitions:
        for source in transition.de:
            successors.setdefault(source, set()).add(transition.vers)
    reachable = _closure({initial}, successors)
    for name, etat in workflow.etats.items():
        loc: Loc = ("etats", name)
        if name not in reachable:
            yield WorkflowProblem(
                "W002", loc, f"l'état « {name} » n'est atteint par aucune transition depuis « {initial} »"
            )
        if etat.final and successors.get(name):
            yield WorkflowProblem("W003", loc, f"l'état final « {name} » a des transitions sortantes")
        elif not etat.final and not successors.get(name):
            yield WorkflowProblem(
                "W003",
                loc,
                f"l'état « {name} » n'a aucune transition sortante et n'est pas final : un dossier y resterait bloqué",
            )
        elif not etat.final and not _closure({name}, successors) & finals:
            yield WorkflowProblem(
                "W003",
                loc,
                f"depuis l'état « {name} », aucun état final n'est atteignable : les dossiers tourneraient en rond",
            )
    if workflow.depot() is None:
        yield WorkflowProblem(
            "W004",
            ("transitions",),
            f"aucune transition de dépôt par « usager » depuis "
            f"« {initial} » (s'il y en a plusieurs, marquez celle du dépôt « depot: oui »)",
        )
    yield from _expirations(workflow)
    yield from _user_edits(workflow)


def _closure(start: set[str], successors: dict[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for following in successors.get(todo.pop(), ()):
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def _expirations(workflow: Workflow) -> Iterator[WorkflowProblem]:
    """W006: what the engine does when time runs out must be a move the ``systeme`` may make from there."""
    for index, transition in enumerate(workflow.transitions):
        if transition.delai_reponse and not transition.a_expiration:
            yield WorkflowProblem(
                "W006",
                ("transitions", index, "delai_reponse"),
                "délai sans « a_expiration » : dites quelle transition le moteur prend quand il expire",
                "avertissement",
            )
        target = workflow.transition(transition.a_expiration) if transition.a_expiration else None
        if target is not None:
            yield from _expiry(target, transition.vers, ("transitions", index, "a_expiration"))
    for name, etat in workflow.etats.items():
        target = workflow.transition(etat.delai.a_expiration) if etat.delai and etat.delai.a_expiration else None
        if target is not None:
            yield from _expiry(target, name, ("etats", name, "delai", "a_expiration"))
    for index, delai in enumerate(workflow.delais):
        target = workflow.transition(delai.a_expiration) if delai.a_expiration else None
        if target is not None and SYSTEME not in target.par:
            yield WorkflowProblem(
                "W006",
                ("delais", index, "a_expiration"),
                f"la transition « {target.id} » doit autoriser « systeme » dans « par » pour que le moteur la prenne "
                "à l'expiration",
            )


def _expiry(target: Transition, etat: str, loc: Loc) -> Iterator[WorkflowProblem]:
    if etat not in target.de:
        yield WorkflowProblem("W006", loc, f"la transition « {target.id} » ne part pas de l'état « {etat} »")
    if SYSTEME not in target.par:
        yield WorkflowProblem(
            "W006",
            loc,
            f"la transition « {target.id} » doit autoriser « systeme » dans « par » "
            "pour que le moteur la prenne à l'expiration",
        )


def _user_edits(workflow: Workflow) -> Iterator[WorkflowProblem]:
    """W005: an état where the usager may edit must let the usager say they are done."""
    for name, etat in workflow.etats.items():
        if etat.usager_peut_modifier and not any(name in t.de and USAGER in t.par for t in workflow.transitions):
            yield WorkflowProblem(
                "W005",
                ("etats", name, "usager_peut_modifier"),
                f"l'usager peut modifier son "
                f"dossier dans « {name} » mais aucune transition « par: usager » ne lui permet "
                "ensuite de le renvoyer",
            )
