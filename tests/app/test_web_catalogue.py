"""Every dispositif of the catalogue, filled end to end through the real app as a browser without JavaScript does.

The answers are the dispositif's own complete ``cas_de_test``: the form is generated, so nothing here is written
per dispositif. Each step is read from its HTML and filled in its input naming, the pièces get small real files,
the declaration is ticked, and what the database holds at the end is compared with the case validated directly."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from engine.answers_json import to_json
from engine.catalogue import Entry, load_file
from engine.services import CREATION
from forms.definition import CasDeTest
from forms.expressions import Context
from forms.validation import validate
from forms.validity import validity_error
from tests.app.web_helpers import Citizen, Web, scratch, stored, web_app

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue"
FILES = sorted(CATALOGUE.glob("*.yaml"))


def load(path: Path) -> Entry:
    result = load_file(path, today=date(2026, 6, 1))
    assert result.entry is not None, result.diagnostics
    return result.entry


def complete_case(entry: Entry) -> CasDeTest:
    """The first case that is a whole, valid submission."""
    cases = [
        case
        for case in entry.dispositif.cas_de_test
        if case.complet and not case.attendu.erreurs and case.attendu.arret in (None, "aucun")
    ]
    assert cases, f"{entry.slug} has no complete cas_de_test"
    return cases[0]


def document_days(entry: Entry, day: date):
    """The date a usager gives for a pièce's document: one its validité accepts (recent, last year's, or an expiry
    date ahead), as a person holding a valid document would type it."""
    pieces = {piece.id: piece for piece in entry.dispositif.pieces}
    context = Context(values={}, today=day)
    candidates = [day - timedelta(days=10), day + timedelta(days=365)]
    candidates += [date(day.year - years, 6, 15) for years in (1, 2, 3)]

    def pick(key: str) -> date:
        piece = pieces[key.split(".")[0]]
        return next(found for found in candidates if validity_error(piece, found, entry.rules, context) is None)

    return pick


def numero_pattern(template: str, year: int) -> str:
    """``BES-{annee}-{sequence:05}`` as a regex for that year."""
    pattern = ""
    for literal, name in re.findall(r"([^{]*)(\{[^}]*\})?", template):
        pattern += re.escape(literal)
        if name == "{annee}":
            pattern += str(year)
        elif name.startswith("{sequence"):
            width = re.search(r":0?(\d+)", name)
            pattern += rf"\d{{{width.group(1)}}}" if width else r"\d+"
        elif name:
            raise AssertionError(f"unknown part {name} in {template}")
    return pattern


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with scratch(tmp_path_factory, "catalogue") as tmp:
        yield web_app(tmp, CATALOGUE, date(2026, 5, 1))


def walk(web: Web, entry: Entry) -> None:
    case = complete_case(entry)
    assert case.date is not None
    web.clock.day = case.date
    with web.client() as client:
        citizen = Citizen(client)
        dossier_id, sent = citizen.complete(entry.slug, case.reponses, document_days(entry, case.date))
        receipt = citizen.get(sent.headers["location"])
        again = citizen.get("/mes-demarches")

    dossier, events, pieces = stored(web.url, dossier_id)
    template = entry.dispositif.dispositif.numerotation
    assert dossier.numero is not None
    assert re.fullmatch(numero_pattern(template, 2026), dossier.numero), (dossier.numero, template)
    assert dossier.numero in receipt.title or dossier.numero in receipt.html
    assert dossier.numero in again.html  # « Mes démarches » lists the dossier sent, by its number

    expected = validate(entry.rules, case.reponses, today=case.date)
    assert expected.is_valid, expected.errors
    assert dossier.answers == to_json(expected.answers)
    depot = entry.dispositif.instruction.depot()
    assert depot is not None
    assert (dossier.version, dossier.canal, dossier.etat) == (entry.version, "en_ligne", depot.vers)
    assert dossier.submitted_at is not None and dossier.page is not None
    initial = entry.dispositif.instruction.initial
    history = {(e.action, e.from_state, e.to_state) for e in events}
    assert len(events) == 2 and history == {(CREATION, None, initial), (depot.id, initial, depot.vers)}
    deposit = next(e for e in events if e.action == depot.id)
    assert deposit.data == {"numero": dossier.numero, "version": entry.version}
    required = [request.key for request in expected.situation.pieces if request.required]
    assert sorted(p.piece_key for p in pieces) == sorted(required)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_every_dispositif_can_be_completed_in_the_browser(web, path):
    walk(web, load(path))


@pytest.mark.parametrize("name", ["aide_medicale", "peche_professionnelle"])
def test_a_dispositif_with_blocks_end_to_end_on_each_database(database_url, db_engine, tmp_path, name):
    """Repeat blocks, per-item pièces and numbering on SQLite and PostgreSQL alike (``db_engine`` migrates: on
    PostgreSQL the app does not migrate at start)."""
    walk(web_app(tmp_path, CATALOGUE, date(2026, 5, 1), database_url), load(CATALOGUE / f"{name}.yaml"))
