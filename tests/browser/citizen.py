"""What a citizen does in the browser: open a fiche, answer each step by its labels, add people to a block, attach
the pièces, check and send. Driven by the dispositif's own YAML (its pages, lists and ``cas_de_test``), so the same
code fills any dispositif of the catalogue the way a person would: by clicking and typing, never by posting.

With JavaScript on, htmx refreshes the conditional questions after each answer: the citizen waits for the refresh
(a person sees it) and never presses « Mettre à jour les questions »; without JavaScript that button is the way."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Locator, Page, expect

from engine.settings import LOCAL_TIME
from forms.communes import options as communes
from tests.browser.chromium import REPO

CATALOGUE = REPO / "catalogue"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# The smallest valid files of each kind: the app checks the content (magic bytes), not the name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005"
    "0001ff5e1b2a7b0000000049454e44ae426082"
)

_NOT_A_QUESTION = {"explication"}
_OPTIONAL = r"(?: \(optionnel\))?"


def today() -> date:
    """The day in Nouméa, as the app counts it."""
    return datetime.now(LOCAL_TIME).date()


def dispositif(slug: str) -> dict[str, Any]:
    """The dispositif's YAML, as plain data."""
    with (CATALOGUE / f"{slug}.yaml").open(encoding="utf-8") as file:
        loaded: dict[str, Any] = yaml.safe_load(file)
    return loaded


def complete_case(slug: str, name: str | None = None) -> dict[str, Any]:
    """The answers of a ``cas_de_test`` marked ``complet: oui`` (the first one, or the one called ``name``)."""
    for case in dispositif(slug)["cas_de_test"]:
        if case.get("complet") and (name is None or case["nom"] == name):
            return dict(case["reponses"])
    raise LookupError(f"{slug} : aucun cas de test complet {name or ''}")


def _pattern(libelle: str) -> re.Pattern[str]:
    """A pièce's libellé with its ``{{ … }}`` placeholders (``pour_chaque``) matching any name."""
    parts = re.split(r"\{\{.*?\}\}", libelle)
    return re.compile(".+".join(re.escape(part) for part in parts))


def exactly(text: str) -> re.Pattern[str]:
    """A label or legend that is ``text``, with or without « (optionnel) »."""
    return re.compile(rf"^\s*{re.escape(text)}{_OPTIONAL}\s*$")


def pdf(name: str) -> dict[str, Any]:
    """A small valid PDF for ``set_input_files``."""
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def png(name: str) -> dict[str, Any]:
    """A small valid PNG for ``set_input_files``."""
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


