"""Drive the real app as a citizen's browser would: read a page's HTML, fill its inputs, press a button.

A page is read with html.parser, never with a regex, and a step is filled from canonical answers (as a dispositif's
``cas_de_test`` writes them) in the page's own input naming: a date as three inputs, an adresse as four, a block's
items as ``bloc.N.sub`` after pressing « Ajouter » like a user without JavaScript. Nothing here knows the engine's
naming rules beyond what the HTML shows, so a renderer and a parser that drift apart make these tests fail."""

import html
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sqlmodel import col, select
from starlette.testclient import TestClient

from engine.app import create_app
from engine.db import create_db_engine, session_scope
from engine.settings import Settings
from engine.storage import Dossier, DossierEvent, OutboxMessage, PieceFile

SECRET = "cle-secrete-de-test-assez-longue-pour-la-production"

# The smallest files each format's sniffing accepts: what a scanner or a phone would give, minus the content.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
FILES = {"pdf": ("justificatif.pdf", PDF, "application/pdf"), "png": ("photo.png", PNG, "image/png"),
         "jpg": ("photo.jpg", JPEG, "image/jpeg")}  # fmt: skip


WEB_CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue" / "web"
"""A test dispositif with every field type, condition and pièce rule."""
WEB_SLUG = "tous_les_champs"
WEB_DAY = date(2026, 5, 1)
WEB_ANSWERS = {
    "reside": True,
    "nom": "Wamytan",
    "date_naissance": date(1988, 7, 14),
    "email": "marie@example.nc",
    "telephone": "77 12 34",
    "adresse": {"ligne1": "12 rue Jules Ferry", "code_postal": "98800", "commune": "noumea"},
    "commune_naissance": "bourail",
    "situation": "salarie",
    "a_entreprise": False,
    "montant": 1000,
    "nombre_personnes": 1,
    "surface": "12",
    "iban": "FR7614448000024012345678901",
    "urgent": False,
    "accord": True,
}
"""A valid answer for every question of the test dispositif."""


class Clock:
    """The app's day, set by each test to the day its case is written for."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@dataclass
class Web:
    """An app with what a test reads besides HTTP: its database URL, its clock, its folder."""

    app: Any
    url: str
    clock: Clock
    tmp: Path

    def client(self) -> TestClient:
        """A new browser: its own cookie jar, so its own usager."""
        return TestClient(self.app, follow_redirects=False)


@contextmanager
def scratch(tmp_path_factory: Any, name: str) -> Iterator[Path]:
    """A module's folder for its database and files: in memory (/dev/shm) where the machine has it. The tests need
    no durability, and SQLite's fsync at every commit would otherwise take most of their time."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp(name)
        return
    path = Path(tempfile.mkdtemp(prefix=f"guichet-{name}-", dir=shm))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def web_app(tmp: Path, catalogue: Path, day: date, database_url: str | None = None, **changes: Any) -> Web:
    """An app on ``database_url`` (by default a SQLite file in ``tmp``), its files and e-mails in ``tmp``, its day
    ``day``; ``changes``: other Settings."""
    url = database_url or f"sqlite:///{tmp / 'guichet.db'}"
    settings = {"files_dir": tmp / "pieces", "mail_dir": tmp / "courriels", **changes}
    clock = Clock(day)
    app = create_app(Settings(SECRET, url, catalogue, **settings), today=clock)
    return Web(app, url, clock, tmp)


# --- reading pages ------------------------------------------------------------------------------------------------


@dataclass
class Control:
    """An input, select, textarea or button of a form."""

    tag: str
    attrs: dict[str, str]
    options: list[tuple[str, bool]] = field(default_factory=list)
    text: str = ""

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def type(self) -> str:
        return self.attrs.get("type", "text" if self.tag == "input" else self.tag)

    @property
    def value(self) -> str:
        return self.text if self.tag == "textarea" else self.attrs.get("value", "")


