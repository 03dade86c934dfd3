"""axe-core on every kind of page the citizen meets (WCAG 2.1 A and AA: zero violations), each page also checked for
horizontal scrolling at 360 px and saved as a full-page screenshot under test-artifacts/screenshots/.

axe is injected with ``add_script_tag``, which the app's CSP (``script-src 'self'``) rightly blocks: these pages
are opened in a context with ``bypass_csp``. The CSP itself is checked on the real pages by every other test
(the page fixture fails on any violation) and by ``test_csp_violations_are_seen`` below."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Error as PlaywrightError, Page, expect

from tests.browser.answers import aide_medicale_answers, permis_answers
from tests.browser.chromium import AXE, PHONE, WATCH_CSP, PageFactory
from tests.browser.citizen import Citizen, shoot

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")} : ${n.failureSummary.replace(/\\s+/g, " ")}`),
  }));
}"""


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the page as it stands, one readable line per element."""
    if not AXE.exists():
        pytest.fail(f"{AXE} est absent : lancez « npm ci » (ou .ci/browser-deps)")
    page.add_script_tag(path=AXE)
    found = page.evaluate(_RUN_AXE, WCAG)
    return [f"{v['id']} ({v['impact']}) {v['help']} — {node}" for v in found for node in v["nodes"]]


def _settle(page: Page) -> None:
    page.wait_for_load_state()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


# -- how to reach each kind of page --------------------------------------------------------------------------------


def home(page: Page) -> None:
    page.goto("/")


def search(page: Page) -> None:
    page.goto("/?q=chasse")


def fiche(page: Page) -> None:
    page.goto("/demarches/aide_medicale")


def closed_fiche(page: Page) -> None:
    page.goto("/demarches/peche_professionnelle")
    expect(page.get_by_text("Cette démarche est fermée")).to_be_visible()


def step(page: Page) -> None:
    citizen = Citizen(page, True, "aide_medicale")
    citizen.start()
    citizen.answer_step({"habite_province_sud": "oui"})
    expect(page.get_by_role("group", name="Depuis quand habitez-vous en province Sud ?")).to_be_visible()


def step_with_errors(page: Page) -> None:
    citizen = Citizen(page, True, "permis_chasser")
    citizen.start()
    citizen.continue_()
    expect(page.locator(".resume-erreurs")).to_be_visible()


def block_step(page: Page) -> None:
    citizen = Citizen(page, True, "aide_medicale")
    citizen.start()
    answers = aide_medicale_answers()
    while citizen.step_id() != "foyer":
        citizen.answer_step(answers)
        citizen.continue_()
    citizen.answer_step(answers)
    expect(page.get_by_role("group", name="Personne 2 — Léa Wamytan")).to_be_visible()


def stop(page: Page) -> None:
    citizen = Citizen(page, True, "aide_medicale")
    citizen.start()
    citizen.answer_step({"habite_province_sud": "non"})
    citizen.continue_()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vous ne pouvez pas demander l'aide médicale de la province Sud"
    )


def _permis_to_pieces(page: Page) -> Citizen:
    citizen = Citizen(page, True, "permis_chasser")
    citizen.start()
    citizen.answer_all_steps(permis_answers())
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos justificatifs")
    return citizen


def pieces_with_errors(page: Page) -> None:
    citizen = _permis_to_pieces(page)
    citizen.continue_()
    expect(page.locator(".resume-erreurs")).to_be_visible()


def _permis_to_summary(page: Page) -> Citizen:
    citizen = _permis_to_pieces(page)
    citizen.attach_all()
    citizen.continue_()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre demande avant de l'envoyer")
    return citizen


def summary(page: Page) -> None:
    _permis_to_summary(page)


def summary_with_error(page: Page) -> None:
    citizen = _permis_to_summary(page)
    citizen.go(page.get_by_role("button", name="Envoyer ma demande de permis de chasser"))
    expect(page.locator(".resume-erreurs")).to_be_visible()


def receipt(page: Page) -> None:
    citizen = _permis_to_summary(page)
    citizen.declare_and_send()
    expect(page.locator(".numero strong")).to_be_visible()


def my_dossiers(page: Page) -> None:
    draft = Citizen(page, True, "aide_medicale")
    draft.start()
    draft.answer_step({"habite_province_sud": "oui", "date_installation": aide_medicale_answers()["date_installation"]})
    draft.go(page.get_by_role("button", name="Enregistrer et reprendre plus tard"))
    receipt(page)
    Citizen(page, True, "permis_chasser").go(page.get_by_role("link", name="Suivre mes démarches"))
    expect(page.get_by_role("link", name="Reprendre : Carte d'aide médicale")).to_be_visible()
    expect(page.get_by_role("link", name="Permis de chasser")).to_be_visible()


def privacy(page: Page) -> None:
    page.goto("/donnees-personnelles")


def accessibility(page: Page) -> None:
    page.goto("/accessibilite")


def not_found(page: Page) -> None:
    response = page.goto("/demarches/n-existe-pas")
    assert response is not None and response.status == 404


PLACES: dict[str, Callable[[Page], None]] = {
    "accueil": home,
    "recherche": search,
    "fiche": fiche,
    "fiche-fermee": closed_fiche,
    "etape": step,
    "etape-erreurs": step_with_errors,
    "etape-bloc": block_step,
    "arret": stop,
    "pieces-erreurs": pieces_with_errors,
    "recapitulatif": summary,
    "recapitulatif-erreur": summary_with_error,
    "recepisse": receipt,
    "mes-demarches": my_dossiers,
    "donnees-personnelles": privacy,
    "accessibilite": accessibility,
    "introuvable": not_found,
}


@pytest.mark.parametrize("place", PLACES)
def test_page_passes_axe_and_fits_360px(new_page: PageFactory, place: str) -> None:
    """No WCAG 2.1 A/AA violation, no horizontal scroll on a 360 px phone; the page is saved as a screenshot."""
    page = new_page(js=True, bypass_csp=True)
    PLACES[place](page)
    _settle(page)
    shoot(page, place)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{place} : la page défile horizontalement ({width} px de large pour 360)"
    violations = axe_violations(page)
    assert not violations, f"{place} : violations axe-core\n" + "\n".join(violations)


def test_csp_violations_are_seen(browser: Browser, app_url: str) -> None:
    """The real pages carry the CSP, and the watch every other test relies on does report a violation."""
    context = browser.new_context(base_url=app_url, viewport=PHONE)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    response = page.goto("/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert not seen, seen
    with pytest.raises(PlaywrightError):
        page.add_script_tag(content="window.injecte = true")
    assert page.evaluate("() => window.injecte") is None
    for _ in range(20):
        if any("securitypolicyviolation: script-src" in text for text in seen):
            break
        page.wait_for_timeout(100)
    assert any("securitypolicyviolation: script-src" in text for text in seen), seen
    context.close()


def test_axe_sees_a_violation(new_page: PageFactory) -> None:
    """The harness is not blind: an image without text and a pale paragraph are reported."""
    page = new_page(js=True, bypass_csp=True)
    page.goto("/")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.append(Object.assign(document.createElement("img"), {src: "/static/absente.png"}));
          main.append(Object.assign(document.createElement("p"), {className: "aide", textContent: "pâle"}));
          main.lastChild.setAttribute("style", "color: #cccccc");
        }"""
    )
    found = {line.split(" ")[0] for line in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= found, found
