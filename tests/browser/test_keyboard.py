"""Keyboard alone (RGAA 7.3, 10.7, 12.13): a step filled and sent with Tab, Space, Enter and typing; the error
summary read first and its links leading to the fields; a visible focus on everything focusable. And the layout:
no horizontal scroll at 360 px (every page kind is checked in test_accessibility.py), a readable column at 1280 px."""

import re

from playwright.sync_api import Page, expect

from tests.browser.chromium import DESKTOP, PageFactory
from tests.browser.citizen import Citizen, shoot

_FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const label = element.labels && element.labels.length ? element.labels[0].textContent : element.textContent;
  return {
    tag: element.tagName.toLowerCase(), id: element.id, type: element.type || "", name: (label || "").trim(),
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth), boxShadow: style.boxShadow,
  };
}"""


def focused(page: Page) -> dict[str, object] | None:
    """What has the focus (tag, id, accessible text) and how its focus ring is drawn; None for the body."""
    found: dict[str, object] | None = page.evaluate(_FOCUSED)
    return found


def tab_to(page: Page, name: str | re.Pattern[str], limit: int = 40) -> dict[str, object]:
    """Press Tab until the focused element's label or text is ``name``; its focus must be visible on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = focused(page)
        if found is None:
            continue
        assert_visible_focus(found)
        text = str(found["name"])
        if (text == name) if isinstance(name, str) else name.search(text):
            return found
    raise AssertionError(f"« {name} » jamais atteint au clavier en {limit} tabulations")


def assert_visible_focus(found: dict[str, object]) -> None:
    """A focus ring of at least 2 px (or a box shadow) on the focused element."""
    ring = found["outline"] != "none" and float(str(found["width"])) >= 2
    assert ring or found["boxShadow"] != "none", f"focus invisible sur {found}"


def test_keyboard_alone_fills_and_sends_a_step(page: Page, js: bool) -> None:
    """From the fiche to the second step with Tab, Space, Enter and typing only; the focus always shows."""
    page.goto("/demarches/aide_medicale")
    tab_to(page, "Faire la démarche")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/etapes/eligibilite$"))

    radio = tab_to(page, "Oui")
    assert radio["type"] == "radio"
    if js:
        with page.expect_response(lambda response: response.url.endswith("/champs")):
            page.keyboard.press("Space")
        expect(page.get_by_label("Jour", exact=True)).to_be_visible()
        found = focused(page)
        assert found is not None and found["id"] == radio["id"], "htmx a perdu le focus en montrant la question"
    else:
        page.keyboard.press("Space")
        tab_to(page, "Mettre à jour les questions")
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the page comes back with the date question, the focus at its top
    expect(page.get_by_label("Oui", exact=True)).to_be_checked()

    tab_to(page, "Jour")
    for text in ("1", "3", "2015"):  # Jour, Mois, Année: a person types, then Tab
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    Citizen(page, js, "aide_medicale").settled()
    expect(page.get_by_label("Année", exact=True)).to_have_value("2015")
    expect(page.get_by_label("Mois", exact=True)).to_have_value("3")
    page.keyboard.press("Shift+Tab")  # back in the last box typed: Enter sends the form from there
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/etapes/identite$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre identité")


def test_error_summary_is_read_first_and_leads_to_each_field(page: Page, js: bool) -> None:
    """After a failed send, the summary has the focus (GOV.UK) and each of its links puts the focus in its field."""
    citizen = Citizen(page, js, "permis_chasser")
    citizen.start()
    page.get_by_label("Nom de naissance").fill("Dubois")
    page.keyboard.press("Enter")
    summary = page.locator(".resume-erreurs")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Erreur : "))
    expect(page.locator("#g-erreurs-titre")).to_be_focused()  # with htmx, once the swap has settled
    found = focused(page)
    assert found is not None and found["id"] == "g-erreurs-titre", f"le focus est sur {found}, pas sur le résumé"
    assert_visible_focus(found)

    links = summary.get_by_role("link")
    expect(links).to_have_text(
        ["Saisissez « Prénoms »", "Saisissez « Date de naissance »", "Saisissez « Lieu de naissance »"]
    )
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    for index in range(links.count()):
        link = links.nth(index)
        target = (link.get_attribute("href") or "").split("#")[-1]
        link.focus()
        page.keyboard.press("Enter")
        field = page.locator(f"[id='{target}']")
        expect(field).to_be_focused()
        assert field.evaluate("e => ['input', 'select', 'textarea'].includes(e.tagName.toLowerCase())")
    expect(page.get_by_label("Nom de naissance")).to_have_value("Dubois")  # the answers given are kept

    # The error shows as GOV.UK's red bar beside the question, not as a box around it.
    bar = page.locator(".champ-erreur").first.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderLeftWidth, s.borderTopWidth]; }"
    )
    assert bar == ["5px", "0px"], bar


def test_focus_is_visible_on_everything_focusable(js_page: Page) -> None:
    """Tab through a whole step, header to footer: every stop shows a focus ring."""
    page = js_page
    citizen = Citizen(page, True, "aide_medicale")
    citizen.start()
    citizen.answer_step({"habite_province_sud": "oui"})
    page.locator(".lien-evitement").focus()
    seen = [focused(page)]
    for _ in range(40):
        page.keyboard.press("Tab")
        found = focused(page)
        if found is None or (seen and found == seen[0]):
            break
        assert_visible_focus(found)
        seen.append(found)
    names = [str(found["name"]) for found in seen]
    for expected in ("Aller au contenu", "Retour", "Oui", "Jour", "Continuer", "Accessibilité"):
        assert expected in names, f"« {expected} » n'est pas atteignable au clavier : {names}"
    assert "Mettre à jour les questions" not in names  # htmx does it: the button is hidden, not just invisible


def test_desktop_keeps_a_readable_column(new_page: PageFactory) -> None:
    """At 1280 px: no horizontal scroll, the cards side by side, the form in a column of reading width."""
    page = new_page(js=True, viewport=DESKTOP)
    page.goto("/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= DESKTOP["width"]
    cards = page.get_by_role("region", name="Environnement").locator(".carte")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first and second and first["y"] == second["y"], "les cartes devraient être sur deux colonnes"
    shoot(page, "accueil-1280")
    citizen = Citizen(page, True, "aide_medicale")
    citizen.start()
    citizen.answer_step({"habite_province_sud": "oui"})
    form = page.locator("form.formulaire").bounding_box()
    assert form is not None and form["width"] <= 41 * 16, form
    assert page.evaluate("() => document.documentElement.scrollWidth") <= DESKTOP["width"]
    shoot(page, "etape-1280")