@dataclass
class Form:
    """A form of the page, with its controls in document order."""

    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    def names(self) -> list[str]:
        """The names of the answer inputs (no buttons, no CSRF token), in order, once each."""
        found = [c.name for c in self.controls if c.tag != "button" and c.name and c.name != "csrf_token"]
        return list(dict.fromkeys(found))

    def buttons(self) -> list[tuple[str, str]]:
        return [(c.name, c.value) for c in self.controls if c.tag == "button" and c.name]

    def has_action(self, action: str) -> bool:
        return ("action", action) in self.buttons()

    def choices(self, name: str) -> list[str]:
        """The values a radio group, a set of checkboxes or a select offers under ``name``."""
        found: list[str] = []
        for control in self.controls:
            if control.name != name:
                continue
            if control.tag == "select":
                found += [value for value, _ in control.options if value]
            elif control.type in ("radio", "checkbox"):
                found.append(control.value)
        return found

    def control(self, name: str) -> Control:
        return next(c for c in self.controls if c.name == name)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, str] = {}
        self.title = ""
        self._open: list[tuple[str, str, list[str]]] = []  # elements whose text is kept: (tag, key, parts)
        self._form: Form | None = None
        self._control: Control | None = None  # the select or textarea being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        summary = "resume-erreurs" in values.get("class", "").split()
        if tag not in _VOID:  # every open element, so a closing tag ends the right one; text kept for some only
            key = values.get("id") or (".resume-erreurs" if summary else "title" if tag == "title" else "")
            self._open.append((tag, key, []))
        if tag == "form":
            self._form = Form(values)
            self.forms.append(self._form)
        elif tag in ("input", "button", "select", "textarea") and self._form is not None:
            self._form.controls.append(Control(tag, values))
            self._control = self._form.controls[-1] if tag in ("select", "textarea") else None
        elif tag == "option" and self._control is not None:
            self._control.options.append((values.get("value", ""), "selected" in values))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("form", "select", "textarea"):
            self._form, self._control = (None if tag == "form" else self._form), None
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:  # also ends the elements left open inside (a <p> or <li> unclosed)
                for _, key, parts in self._open[index:]:
                    if key:
                        self.texts[key] = " ".join("".join(parts).split())
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._control is not None and self._control.tag == "textarea":
            self._control.text += data
        for _, key, parts in self._open:
            if key:
                parts.append(data)


