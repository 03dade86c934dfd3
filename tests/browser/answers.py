"""Realistic answers: each dispositif's own ``cas_de_test`` marked ``complet: oui``, with the few dates those cases
fix for their test day (2026-05-01) moved to the day the test runs, so the journeys stay valid over the years."""

from datetime import date, timedelta
from typing import Any

from tests.browser.citizen import complete_case, today


def aide_medicale_answers() -> dict[str, Any]:
    """The couple with a child; Léa stays 7 years old (no income question for her under 16)."""
    answers = complete_case("aide_medicale")
    paul, lea = answers["membres"]
    answers["membres"] = [paul, {**lea, "membre_date_naissance": date(today().year - 7, 9, 20)}]
    return answers


def permis_answers(name: str | None = None) -> dict[str, Any]:
    """A permis de chasser case, the exam taken last month and the insurance valid for months."""
    answers = complete_case("permis_chasser", name)
    answers["date_examen"] = today() - timedelta(days=30)
    answers["fin_assurance"] = today() + timedelta(days=200)
    return answers


def minor_answers() -> dict[str, Any]:
    """Lucas, 17 years old whatever the day: his mother authorises the request."""
    answers = permis_answers("Jeune de 17 ans, avec l'accord de sa mère")
    answers["date_naissance"] = date(today().year - 17, 1, 1)
    return answers
