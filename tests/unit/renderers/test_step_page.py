"""A step page drawn from its kept frame and fields is byte for byte step.html rendered in full, whatever the
usager typed, whatever the errors, whoever came before."""

from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from forms.evaluation import evaluate
from renderers.html import environment, page_renderer
from renderers.site import Site, Theme
from renderers.step_page import draw_step
from renderers.views import build_page
from tests.unit.renderers.sample_form import ANSWERS, FORM, RULES, TODAY
from tests.unit.renderers.test_prerender import FILES, RAW_ANSWERS, TEXT

THEME, SITE = Theme(logo_url="/static/logo.svg"), Site()
ERROR_KEYS = st.lists(st.sampled_from(["nom", "date_naissance", "aides", "adresse", "inconnu"]), max_size=3)


def _pages(answers: dict[str, Any], errors: dict[str, list[str]]) -> list[Any]:
    situation = evaluate(RULES, {**ANSWERS, "a_aides": answers.get("a_aides") == "oui"}, today=TODAY)
    return [build_page(FORM, page, situation, answers, errors, files=FILES, rules=RULES) for page in FORM.pages]


def _urls(dossier: str) -> dict[str, str]:
    return {
        "action_url": f"/dossiers/{dossier}/etapes/tout",
        "refresh_url": f"/dossiers/{dossier}/etapes/tout/champs",
        "back_url": f"/demarches/x?d={dossier}",
        "csrf_token": f"jeton-{dossier}",
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=RAW_ANSWERS, answers=RAW_ANSWERS, error_keys=ERROR_KEYS, message=TEXT, dossier=TEXT)
def test_a_kept_frame_draws_exactly_what_the_template_draws(before, answers, error_keys, message, dossier):
    env = environment()
    pages = page_renderer(env)
    errors = {key: [message or "Erreur"] for key in error_keys}
    for view in _pages(before, errors):  # another usager went through the same shapes first
        draw_step(pages, view, theme=THEME, site=SITE, titre_dispositif="Aide <à> « tout »", **_urls("autre"))
    for view in _pages(answers, errors):
        urls = _urls(dossier)
        expected = env.get_template("step.html").render(
            theme=THEME, site=SITE, titre_dispositif="Aide <à> « tout »", page=view, **urls
        )
        drawn = draw_step(pages, view, theme=THEME, site=SITE, titre_dispositif="Aide <à> « tout »", **urls)
        assert drawn == expected, view.id


def test_one_usager_s_urls_and_token_never_reach_the_next():
    pages = page_renderer(environment())
    (view,) = _pages({"nom": "Wamytan"}, {})[:1]
    first = draw_step(pages, view, theme=THEME, site=SITE, titre_dispositif="Aide", **_urls("aaaa"))
    (view,) = _pages({"nom": "Gope"}, {})[:1]
    second = draw_step(pages, view, theme=THEME, site=SITE, titre_dispositif="Aide", **_urls("bbbb"))
    assert "aaaa" in first and "Wamytan" in first
    assert "aaaa" not in second and "Wamytan" not in second and "jeton-bbbb" in second and "Gope" in second
    assert len(pages._drawn) == 1  # the second page was drawn from the first one's shape