class Page:
    """A page as a browser sees it: its forms, elements, title and error summary."""

    def __init__(self, source: str) -> None:
        parser = _Parser()
        parser.feed(source)
        parser.close()
        self.html = source
        self.forms = parser.forms
        self.elements = parser.elements
        self.texts = parser.texts
        self.title = parser.texts.get("title", "")

    @property
    def plain(self) -> str:
        """The HTML with its character references resolved and French non-breaking spaces made plain, to look for a
        sentence (« n'est »)."""
        return html.unescape(self.html).replace("\u00a0", " ").replace("\u202f", " ")

    @property
    def form(self) -> Form:
        """The page's main form (class ``formulaire``)."""
        return next(f for f in self.forms if "formulaire" in f.attrs.get("class", "").split())

    @property
    def csrf(self) -> str:
        for form in self.forms:
            for control in form.controls:
                if control.name == "csrf_token":
                    return control.value
        raise AssertionError("no CSRF token on the page")

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]]:
        found = [(tag, attrs) for tag, attrs in self.elements if attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def error_links(self) -> list[str]:
        """The hrefs of the error summary's links, in order."""
        links: list[str] = []
        inside = False
        for tag, attrs in self.elements:
            if "resume-erreurs" in attrs.get("class", "").split():
                inside = True
            elif inside and tag == "a":
                links.append(attrs.get("href", ""))
            elif inside and tag in ("h1", "form", "main") and links:
                break
        return links

    def error_summary(self) -> str:
        """The error summary's text, empty when there is none."""
        return self.texts.get(".resume-erreurs", "")


# --- filling forms ------------------------------------------------------------------------------------------------

_DATE_PARTS = {"jour": "day", "mois": "month", "annee": "year"}


def lookup(answers: Mapping[str, object], name: str) -> tuple[bool, object]:
    """The answer an input named ``name`` holds in ``answers``: ``a``, ``a.jour``, ``a.ligne1``, ``bloc.1.sub``."""
    value: object = answers
    for part in name.split("."):
        if isinstance(value, Mapping):
            if part not in value:
                return False, None
            value = value[part]
        elif isinstance(value, list | tuple) and part.isdigit():
            if int(part) >= len(value):
                return False, None
            value = value[int(part)]
        elif isinstance(value, date) and part in _DATE_PARTS:
            value = getattr(value, _DATE_PARTS[part])
        else:
            return False, None
    return True, value


def typed(value: object) -> str:
    """An answer as a person types it: « oui »/« non », numbers in French (decimal comma), text as it is."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return f"{value.day}/{value.month}/{value.year}"
    return "" if value is None else str(value)


def fill(form: Form, answers: Mapping[str, object]) -> list[tuple[str, str]]:
    """The pairs a browser posts after the user typed ``answers`` (canonical, or by input name) into ``form``; what
    they do not name keeps its current value. An answer no radio, checkbox or option offers fails the test."""
    pairs: list[tuple[str, str]] = []
    done: set[str] = set()
    for control in form.controls:
        name = control.name
        if control.tag == "button" or not name or control.type == "file" or name in done:
            continue
        found, value = (True, answers[name]) if name in answers else lookup(answers, name)
        if control.type == "hidden":
            pairs.append((name, control.value))
            continue
        if control.type in ("radio", "checkbox") or control.tag == "select":
            done.add(name)
            offered = form.choices(name)
            if not found:
                pairs += [(name, v) for c in form.controls if c.name == name for v in _chosen(c)]
                continue
            chosen = [typed(v) for v in value] if isinstance(value, list | tuple) else [typed(value)]
            if control.type == "checkbox" and offered == ["oui"]:  # a case_a_cocher
                pairs += [(name, "oui")] if chosen == ["oui"] else []
                continue
            missing = [v for v in chosen if v not in offered]
            assert not missing, f"{name}: {missing} not offered (offered: {offered})"
            pairs += [(name, v) for v in chosen if v]
            continue
        pairs.append((name, typed(value) if found else control.value))
    return pairs


def _chosen(control: Control) -> list[str]:
    if control.tag == "select":
        return [value for value, selected in control.options if selected]
    if control.type in ("radio", "checkbox"):
        return [control.value] if "checked" in control.attrs else []
    return [control.value]


# --- the citizen --------------------------------------------------------------------------------------------------


class Citizen:
    """One browser (one session cookie) on the app, without JavaScript."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, status: int = 200) -> Page:
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code, response.text[:2000])
        return Page(response.text)

    def post(
        self,
        form: Form,
        pairs: Sequence[tuple[str, str]],
        *,
        action: str | None = None,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] = (),
        url: str | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        data: dict[str, list[str]] = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        if action is not None:
            data["action"] = [action]
        token = next((c.value for c in form.controls if c.name == "csrf_token"), None)
        if token is not None:
            data["csrf_token"] = [token]
        return self.client.post(url or form.action, data=data, files=list(files) or None, headers=headers)

    def start(self, slug: str) -> str:
        """« Faire la démarche » on the fiche: the URL of the first step."""
        fiche = self.get(f"/demarches/{slug}")
        response = self.post(fiche.forms[-1], [])
        assert response.status_code == 303, response.text[:2000]
        return response.headers["location"]

    def step(self, url: str, answers: Mapping[str, object]):
        """Fill the step at ``url`` with ``answers`` and press « Continuer »: the response (303 when accepted)."""
        page = self.get(url)
        page = self.add_items(page, answers)
        page = self.refresh(page, answers)
        return self.post(page.form, fill(page.form, answers), action="continuer")

    def go_to(self, slug: str, page_id: str, answers: Mapping[str, object]) -> str:
        """Start a draft and continue through the steps before ``page_id`` with ``answers``: that step's URL."""
        url = self.start(slug)
        for _ in range(20):
            if url.endswith(f"/etapes/{page_id}"):
                return url
            response = self.step(url, answers)
            assert response.status_code == 303, (url, Page(response.text).error_summary())
            url = response.headers["location"]
        raise AssertionError(f"never reached {page_id}")

    def add_items(self, page: Page, answers: Mapping[str, object]) -> Page:
        """Press each block's « Ajouter » until it has as many items as ``answers`` give it."""
        for _ in range(60):
            blocs = [value.partition(":")[2] for name, value in page.form.buttons() if value.startswith("ajouter:")]
            wanted = [bloc for bloc in blocs if len(answers.get(bloc) or ()) > _items(page.form, bloc)]  # type: ignore[arg-type]
            if not wanted:
                return page
            response = self.post(page.form, fill(page.form, answers), action=f"ajouter:{wanted[0]}")
            assert response.status_code == 200, response.text[:2000]
            page = Page(response.text)
        raise AssertionError("too many items added")

    def refresh(self, page: Page, answers: Mapping[str, object]) -> Page:
        """Press « Mettre à jour les questions » until the page stops changing (conditional questions shown)."""
        for _ in range(5):
            if not page.form.has_action("actualiser"):
                return page
            response = self.post(page.form, fill(page.form, answers), action="actualiser")
            assert response.status_code == 200, response.text[:2000]
            after = Page(response.text)
            if after.form.names() == page.form.names():
                return after
            page = after
        return page

    def pieces(self, url: str, document_day: Callable[[str], date]) -> Any:
        """Upload one small valid file for every pièce not marked optional, with its date when asked
        (``document_day``: the date of the document the usager has, by pièce key)."""
        page = self.get(url)
        files = []
        for control in page.form.controls:
            if control.type != "file":
                continue
            label = page.texts.get(f"{control.attrs['id']}-titre", "")
            if "(optionnel)" in label:
                continue
            accepted = control.attrs.get("accept", "").split(",")
            kind = next(k for k in ("pdf", "png", "jpg") if f".{k}" in accepted)
            files.append((control.name, FILES[kind]))
        dates = {name: name.split(".date_document.") for name in page.form.names() if ".date_document." in name}
        answers = {name: getattr(document_day(key), _DATE_PARTS[part]) for name, (key, part) in dates.items()}
        return self.post(page.form, fill(page.form, answers), action="continuer", files=files)

    def submit(self, url: str) -> Any:
        """On the récapitulatif: tick the declaration when there is one and send."""
        page = self.get(url)
        pairs = [("declaration", "oui")] if "declaration" in page.form.names() else []
        return self.post(page.form, pairs, action="envoyer")

    def until_summary(self, slug: str, answers: Mapping[str, object], document_day: Callable[[str], date]) -> str:
        """Start a draft and fill every step and pièce: the URL of the récapitulatif."""
        return self.finish(self.start(slug), answers, document_day)

    def finish(self, url: str, answers: Mapping[str, object], document_day: Callable[[str], date]) -> str:
        """Fill the steps and pièces from ``url`` on: the URL of the récapitulatif."""
        for _ in range(40):
            if url.endswith("/recapitulatif"):
                return url
            response = self.pieces(url, document_day) if url.endswith("/pieces") else self.step(url, answers)
            assert response.status_code == 303, (url, response.status_code, Page(response.text).error_summary())
            url = response.headers["location"]
            assert "/etapes/" in url or url.endswith(("/pieces", "/recapitulatif")), f"sent to {url}"
        raise AssertionError("the steps never end")

    def complete(
        self, slug: str, answers: Mapping[str, object], document_day: Callable[[str], date]
    ) -> tuple[str, Any]:
        """Walk the whole démarche: (the dossier id, the response of « Envoyer », a redirect to the récépissé)."""
        summary = self.until_summary(slug, answers, document_day)
        response = self.submit(summary)
        assert response.status_code == 303, (response.status_code, Page(response.text).error_summary())
        assert response.headers["location"].endswith("/recepisse"), response.headers["location"]
        return dossier_id(summary), response


