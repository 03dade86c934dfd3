"""Random posts to every step of every catalogue form: never a 500, never an answer stored that the form refuses.

Each step gets a draft of its own, walked there with the dispositif's complete ``cas_de_test``; each example puts
the draft back as it was, then posts a mix of the page's real names and made-up ones, with random text, unicode,
huge numbers, empties and repeated names, and a random button, always with a valid CSRF token."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import Session

from engine.answers_json import from_json
from engine.catalogue import Entry, load_file
from engine.db import create_db_engine
from engine.storage import Dossier
from forms.definition import CasDeTest
from forms.evaluation import items
from forms.validation import validate
from tests.app.web_helpers import Citizen, Page, dossier_id, fill, scratch, web_app

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue"
ENTRIES = {path.stem: load_file(path, today=date(2026, 6, 1)).entry for path in sorted(CATALOGUE.glob("*.yaml"))}


def case_through(entry: Entry, page_id: str) -> CasDeTest | None:
    """A complete, valid case whose usager goes through ``page_id`` (a page may be skipped by the answers)."""
    for case in entry.dispositif.cas_de_test:
        if case.complet and not case.attendu.erreurs and case.date is not None:
            if page_id in validate(entry.rules, case.reponses, today=case.date).situation.pages:
                return case
    return None


STEPS = [
    (slug, page.id)
    for slug, entry in ENTRIES.items()
    if entry is not None
    for page in entry.dispositif.pages
    if case_through(entry, page.id) is not None
]
ALLOWED = {200, 303, 400, 409, 413, 422}

NASTY = ["", " ", "oui", "non", "0", "-5", "1", "1e400", "NaN", "∞", "99999999999999999999999999999", "1 000,50",
         "150000,50", "31", "02", "2100", "1850", "31/02/2020", "\x00", "'; DROP TABLE dossier; --", "<script>",
         "é" * 700, "\u202e", "77 12 34", "FR7614448000024012345678901", "1234567.001"]  # fmt: skip


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with scratch(tmp_path_factory, "hasard") as tmp:
        yield web_app(tmp, CATALOGUE, date(2026, 5, 1))


@pytest.fixture(scope="module")
def db(web):
    engine = create_db_engine(web.url)
    yield engine
    engine.dispose()


def kept_errors(entry: Entry, page_id: str, answers: dict[str, object], day: date) -> dict[str, tuple[str, ...]]:
    """The errors validate() finds, for this page, on answers that are stored (a missing one is a draft's right)."""
    result = validate(entry.rules, answers, today=day, pages={page_id})
    return {key: messages for key, messages in result.errors.items() if stored_value(answers, key) is not None}


def stored_value(answers: dict[str, object], key: str) -> object:
    head, _, rest = key.partition(".")
    value = answers.get(head)
    if not rest:
        return value
    index, _, sub = rest.partition(".")
    rows = items(value)
    if not index.isdigit() or int(index) >= len(rows):
        return None
    return rows[int(index)].get(sub.partition(".")[0]) if sub else rows[int(index)]


def posts_for(page: Page):
    """What a browser posts on this page (its current values), with some inputs given other values, sometimes
    names no input has, a button (or anything under ``action``), and to the page or its htmx refresh."""
    names = page.form.names() or ["x"]
    typed = [c.name for c in page.form.controls if c.tag in ("input", "textarea") and c.type in ("text", "tel", "email",
             "textarea")] or names  # fmt: skip
    offered = [value for name in names for value in page.form.choices(name)]
    value = st.one_of(
        st.integers(min_value=-(10**6), max_value=10**13).map(str),  # numbers that read, in range or not
        st.sampled_from(NASTY),
        st.text(max_size=40),
        st.text(alphabet="ab é'", min_size=200, max_size=800),
        st.sampled_from(offered or [""]),
    )
    forged = st.one_of(
        st.from_regex(r"[a-z_]{1,12}(\.[0-9a-z_]{1,8}){0,3}", fullmatch=True),
        st.sampled_from(names).flatmap(lambda n: st.sampled_from([f"{n}.0", f"{n}.jour", f"{n}.99", n + "x"])),
    )
    # Each typed input is left as it is or given a value, half the time each: an example changes several at once.
    typing = st.fixed_dictionaries({}, optional=dict.fromkeys(typed, value)).map(lambda found: list(found.items()))
    others = st.lists(st.tuples(st.sampled_from(names), value), max_size=3)
    changes = st.tuples(typing, others).map(lambda both: both[0] + both[1])
    extras = st.one_of(st.just([]), st.just([]), st.lists(st.tuples(forged, value), min_size=1, max_size=3))
    buttons = ["continuer", "enregistrer", "actualiser"] + [v for n, v in page.form.buttons() if n == "action"]
    action = st.one_of(st.sampled_from(["continuer", "enregistrer"]), st.sampled_from(buttons), st.text(max_size=20))
    return st.tuples(changes, extras, action, st.sampled_from([False, False, False, True]))


@pytest.mark.parametrize(("slug", "page_id"), STEPS, ids=[f"{s}-{p}" for s, p in STEPS])
def test_random_posts_never_fail_nor_store_a_refused_answer(web, db, slug, page_id):
    entry = ENTRIES[slug]
    assert entry is not None
    case = case_through(entry, page_id)
    assert case is not None and case.date is not None
    web.clock.day = case.date
    with web.client() as client:
        citizen = Citizen(client)
        url = citizen.go_to(slug, page_id, case.reponses)
        page = citizen.get(url)
        with Session(db) as session:
            start = session.get(Dossier, dossier_id(url))
            assert start is not None
            before = (dict(start.answers), start.page)

        @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(posts_for(page))
        def post_random(example):
            changes, extras, action, htmx = example
            changed = {name for name, _ in changes}
            pairs = [pair for pair in fill(page.form, {}) if pair[0] not in changed] + changes + extras
            with Session(db) as session:  # the draft as it was before any example
                draft = session.get(Dossier, dossier_id(url))
                assert draft is not None
                draft.answers, draft.page = dict(before[0]), before[1]
                session.commit()

            response = citizen.post(page.form, pairs, action=action, url=url + "/champs" if htmx else url)

            assert response.status_code in ALLOWED, (response.status_code, response.text[-2000:])
            with Session(db) as session:
                after = session.get(Dossier, dossier_id(url))
                assert after is not None
                answers = dict(after.answers)
            if response.status_code != 303:
                assert answers == before[0], "a refused request changed the draft"
            canonical = from_json(answers, entry.dispositif)
            assert not kept_errors(entry, page_id, canonical, case.date), (pairs, action)

        post_random()
