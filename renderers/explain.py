"""The plain-French reading of a dispositif's form and instruction, for the editor who proof-reads it.

Rules are read through their compiled form (``Expression.french()``): the editor checks what the engine will do."""

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from forms.answer_kinds import french_date, french_number
from forms.definition import Form, Piece, Tranche
from forms.expressions import Expression, Kind
from forms.fields import AnyField, BlocRepetable, ChampSimple, Choix, ChoixMultiple, Date, Explication, Fichier
from forms.register import attribute
from forms.rules import Rules
from forms.scalars import IDENTIFIER, format_duree, format_taille
from workflows.definition import SYSTEME, USAGER, Transition, Workflow

WIDTH = 100

_KINDS = {
    "texte": "texte court", "texte_long": "texte long", "nombre_entier": "nombre entier",
    "nombre_decimal": "nombre décimal", "montant": "montant en francs CFP", "date": "date", "oui_non": "oui ou non",
    "case_a_cocher": "case à cocher", "email": "adresse électronique", "telephone": "numéro de téléphone calédonien",
    "adresse": "adresse postale", "commune": "commune de Nouvelle-Calédonie", "iban": "IBAN (compte bancaire)",
    "ridet": "numéro RIDET",
}  # fmt: skip
_DOSSIER = {"numero": "numéro du dossier", "date_depot": "date de dépôt", "date_creation": "date de création",
            "etat": "état", "jours_dans_etat": "jours dans l'état"}  # fmt: skip
# No line break inside « », {{ }} or before ; and : (French spacing): a mark alone on a line reads as a stray symbol.
_GLUED = {"« ": "«\u00a0", " »": "\u00a0»", "{{ ": "{{\u00a0", " }}": "\u00a0}}", " ;": "\u00a0;", " :": "\u00a0:"}


def wrap(text: str, indent: int = 0) -> list[str]:
    """At 100 columns a terminal or a review shows each line whole; hanging lines keep details under their label."""
    for plain, glued in _GLUED.items():
        text = text.replace(plain, glued)
    lines: list[str] = []
    for number, paragraph in enumerate(text.strip("\n").splitlines() or [""]):
        first, hang = " " * (indent + (2 if number else 0)), " " * (indent + 2)
        lines += textwrap.wrap(paragraph, WIDTH, initial_indent=first, subsequent_indent=hang) or [""]
    return [line.replace("\u00a0", " ") for line in lines]


