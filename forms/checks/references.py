"""Identifier and reference checks: ids unique in their namespace (I003), list codes (I004), and every name a form
element refers to exists and fits (R001 lists, R002 pre-fill paths, R003 pour_chaque, R005 barèmes, pages)."""

import re
from collections.abc import Iterator

from forms.definition import Form
from forms.fields import BlocRepetable, Explication
from forms.problems import AVERTISSEMENT, Loc, Problem, suggest
from forms.register import RECORDS, attribute
from forms.scalars import IDENTIFIER
from forms.suggestions import closest


def _field_locs(form: Form) -> Iterator[tuple[Loc, object]]:
    for index, page in enumerate(form.pages):
        for position, field in enumerate(page.champs):
            yield ("pages", index, "champs", position), field
            if isinstance(field, BlocRepetable):
                for sub_position, sub in enumerate(field.champs):
                    yield ("pages", index, "champs", position, "champs", sub_position), sub


def check_identifiers(form: Form, agent_fields: tuple[tuple[Loc, str], ...] = ()) -> Iterator[Problem]:
    """I003: one namespace for fields, sub-fields, calculs, parametres, agent fields and pièces; pages apart."""
    seen: dict[str, Loc] = {}

    def claim(name: str, loc: Loc, what: str, key: bool = False) -> Iterator[Problem]:
        if name in seen:
            first = seen[name]
            message = f"l'identifiant « {name} » ({what}) est déjà utilisé ({_where(first)})"
            yield Problem("I003", loc, message, key=key)
        else:
            seen[name] = loc

    for loc, field in _field_locs(form):
        yield from claim(field.id, (*loc, "id"), "champ")  # type: ignore[attr-defined]
    for name in form.calculs:
        yield from claim(name, ("calculs", name), "calcul", key=True)
    for name in form.parametres:
        yield from claim(name, ("parametres", name), "paramètre", key=True)
    for loc, name in agent_fields:
        yield from claim(name, loc, "champ agent")
    for index, piece in enumerate(form.pieces):
        yield from claim(piece.id, ("pieces", index, "id"), "pièce")
    pages: dict[str, int] = {}
    for index, page in enumerate(form.pages):
        if page.id in pages:
            yield Problem(
                "I003", ("pages", index, "id"), f"la page « {page.id} » existe déjà (page {pages[page.id] + 1})"
            )
        pages.setdefault(page.id, index)
    for index, page in enumerate(form.pages):
        for number, arret in enumerate(page.arret_si):
            yield from claim(arret.id, ("pages", index, "arret_si", number, "id"), "arrêt")


def _where(loc: Loc) -> str:
    if loc[0] == "pages":
        return f"page {int(loc[1]) + 1}"
    return " › ".join(str(part) for part in loc[:2])


def check_lists(form: Form) -> Iterator[Problem]:
    """I004: codes are ids, unique, and labels are unique (two identical labels cannot be told apart)."""
    for name, options in form.listes.items():
        codes: set[str] = set()
        labels: set[str] = set()
        for index, option in enumerate(options):
            loc: Loc = ("listes", name, option.code) if _short_form(form, name) else ("listes", name, index, "code")
            if not re.fullmatch(IDENTIFIER, option.code):
                yield Problem(
                    "I004",
                    loc,
                    f"code « {option.code} » incorrect : minuscules sans accent, chiffres et _",
                    key=_short_form(form, name),
                )
            if option.code in codes:
                yield Problem("I004", loc, f"le code « {option.code} » apparaît deux fois dans la liste « {name} »")
            if option.libelle in labels:
                yield Problem(
                    "I004", loc, f"le libellé « {option.libelle} » apparaît deux fois dans la liste « {name} »"
                )
            codes.add(option.code)
            labels.add(option.libelle)


def _short_form(form: Form, name: str) -> bool:
    return all(option.aide is None and option.visible_si is None for option in form.listes[name])


def check_references(form: Form) -> Iterator[Problem]:
    """R001 lists, R002 pre-fill, R003 pour_chaque, pages named by pièces and calculs, C003/C004 read-only fields."""
    page_ids = [page.id for page in form.pages]
    for loc, field in _field_locs(form):
        if isinstance(field, Explication | BlocRepetable):
            continue
        liste = getattr(field, "liste", None)
        if liste is not None and liste not in form.listes:
            yield Problem(
                "R001",
                (*loc, "liste"),
                f"la liste « {liste} » n'existe pas dans « listes »",
                suggestion=suggest(closest(liste, form.listes)),
            )
        yield from _check_prefill(form, field, loc)
    blocs = [f.id for f, _, _ in form.walk_fields() if isinstance(f, BlocRepetable)]
    for index, piece in enumerate(form.pieces):
        if piece.pour_chaque is not None and piece.pour_chaque not in blocs:
            yield Problem(
                "R003",
                ("pieces", index, "pour_chaque"),
                f"« {piece.pour_chaque} » n'est pas un bloc répétable",
                suggestion=suggest(closest(piece.pour_chaque, blocs)),
            )
        if piece.page is not None and piece.page not in page_ids:
            yield Problem(
                "R004",
                ("pieces", index, "page"),
                f"la page « {piece.page} » n'existe pas",
                suggestion=suggest(closest(piece.page, page_ids)),
            )
    for name, calcul in form.calculs.items():
        for position, place in enumerate(calcul.afficher):
            if place != "recapitulatif" and place not in page_ids:
                yield Problem(
                    "R004",
                    ("calculs", name, "afficher", position),
                    f"« {place} » n'est ni une page ni « recapitulatif »",
                    suggestion=suggest(closest(place, [*page_ids, "recapitulatif"])),
                )


def _check_prefill(form: Form, field: object, loc: Loc) -> Iterator[Problem]:
    paths: tuple[str, ...] = getattr(field, "prerempli", ())
    field_type: str = getattr(field, "type", "")
    for position, path in enumerate(paths):
        where = (*loc, "prerempli", position) if len(paths) > 1 else (*loc, "prerempli")
        root, _, name = path.partition(".")
        if root in RECORDS:
            found = attribute(path)
            if found is None:
                yield Problem(
                    "R002",
                    where,
                    f"le registre des usagers n'a pas de donnée « {path} »",
                    suggestion=suggest(_closest_path(root, name)),
                )
            elif field_type not in found.fits:
                yield Problem(
                    "R002",
                    where,
                    f"« {path} » ({found.libelle}) ne peut pas pré-remplir un champ de type « {field_type} »",
                )
        elif path not in form.calculs and path not in form.fields:
            yield Problem(
                "R002",
                where,
                f"« {path} » n'est ni une donnée du registre (usager.…, organisation.…), ni un calcul, ni un champ",
                suggestion=suggest(closest(path, [*form.calculs, *form.fields])),
            )
    if getattr(field, "modifiable", True) is False:
        if not paths:
            yield Problem(
                "C003",
                (*loc, "modifiable"),
                "« modifiable: non » sans « prerempli » : l'usager ne pourrait jamais répondre",
            )
        elif all((a := attribute(p)) is not None and a.may_be_empty for p in paths if p.partition(".")[0] in RECORDS):
            if any(p.partition(".")[0] in RECORDS for p in paths):
                yield Problem(
                    "C004",
                    (*loc, "modifiable"),
                    "cette donnée du registre peut être vide : le champ "
                    "deviendra alors modifiable pour que l'usager ne soit pas bloqué",
                    AVERTISSEMENT,
                )


def _closest_path(root: str, name: str) -> str | None:
    found = closest(name, RECORDS[root])
    return f"{root}.{found}" if found else None
