"""``guichet explain``: print a dispositif in plain French so an editor can proof-read it against the délibération.

The file is loaded exactly as ``guichet check`` loads it, so what is explained is what the engine will run; a file
with errors is not explained (its rules would be partial), its diagnostics are printed instead."""

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from engine.catalogue import load_file
from engine.diagnostics import Severity, format_report
from engine.dispositif import Campagne, Dispositif
from forms.answer_kinds import french_date
from forms.expressions import BOOLEEN, Expression, ExpressionErrors, compile_expression
from forms.rules import Rules
from forms.scalars import format_duree
from forms.scope import form_scope
from renderers.explain import Explainer, wrap


def _campagne(campagne: Campagne) -> str:
    if campagne.ouverture and campagne.cloture:
        window = f"du {french_date(campagne.ouverture)} au {french_date(campagne.cloture)}"
    else:
        window = f"chaque année du {campagne.chaque_annee_du} au {campagne.chaque_annee_au}"
    return f"{campagne.libelle} : {window}" if campagne.libelle else window


def _header(dispositif: Dispositif) -> Iterator[str]:
    """Written here, not in renderers: the model of the ``dispositif:`` section belongs to the engine."""
    meta, fiche, rgpd = dispositif.dispositif, dispositif.dispositif.fiche, dispositif.dispositif.rgpd
    title = f"{meta.titre} ({meta.id}, version {meta.version})"
    yield from wrap(title)
    yield "=" * min(len(title), 100)
    campagnes = " ; ".join(map(_campagne, meta.campagnes)) or "toute l'année"
    rows = [
        ("Résumé", meta.resume), ("Thématique", meta.thematique), ("Service", meta.service),
        ("Contact", meta.contact), ("Base légale", meta.base_legale), ("Ouverture", campagnes),
        ("Durée estimée", meta.duree_estimee), ("Numéro des dossiers", meta.numerotation),
        ("À préparer", meta.avant_de_commencer),
    ]  # fmt: skip
    yield from _rows(rows, 0)
    yield "Fiche pratique :"
    yield from _rows([("Public", fiche.public), ("Conditions", fiche.conditions), ("Délai", fiche.delai),
                      ("Coût", fiche.cout), ("En savoir plus", fiche.en_savoir_plus)], 2)  # fmt: skip
    yield "Données personnelles (RGPD) :"
    yield from _rows([("Finalité", rgpd.finalite), ("Base légale", rgpd.base_legale),
                      ("Conservation", format_duree(rgpd.conservation)),
                      ("Destinataires", " ; ".join(rgpd.destinataires) or None)], 2)  # fmt: skip


def _rows(rows: list[tuple[str, str | None]], indent: int) -> Iterator[str]:
    for label, text in rows:
        if text:
            yield from wrap(f"{label} : {text.strip()}", indent)


def _conditions(dispositif: Dispositif) -> dict[str, Expression]:
    """Rules compiles the form's expressions only; these are compiled here so they read in French too."""
    instruction = dispositif.instruction
    scope = form_scope(dispositif, instruction.champs_agent)
    sources = [t.condition for t in instruction.transitions] + [instruction.file_de_travail.alerte_si]
    for field in instruction.champs_agent:
        sources += [field.visible_si, getattr(field, "obligatoire_si", None)]
        sources += [regle.regle for regle in getattr(field, "validation", ())]
    found: dict[str, Expression] = {}
    for source in filter(None, sources):
        try:
            found[source] = compile_expression(source, scope, expected=BOOLEEN)
        except ExpressionErrors:
            continue  # already reported by the checks; the source is shown as written
    return found


def explanation(dispositif: Dispositif, rules: Rules) -> str:
    """In the order of the file, so the editor can follow the reading and the YAML side by side."""
    instruction = dispositif.instruction
    out = Explainer(dispositif, rules, champs_agent=instruction.champs_agent, conditions=_conditions(dispositif),
                    courriels={name: courriel.objet for name, courriel in dispositif.courriels.items()})  # fmt: skip
    out.lines.extend(_header(dispositif))
    out.heading("Formulaire")
    out.pages()
    if dispositif.calculs or dispositif.baremes or dispositif.parametres:
        out.heading("Calculs")
        out.calculs()
    if dispositif.pieces:
        out.heading("Pièces justificatives")
        for piece in dispositif.pieces:
            out.piece(piece)
    recap, confirmation = dispositif.recapitulatif, dispositif.confirmation
    out.heading("Fin de la démarche")
    out.line(f"Récapitulatif : « {recap.titre} », bouton « {recap.bouton} »")
    out.items([f"Déclaration : {recap.declaration}" if recap.declaration else None], 2)
    out.line(f"Confirmation : « {confirmation.titre} »")
    out.items([f"Texte : {confirmation.texte}" if confirmation.texte else None], 2)
    out.heading("Instruction")
    out.workflow(instruction)
    out.heading("Courriels")
    for name, courriel in dispositif.courriels.items():
        out.line(f"- {name} : « {courriel.objet} »", 2)
    out.heading("Cas de test")
    for case in dispositif.cas_de_test:
        out.line(f"- {case.nom}" + (f" (au {french_date(case.date)})" if case.date else ""), 2)
    if not dispositif.cas_de_test:
        out.line("aucun : ajoutez-en pour vérifier les calculs et les conditions", 2)
    return "\n".join(out.lines)


def explain_file(path: Path, *, today: date) -> int:
    """Exit 1 with the diagnostics when the file has errors: explaining partial rules would mislead the editor."""
    if not path.is_file():
        print(f"guichet explain : {path} n'existe pas", file=sys.stderr)
        return 2
    result = load_file(path, today=today)
    if result.entry is None:
        print(format_report(result.diagnostics, {result.path: result.source}))
        return 1
    print(explanation(result.entry.dispositif, result.entry.rules))
    warnings = sum(1 for d in result.diagnostics if d.severity == Severity.AVERTISSEMENT)
    if warnings:
        notice = (
            f"{warnings} avertissement{'s' if warnings > 1 else ''} : lancez « guichet check {path} » pour les voir"
        )
        print("", *wrap(notice), sep="\n")
    return 0