def _number(value: object) -> str | None:
    if isinstance(value, date):
        return french_date(value)
    return french_number(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else None


def _between(low: object, high: object, unit: str = "") -> str | None:
    if low is not None and high is not None:
        return f"entre {low} et {high}{unit}"
    return f"au moins {low}{unit}" if low is not None else f"{high}{unit} au plus" if high is not None else None


def _upload(formats: Sequence[str], size: int, count: int) -> str:
    names = ", ".join(formats[:-1]) + " ou " + formats[-1] if len(formats) > 1 else formats[0]
    return f"{names} ; {format_taille(size)} au plus par fichier ; {count} fichier{'s' if count > 1 else ''} au plus"


def _row(row: Tranche) -> list[str]:
    bound = "au-delà" if row.au_dela else f"jusqu'à {_number(row.jusqu_a)}"
    return [bound, *(_number(value) or str(value) for value in row.colonnes.values())]


class Explainer:
    """One method per section, public so the engine can put the parts whose models it owns between them.

    ``conditions``: compiled expressions ``rules`` lacks (guards, alert, agent fields), by source, so they read in
    French too; ``courriels``: each e-mail's subject, which says more than its id."""

    def __init__(self, form: Form, rules: Rules, *, champs_agent: Sequence[ChampSimple] = (),
                 conditions: Mapping[str, Expression] | None = None,
                 courriels: Mapping[str, str] | None = None) -> None:  # fmt: skip
        self.form, self.rules, self.agent = form, rules, champs_agent
        self.conditions, self.courriels = conditions or {}, courriels or {}
        self.lines: list[str] = []

    def line(self, text: str = "", indent: int = 0) -> None:
        """Every line goes through wrap, so none is wider than 100 columns."""
        self.lines.extend(wrap(text, indent))

    def items(self, parts: Sequence[str | None], indent: int) -> None:
        """Details on one line, so an element reads as one sentence; absent ones leave no empty « ; »."""
        if any(parts):
            self.line(" ; ".join(part for part in parts if part), indent)

    def heading(self, title: str) -> None:
        """Underlined, so sections stand out in a plain terminal."""
        self.lines.extend(["", title, "-" * len(title)])

    def say(self, compiled: Expression | None, source: str | date | None) -> str:
        """French for the editor; the source when a rule did not compile, so nothing is hidden from them."""
        if isinstance(source, date):
            return french_date(source)
        found = compiled or self.conditions.get(source or "")
        # A lone yes/no name reads as a label; say which answer makes the condition hold.
        alone = found is not None and found.type.kind is Kind.BOOLEEN and IDENTIFIER.fullmatch(found.source.strip())
        return (found.french() + (" vaut oui" if alone else "")) if found is not None else source or ""

    def _name(self, path: str) -> str:
        root, _, rest = (path := path.lstrip("-")).partition(".")
        if root == "dossier" and rest:
            return _DOSSIER.get(rest, rest.replace("_", " "))
        if (found := attribute(path)) is not None:
            return f"{found.libelle} (registre des {root}s)"
        if path in self.form.calculs:
            return f"« {self.form.calculs[path].libelle or path} » (calcul)"
        field = self.form.fields.get(path) or next((f for f in self.agent if f.id == path), None)
        return f"« {field.libelle or path} »" if field is not None else f"« {path} »"

    def field(self, field: AnyField | ChampSimple, indent: int) -> None:
        """Label first, as the usager sees it, then every rule attached to it; a block's sub-fields indented below."""
        rules, shown_if = self.rules, field.visible_si
        visible = f"affiché si {self.say(rules.field_visible.get(field.id), shown_if)}" if shown_if else None
        if isinstance(field, Explication):
            self.line(f"- Texte d'information : {field.libelle or field.texte}", indent)
            self.items([field.texte if field.libelle else None, visible], indent + 4)
            return
        self.line(f"- {field.libelle}", indent)
        required = getattr(field, "obligatoire_si", None)
        prefill: tuple[str, ...] = getattr(field, "prerempli", ())
        fixed = "" if getattr(field, "modifiable", True) else ", non modifiable"
        parts = [
            self._kind(field),
            f"obligatoire si {self.say(rules.field_required.get(field.id), required)}"
            if required else "obligatoire" if field.obligatoire else "facultatif",
            visible,
            *self._limits(field),
            f"pré-rempli depuis {' ou, à défaut, '.join(map(self._name, prefill))}{fixed}" if prefill else None,
            "donnée sensible" if getattr(field, "sensible", False) else None,
            "retiré : plus demandé, gardé pour les anciens dossiers" if field.retire else None,
        ]  # fmt: skip
        self.items(parts, indent + 4)
        self.items([f"Aide : {field.aide}" if field.aide else None], indent + 4)
        compiled = rules.field_rules.get(field.id, [])
        for index, regle in enumerate(getattr(field, "validation", ())):
            found = compiled[index][0] if index < len(compiled) else None
            self.line(f"Règle : {self.say(found, regle.regle)} ; sinon « {regle.message} »", indent + 4)
        for sub in field.champs if isinstance(field, BlocRepetable) else ():
            self.field(sub, indent + 4)

    def _kind(self, field: AnyField | ChampSimple) -> str:
        if isinstance(field, BlocRepetable):
            return f"bloc répétable (de {field.min} à {field.max} éléments)"
        if isinstance(field, Choix | ChoixMultiple):
            labels = ", ".join(self.form.options(field.liste).values()) or field.liste
            return ("choix parmi : " if isinstance(field, Choix) else "un ou plusieurs choix parmi : ") + labels
        if isinstance(field, Fichier):
            return f"fichier ({_upload(field.formats, field.taille_max, field.nombre_max)})"
        kind = "numéro de téléphone international" if getattr(field, "international", False) else _KINDS[field.type]
        count = getattr(field, "decimales", 0)
        decimals = f" ({count} décimale{'s' if count > 1 else ''})" if field.type == "nombre_decimal" else ""
        unit = getattr(field, "unite", None)
        return kind + decimals + (f", en {unit}" if unit else "")

    def _limits(self, field: AnyField | ChampSimple) -> list[str | None]:
        low, high = getattr(field, "min", None), getattr(field, "max", None)
        out = [_between(getattr(field, "longueur_min", None), getattr(field, "longueur_max", None), " caractères")]
        if isinstance(field, Date):
            bounds = self.rules.date_bounds.get(field.id, (None, None))
            for word, bound, compiled in (("au plus tôt", low, bounds[0]), ("au plus tard", high, bounds[1])):
                out.append(f"{word} : {self.say(compiled, bound)}" if bound is not None else None)
        elif field.type in ("nombre_entier", "nombre_decimal", "montant"):
            out.append(_between(_number(low), _number(high), " F CFP" if field.type == "montant" else ""))
        liste = field.liste if isinstance(field, Choix | ChoixMultiple) else ""
        options = self.form.options(liste)
        if isinstance(field, ChoixMultiple):
            alone = field.exclusif
            out += [_between(field.min_choix, field.max_choix, " choix")]
            out += [f"« {options.get(alone, alone)} » exclut les autres" if alone else None]
        pattern = getattr(field, "format", None)
        out += [f"format : {getattr(field, 'message_format', None) or pattern}" if pattern else None]
        default = getattr(field, "defaut", None)
        if default is not None:
            codes = default if isinstance(default, tuple) else (default,)
            shown = ", ".join(("oui" if c else "non") if isinstance(c, bool) else str(options.get(c, c)) for c in codes)
            out.append(f"valeur proposée : {shown}")
        for option in self.form.listes.get(liste, ()):
            if option.visible_si:
                compiled = self.rules.option_visible.get((liste, option.code))
                out.append(f"« {option.libelle} » proposé si {self.say(compiled, option.visible_si)}")
        return out

    def pages(self) -> None:
        """Numbered as the usager meets them, with the stops after the fields they read."""
        for number, page in enumerate(self.form.pages, start=1):
            self.line()
            self.line(f"Page {number} — {page.titre}" + (f" (section « {page.section} »)" if page.section else ""))
            if page.visible_si:
                self.line(f"Page affichée si {self.say(self.rules.page_visible.get(page.id), page.visible_si)}", 2)
            self.items([f"Introduction : {page.intro}" if page.intro else None], 2)
            for field in page.champs:
                self.field(field, 2)
            compiled = {arret.id: expression for arret, expression in self.rules.arrets.get(page.id, [])}
            for arret in page.arret_si:
                self.line(f"Arrêt si {self.say(compiled.get(arret.id), arret.si)} : {arret.titre}", 2)

    def calculs(self) -> None:
        """Laid out as in a délibération (formulas, tables, dated amounts) so the two can be compared line by line."""
        compiled, pages = dict(self.rules.calculs), {page.id: page.titre for page in self.form.pages}
        for name, calcul in self.form.calculs.items():
            formula = self.say(compiled.get(name), calcul.expr)
            self.line(f"- {calcul.libelle or name} ({name}) = {formula}", 2)
            places = [pages.get(place, "le récapitulatif") for place in calcul.afficher]
            self.items([f"montré à l'usager : {', '.join(places)}" if places else None], 6)
        for name, rows in self.form.baremes.items():
            self.line(f"Barème « {name} » :", 2)
            table = [["tranche", *rows[0].colonnes], *map(_row, rows)]
            widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
            for row in table:
                self.lines.append("    " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        for name, param in self.form.parametres.items():
            unit = " F CFP" if param.type == "montant" else ""
            values = [f"{_number(v.valeur) or v.valeur}{unit} depuis le {french_date(v.depuis)}" for v in param.valeurs]
            self.line(f"- Paramètre « {param.libelle} » ({name}) : {' ; '.join(values)}", 2)
            self.items([f"Source : {param.source}" if param.source else None], 6)

    def piece(self, piece: Piece) -> None:
        """Everything the usager is told or refused about an upload, so the fiche pratique can be checked against it."""
        rules, validite, shown_if = self.rules, piece.validite, piece.visible_si
        self.line(f"- {piece.libelle}", 2)
        required = self.say(rules.piece_required.get(piece.id), piece.obligatoire_si)
        parts = [
            _upload(piece.formats, piece.taille_max, piece.nombre_max),
            f"obligatoire si {required}" if required else "obligatoire" if piece.obligatoire else "facultative",
            f"demandée si {self.say(rules.piece_visible.get(piece.id), shown_if)}" if shown_if else None,
            f"une par élément de {self._name(piece.pour_chaque)}" if piece.pour_chaque else None,
            f"demandée sur la page « {piece.page} »" if piece.page else None,
            f"demandée dans l'état : {', '.join(piece.etats)}" if piece.etats else None,
            f"modèle à remplir : {piece.modele}" if piece.modele else None,
        ]  # fmt: skip
        if validite is not None:
            year, ends = validite.annee, rules.piece_range.get(piece.id, (None, None))
            dates = [self.say(compiled, day) for day, compiled in zip(validite.entre or (), ends, strict=False)]
            parts += [
                f"datée de moins de {format_duree(validite.moins_de)}" if validite.moins_de else None,
                f"année du document : {self.say(rules.piece_year.get(piece.id), str(year))}"
                if year is not None else None,
                f"datée entre {dates[0]} et {dates[1]}" if dates else None,
                "en cours de validité" if validite.expiration else None,
                "date du document demandée" if validite.date_du_document == "demandee" else "date vérifiée par l'agent",
            ]  # fmt: skip
        self.items(parts, 6)
        self.items([f"Aide : {piece.aide}" if piece.aide else None], 6)

    def workflow(self, workflow: Workflow) -> None:
        """The agents' side, with the usager's wording of each état: what they read is what they are told."""
        self.line("Rôles : " + " ; ".join(f"{label} ({name})" for name, label in workflow.roles.items()), 2)
        self.line("États du dossier :", 2)
        for name, etat in workflow.etats.items():
            editable = ["les pièces" if e == "pieces" else e for e in etat.usager_peut_modifier]
            notes = [
                "état initial" if etat.initial else "état final" if etat.final else None,
                f"l'usager lit « {etat.libelle_usager} »" if etat.libelle_usager else None,
                f"l'usager peut modifier : {', '.join(editable)}" if editable else None,
                f"délai {etat.delai.duree}{self._then(workflow, etat.delai.a_expiration)}" if etat.delai else None,
            ]  # fmt: skip
            self.line(f"- {etat.libelle} ({name}) : " + " ; ".join(n for n in notes if n), 4)
        self.line("Transitions :", 2)
        for transition in workflow.transitions:
            self._transition(workflow, transition)
        for delai in workflow.delais:
            self.line(f"- Délai « {delai.libelle} » : {delai.duree} après « {delai.depuis} » pour atteindre « "
                      f"{' ou '.join(delai.jusqu_a)} »{self._then(workflow, delai.a_expiration)}", 4)  # fmt: skip
        if self.agent:
            self.line("Champs réservés aux agents :", 2)
            for field in self.agent:
                self.field(field, 4)
        queue = workflow.file_de_travail
        self.line("File de travail des agents :", 2)
        self.line(f"Colonnes : {', '.join(map(self._name, queue.colonnes))}", 4)
        self.line(f"Filtres : {', '.join(map(self._name, queue.filtres))}", 4)
        newest = queue.tri.startswith("-")
        self.line(f"Tri : {self._name(queue.tri)}, les plus {'récents' if newest else 'anciens'} d'abord", 4)
        self.items([f"Alerte si {self.say(None, queue.alerte_si)}" if queue.alerte_si else None], 4)

    def _then(self, workflow: Workflow, target: str | None) -> str:
        found = workflow.transition(target) if target else None
        return f", puis automatiquement « {found.libelle or found.id} »" if found else ""

    def _transition(self, workflow: Workflow, t: Transition) -> None:
        etats, roles = workflow.etats, workflow.roles
        actors = {USAGER: "l'usager", SYSTEME: "le moteur à l'expiration d'un délai"}
        parts = [
            f"de {' ou '.join(f'« {etats[e].libelle if e in etats else e} »' for e in t.de)} "
            f"vers « {etats[t.vers].libelle if t.vers in etats else t.vers} », "
            f"par {' ou '.join(actors.get(a) or roles.get(a, a) for a in t.par)}",
            f"possible si {self.say(None, t.condition)}" if t.condition else None,
            f"à remplir avant : {', '.join(map(self._name, t.champs_requis))}" if t.champs_requis else None,
            {"obligatoire": "commentaire obligatoire", "absent": "sans commentaire"}.get(t.commentaire),
            f"délai {t.delai_reponse}{self._then(workflow, t.a_expiration)}" if t.delai_reponse else None,
            "le dossier est attribué à l'agent" if t.attribuer_a else None,
            f"par un autre agent que « {t.pas_le_meme_agent_que} »" if t.pas_le_meme_agent_que else None,
            f"courriel « {self.courriels.get(t.courriel, t.courriel)} »" if t.courriel else None,
        ]  # fmt: skip
        self.line(f"- {t.libelle} ({t.id})" if t.libelle else f"- {t.id}", 4)
        self.items(parts, 8)