def dossier_id(url: str) -> str:
    """The dossier id in a dossier URL."""
    return url.split("/dossiers/")[1].split("/")[0]


def _items(form: Form, bloc: str) -> int:
    return sum(1 for name in form.names() if re.fullmatch(rf"{bloc}\.\d+", name))


# --- the database -------------------------------------------------------------------------------------------------


@contextmanager
def database(url: str) -> Iterator[Any]:
    """A session on the app's database, for reading what it stored."""
    engine = create_db_engine(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def unsent(url: str) -> list[OutboxMessage]:
    """The e-mails of the outbox not sent yet."""
    with database(url) as session:
        messages = list(session.exec(select(OutboxMessage).where(col(OutboxMessage.sent_at).is_(None))))
        session.expunge_all()
        return messages


def all_sent(url: str, seconds: float = 10.0) -> None:
    """Wait until every queued e-mail has been sent: the app sends them after the response, in a thread, so a test
    waits on the outbox (bounded), never on a guessed delay."""
    deadline = time.monotonic() + seconds
    while left := unsent(url):
        assert time.monotonic() < deadline, f"{len(left)} courriel(s) toujours en attente : {left}"
        time.sleep(0.02)


def stored(url: str, key: str) -> tuple[Dossier, list[DossierEvent], list[PieceFile]]:
    """The dossier row, its history and its pièces as the database holds them."""
    with database(url) as session:
        dossier = session.get(Dossier, key)
        assert dossier is not None
        events = list(session.exec(select(DossierEvent).where(DossierEvent.dossier_id == key)))
        pieces = list(session.exec(select(PieceFile).where(PieceFile.dossier_id == key)))
        session.expunge_all()
        return dossier, events, pieces