def shoot(page: Page, name: str) -> Path:
    """A full-page screenshot under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


@dataclass
class Citizen:
    """A person filling a dispositif's form in ``page``; ``js`` says whether the page runs JavaScript."""

    page: Page
    js: bool
    slug: str
    definition: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.definition = dispositif(self.slug)

    # -- moving around -------------------------------------------------------------------------------------------

    def go(self, target: Locator) -> None:
        """Click a link or a submit button and wait for the next page (a boosted swap with JavaScript)."""
        if not self.js:
            target.click()
            self.page.wait_for_load_state()
            return
        self.page.evaluate("document.querySelector('main').dataset.quittee = 'oui'")
        target.click()
        self.page.wait_for_selector("main:not([data-quittee])", state="attached")
        self.settled()

    def settled(self) -> None:
        """With JavaScript: wait until htmx has no request in flight and its swap has settled."""
        if self.js:
            self.page.wait_for_function(
                "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
            )

    def start(self) -> None:
        """From the home page: open the dispositif's fiche, then « Faire la démarche »."""
        titre = self.definition["dispositif"]["titre"]
        self.page.goto("/")
        self.go(self.page.get_by_role("link", name=titre, exact=True))
        expect(self.page.get_by_role("heading", level=1)).to_have_text(titre)
        self.go(self.page.get_by_role("button", name="Faire la démarche"))
        expect(self.page).to_have_url(re.compile(r"/etapes/"))

    def continue_(self) -> None:
        """Press « Continuer »."""
        self.go(self.page.locator(".actions").get_by_role("button", name="Continuer", exact=True))

    def answer_all_steps(self, answers: dict[str, Any]) -> None:
        """Answer each step and continue, up to the pièces or the récapitulatif."""
        while "/etapes/" in self.page.url:
            before = self.page.url
            self.answer_step(answers)
            self.continue_()
            errors = self.page.locator(".resume-erreurs").all_inner_texts()
            assert self.page.url != before, f"bloqué sur {before} : {errors}"

    def step_id(self) -> str:
        """The id of the step on screen, from the URL."""
        found = re.search(r"/etapes/([^/?#]+)", self.page.url)
        assert found, self.page.url
        return found.group(1)

    # -- answering -----------------------------------------------------------------------------------------------

    def answer_step(self, answers: dict[str, Any]) -> None:
        """Answer every question of the step on screen that ``answers`` has an answer for, in the page's order."""
        page_def = next(p for p in self.definition["pages"] if p["id"] == self.step_id())
        scope = self.page.locator("#g-champs")
        for question in page_def["champs"]:
            if question["type"] in _NOT_A_QUESTION or question["id"] not in answers:
                continue
            self.answer(scope, question, answers[question["id"]])

    def answer(self, scope: Locator, question: dict[str, Any], value: Any) -> None:
        """Answer one question inside ``scope`` (the step, or one item of a block)."""
        kind = question["type"]
        wrapper = self.reveal(scope, question)
        if kind == "bloc_repetable":
            self.fill_block(question, value)
        elif kind in ("oui_non", "choix"):
            label = {True: "Oui", False: "Non", "oui": "Oui", "non": "Non"}.get(value) if kind == "oui_non" else None
            label = label or self.definition["listes"][question["liste"]][value]
            radios = wrapper.get_by_role("radio")
            if radios.count():
                self.refreshing(wrapper, lambda: wrapper.get_by_label(label, exact=True).check())
            else:
                select = wrapper.get_by_label(exactly(question["libelle"]))
                self.refreshing(wrapper, lambda: select.select_option(label=label))
        elif kind == "date":
            self.fill_date(wrapper, value)
        elif kind == "adresse":
            self.fill_address(wrapper, value)
        else:
            box = wrapper.get_by_label(exactly(question["libelle"]))
            self.type_into(wrapper, box, str(value))

    def reveal(self, scope: Locator, question: dict[str, Any]) -> Locator:
        """The question's part of the page; without JavaScript a conditional one is shown by « Mettre à jour »."""
        wrapper = self.wrapper(scope, question)
        if wrapper.count() == 0 and not self.js and question.get("visible_si"):
            self.go(self.page.get_by_role("button", name="Mettre à jour les questions"))
        expect(wrapper, f"la question « {question['libelle']} » n'est pas affichée").to_have_count(1)
        return wrapper

    def wrapper(self, scope: Locator, question: dict[str, Any]) -> Locator:
        """The element around one question, found by what a person reads: its label or its legend."""
        label = exactly(question["libelle"])
        if question["type"] == "bloc_repetable":
            return scope.locator(".bloc").filter(has=self.page.get_by_role("heading", name=label))
        if question["type"] in ("oui_non", "choix", "date", "adresse"):
            fieldset = self.page.get_by_role("group", name=label)
            select = scope.locator(".champ").filter(has=self.page.get_by_role("combobox", name=label))
            return scope.locator(".champ").filter(has=fieldset).or_(select)
        return scope.locator(".champ").filter(has=self.page.get_by_label(label))

    def refreshing(self, wrapper: Locator, action: Any) -> None:
        """Do ``action``; when the question drives others and JavaScript runs, wait for htmx's refresh."""
        if self.js and wrapper.get_attribute("hx-post"):
            with self.page.expect_response(lambda response: response.url.endswith("/champs")):
                action()
            self.settled()
        else:
            action()

    def type_into(self, wrapper: Locator, box: Locator, text: str) -> None:
        """Type like a person, then leave the box with Tab (which is when the browser says it changed)."""

        def act() -> None:
            box.fill(text)
            box.press("Tab")

        self.refreshing(wrapper, act)

    def fill_date(self, wrapper: Locator, value: date) -> None:
        """The three boxes Jour, Mois, Année."""
        for part, text in (("Jour", value.day), ("Mois", value.month), ("Année", value.year)):
            self.type_into(wrapper, wrapper.get_by_label(part, exact=True), str(text))

    def fill_address(self, wrapper: Locator, value: dict[str, Any]) -> None:
        """Adresse, complément, code postal, then the commune picked by its name."""
        parts = {"ligne1": "Adresse", "ligne2": "Complément d'adresse", "code_postal": "Code postal"}
        for key, label in parts.items():
            if value.get(key):
                self.type_into(wrapper, wrapper.get_by_label(exactly(label)), str(value[key]))
        commune = wrapper.get_by_label(exactly("Commune"))
        self.refreshing(wrapper, lambda: commune.select_option(label=communes()[value["commune"]]))

    def fill_block(self, bloc: dict[str, Any], items: list[dict[str, Any]]) -> None:
        """Add one item per answer with the block's button, then fill it."""
        for index, item in enumerate(items, start=1):
            self.go(self.page.get_by_role("button", name=bloc["bouton_ajouter"]))
            group = self.page.get_by_role("group", name=re.compile(rf"^\S+ {index}(?: — .*)?$"))
            expect(group).to_have_count(1)
            for question in bloc["champs"]:
                if question["id"] in item and question["type"] not in _NOT_A_QUESTION:
                    self.answer(group, question, item[question["id"]])

    # -- pièces, récapitulatif, envoi -----------------------------------------------------------------------------

    def attach(self, libelle: str, file: dict[str, Any], document_date: date | None = None) -> None:
        """Pick a file for the pièce called ``libelle`` (and give the document's date when it is asked)."""
        piece = self.page.get_by_role("group", name=exactly(libelle))
        piece.get_by_label(exactly(libelle)).set_input_files(file)
        if document_date is not None:
            asked = re.compile(r"^Date (du document|de fin de validité)")
            self.fill_date(piece.get_by_role("group", name=asked), document_date)

    def attach_all(self) -> None:
        """Attach a small PNG to every pièce on the page (each format list of the catalogue takes PNG), with the
        document's date when asked: a future one for an identity card's expiry, else a recent one."""
        pieces = {_pattern(piece["libelle"]): piece for piece in self.definition["pieces"]}
        for libelle in self.page.locator(".piece .libelle").all_inner_texts():
            libelle = re.sub(r"\s*\(optionnel\)$", "", libelle.strip())
            piece = next(p for pattern, p in pieces.items() if pattern.fullmatch(libelle))
            validite = piece.get("validite") or {}
            day = None
            if validite.get("date_du_document") == "demandee":
                day = today() + timedelta(days=700) if validite.get("expiration") else today() - timedelta(days=20)
            self.attach(libelle, png(f"{piece['id']}.png"), day)

    def declare_and_send(self) -> None:
        """Tick the declaration on the récapitulatif and press its button."""
        recap = self.definition["recapitulatif"]
        self.page.get_by_label(recap["declaration"].split("\n")[0].strip()).check()
        self.go(self.page.get_by_role("button", name=recap["bouton"]))
