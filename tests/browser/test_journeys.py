"""A citizen completes two dispositifs end to end at 360 px, with JavaScript off and on (STYLE habit 10): from the
home page through the fiche, every step, a repeat block, the conditional pièces, the récapitulatif, to the récépissé.

The answers are the dispositifs' own ``cas_de_test`` marked ``complet: oui`` (tests/browser/answers.py)."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.answers import aide_medicale_answers, minor_answers
from tests.browser.citizen import Citizen, pdf, png, shoot, today


def test_aide_medicale_household_and_conditional_pieces(page: Page, js: bool) -> None:
    """A couple with a child: people added to (and removed from) the household, the pièces their answers call for,
    an answer changed from the récapitulatif, then the récépissé."""
    citizen = Citizen(page, js, "aide_medicale")
    answers = aide_medicale_answers()
    citizen.start()
    while citizen.step_id() != "foyer":
        citizen.answer_step(answers)
        citizen.continue_()
    citizen.answer_step(answers)  # Paul and Léa, each added with « Ajouter une personne »
    citizen.go(page.get_by_role("button", name="Ajouter une personne"))
    expect(page.get_by_role("group", name="Personne 3")).to_be_visible()
    citizen.go(page.get_by_role("button", name="Retirer Personne 3"))
    expect(page.locator(".element")).to_have_count(2)
    expect(page.get_by_role("group", name="Personne 2 — Léa Wamytan")).to_be_visible()
    citizen.continue_()
    citizen.answer_all_steps(answers)

    expect(page).to_have_url(re.compile(r"/pieces$"))
    expect(page.locator(".piece .libelle")).to_have_text(
        [
            "Votre pièce d'identité",
            "Justificatif de domicile de moins de 3 mois",
            "Vos justificatifs de ressources des 3 derniers mois",  # she has an income
            "Justificatifs de ressources de Paul",  # one per household member with an income: not Léa
            "Livret de famille ou actes de naissance des enfants",  # a child in the household
        ]
    )
    expect(page.get_by_text("Attestation de votre mutuelle")).to_have_count(0)  # no mutuelle
    day = today()
    citizen.attach("Votre pièce d'identité", png("carte-identite.png"), day + timedelta(days=700))
    citizen.attach("Justificatif de domicile de moins de 3 mois", pdf("facture-eau.pdf"), day - timedelta(days=20))
    citizen.attach("Vos justificatifs de ressources des 3 derniers mois", pdf("fiches-de-paie.pdf"))
    citizen.attach("Justificatifs de ressources de Paul", pdf("paie-paul.pdf"))
    citizen.attach("Livret de famille ou actes de naissance des enfants", pdf("livret.pdf"))
    citizen.continue_()

    expect(page).to_have_url(re.compile(r"/recapitulatif$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre demande avant de l'envoyer")
    main = page.locator("main")
    expect(main.get_by_text("Personne 1 — Paul Wamytan")).to_be_visible()
    expect(main.get_by_text("Personne 2 — Léa Wamytan")).to_be_visible()
    expect(main.get_by_text("60 000 F CFP")).to_be_visible()
    expect(main.get_by_text("paie-paul.pdf")).to_be_visible()
    citizen.go(main.get_by_role("link", name="Modifier : Numéro de téléphone"))
    expect(page).to_have_url(re.compile(r"/etapes/coordonnees\?retour=recapitulatif"))
    citizen.type_into(page.locator("#g-champs"), page.get_by_label("Numéro de téléphone"), "78 99 00")
    citizen.continue_()
    expect(page).to_have_url(re.compile(r"/recapitulatif$"))  # straight back, not through the next steps
    expect(main.get_by_text("78 99 00")).to_be_visible()
    citizen.declare_and_send()

    expect(page).to_have_url(re.compile(r"/recepisse$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande d'aide médicale est envoyée")
    expect(page.locator(".numero strong")).to_have_text(re.compile(rf"^AMG-{today().year}-\d{{5}}$"))
    expect(page.get_by_text("livret.pdf")).to_be_visible()


def test_permis_chasser_minor_needs_parental_pieces(page: Page, js: bool) -> None:
    """A 17-year-old: the parent's step appears, and with it two more pièces to attach."""
    citizen = Citizen(page, js, "permis_chasser")
    citizen.start()
    answers = minor_answers()
    citizen.answer_step(answers)  # identité: the date of birth makes him a minor
    citizen.go(page.get_by_role("button", name="Enregistrer et reprendre plus tard"))
    expect(page).to_have_url(re.compile(r"/mes-demarches$"))
    citizen.go(page.get_by_role("link", name="Reprendre : Permis de chasser"))
    expect(page).to_have_url(re.compile(r"/etapes/identite$"))  # where he left, his answers kept
    expect(page.get_by_label("Lieu de naissance")).to_have_value("Nouméa")
    citizen.continue_()
    citizen.answer_step(answers)  # coordonnées
    citizen.continue_()
    expect(page).to_have_url(re.compile(r"/etapes/representant_legal$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre parent ou tuteur")
    citizen.answer_all_steps(answers)

    expect(page).to_have_url(re.compile(r"/pieces$"))
    expect(page.locator(".piece .libelle")).to_have_text(
        [
            "Votre pièce d'identité",
            "Une photo d'identité récente",
            "Attestation de réussite à l'examen",
            "Attestation d'assurance chasse",
            "Autorisation signée de votre parent ou tuteur",
            "Pièce d'identité de votre parent ou tuteur",
        ]
    )
    day = today()
    citizen.attach("Votre pièce d'identité", pdf("identite.pdf"), day + timedelta(days=900))
    citizen.attach("Une photo d'identité récente", pdf("photo.png"))  # a PDF named .png: refused by its content
    citizen.attach("Attestation de réussite à l'examen", pdf("examen.pdf"))
    citizen.attach("Attestation d'assurance chasse", pdf("assurance.pdf"))
    citizen.attach("Autorisation signée de votre parent ou tuteur", pdf("autorisation.pdf"))
    citizen.attach("Pièce d'identité de votre parent ou tuteur", png("identite-mere.png"), day + timedelta(days=400))
    citizen.continue_()

    expect(page.locator(".resume-erreurs")).to_be_visible()
    photo = page.get_by_role("group", name="Une photo d'identité récente")
    expect(photo.locator(".erreur")).to_contain_text("Le fichier doit être au format")
    expect(page.get_by_role("link", name="examen.pdf")).to_be_visible()  # the good files are kept
    citizen.attach("Une photo d'identité récente", png("photo.png"))
    citizen.continue_()

    expect(page).to_have_url(re.compile(r"/recapitulatif$"))
    main = page.locator("main")
    expect(main.get_by_text("Sylvie", exact=True)).to_be_visible()
    expect(main.get_by_text("autorisation.pdf")).to_be_visible()
    citizen.declare_and_send()

    expect(page).to_have_url(re.compile(r"/recepisse$"))
    expect(page.locator(".numero strong")).to_have_text(re.compile(rf"^PCH-{today().year}-\d{{5}}$"))
    expect(page.get_by_text("identite-mere.png")).to_be_visible()


def test_conditional_question_appears_as_the_citizen_answers(js_page: Page) -> None:
    """With JavaScript, answering « Oui » shows the next question at once: no « Mettre à jour » to press."""
    page = js_page
    citizen = Citizen(page, True, "aide_medicale")
    citizen.start()
    update = page.get_by_role("button", name="Mettre à jour les questions")
    expect(update).to_be_hidden()
    since = page.get_by_role("group", name="Depuis quand habitez-vous en province Sud ?")
    expect(since).to_have_count(0)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Habitez-vous en province Sud ?")  # the only question is the page's title
    with page.expect_response(lambda response: response.url.endswith("/champs")):
        page.get_by_label("Oui", exact=True).check()
    expect(since).to_be_visible()
    expect(page.get_by_label("Oui", exact=True)).to_be_checked()
    expect(heading).to_have_text("Vérifions que vous pouvez faire cette demande")  # two questions: one h1 still
    with page.expect_response(lambda response: response.url.endswith("/champs")):
        page.get_by_label("Non", exact=True).check()
    expect(since).to_have_count(0)
    expect(heading).to_have_text("Habitez-vous en province Sud ?")
    shoot(page, "etape-conditionnelle-js")
