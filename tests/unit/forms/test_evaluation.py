"""The walk of a form: visibility, calculs, stops, pièces, dated parametres, and validation built on it."""

from datetime import date
from decimal import Decimal

from forms.cases import run_cases
from forms.definition import CasDeTest, Form
from forms.evaluation import evaluate
from forms.rules import compile_rules
from forms.validation import validate

TODAY = date(2026, 6, 1)

FORM = Form.model_validate(
    {
        "listes": {"situations": {"seul": "Seul(e)", "couple": "En couple"}},
        "parametres": {
            "smg": {
                "libelle": "SMG mensuel",
                "valeurs": [
                    {"depuis": date(2025, 1, 1), "valeur": 100000},
                    {"depuis": date(2026, 1, 1), "valeur": 110000},
                ],
            }
        },
        "pages": [
            {
                "id": "eligibilite",
                "titre": "Éligibilité",
                "champs": [{"id": "reside", "type": "oui_non", "libelle": "Résidez-vous en Province Sud ?"}],
                "arret_si": [{"id": "hors_province", "si": "not reside", "titre": "Non", "texte": "Réservé."}],
            },
            {
                "id": "foyer",
                "titre": "Votre foyer",
                "champs": [
                    {"id": "situation", "type": "choix", "liste": "situations", "libelle": "Situation"},
                    {
                        "id": "conjoint_revenus",
                        "type": "montant",
                        "libelle": "Revenus du conjoint",
                        "visible_si": 'situation == "couple"',
                    },
                    {
                        "id": "enfants",
                        "type": "bloc_repetable",
                        "libelle": "Enfant",
                        "max": 3,
                        "obligatoire": "non",
                        "champs": [
                            {"id": "prenom", "type": "texte", "libelle": "Prénom"},
                            {"id": "scolarise", "type": "oui_non", "libelle": "Scolarisé ?"},
                            {"id": "ecole", "type": "texte", "libelle": "École", "visible_si": "scolarise"},
                        ],
                    },
                ],
            },
            {
                "id": "revenus",
                "titre": "Vos revenus",
                "visible_si": "reside",
                "champs": [
                    {"id": "revenus", "type": "montant", "libelle": "Vos revenus", "min": 0},
                ],
            },
        ],
        "calculs": {
            "ressources": {"type": "montant", "expr": "revenus + si(rempli(conjoint_revenus), conjoint_revenus, 0)"},
            "plafond": {"type": "montant", "expr": "smg * 2"},
            "eligible": {"type": "oui_non", "expr": "ressources <= plafond"},
        },
        "pieces": [
            {
                "id": "certificat",
                "libelle": "Certificat de scolarité de {{ prenom }}",
                "formats": ["pdf"],
                "pour_chaque": "enfants",
                "visible_si": "scolarise",
            },
            {"id": "avis", "libelle": "Avis d'imposition", "formats": ["pdf"], "visible_si": "revenus > 0"},
            {"id": "facture", "libelle": "Facture", "formats": ["pdf"], "etats": ["paiement"]},
        ],
    }
)
RULES, PROBLEMS = compile_rules(FORM)

ANSWERS = {
    "reside": True,
    "situation": "couple",
    "conjoint_revenus": 50000,
    "enfants": [{"prenom": "Léa", "scolarise": True, "ecole": "Collège"}, {"prenom": "Tom", "scolarise": False}],
    "revenus": 120000,
}


def test_the_form_compiles_cleanly():
    assert [p for p in PROBLEMS if p.severity == "erreur"] == []


def test_conditions_calculs_and_dated_parametres():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    assert situation.values["ressources"] == Decimal(170000)
    assert situation.values["plafond"] == Decimal(220000)
    assert situation.values["eligible"] is True
    assert situation.pages == ("eligibilite", "foyer", "revenus")
    assert situation.is_visible("conjoint_revenus")
    assert "enfants.1.ecole" in situation.hidden and "enfants.0.ecole" not in situation.hidden


def test_the_submission_date_picks_the_parametre_not_today():
    situation = evaluate(RULES, ANSWERS, today=TODAY, reference_date=date(2025, 6, 1))
    assert situation.values["plafond"] == Decimal(200000)


def test_a_hidden_answer_counts_as_vide_and_is_dropped():
    answers = {**ANSWERS, "situation": "seul"}
    situation = evaluate(RULES, answers, today=TODAY)
    assert situation.values["conjoint_revenus"] is None
    assert situation.values["ressources"] == Decimal(120000)
    result = validate(RULES, answers, today=TODAY)
    assert "conjoint_revenus" not in result.answers and result.is_valid


def test_an_eligibility_stop_ends_the_walk():
    situation = evaluate(RULES, {"reside": False}, today=TODAY)
    assert situation.stop is not None and situation.stop.id == "hors_province"
    assert situation.pages == ("eligibilite",)
    assert situation.pieces == ()


def test_pieces_per_item_conditional_and_later():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    assert [(r.key, r.libelle) for r in situation.pieces] == [
        ("certificat.0", "Certificat de scolarité de Léa"),
        ("avis", "Avis d'imposition"),
    ]


def test_validation_reports_missing_and_wrong_answers_by_key():
    raw = {
        "reside": "oui",
        "situation": "couple",
        "enfants": [{"prenom": "", "scolarise": "peut-être"}],
        "revenus": "12,50",
    }
    result = validate(RULES, raw, today=TODAY)
    assert set(result.errors) == {"conjoint_revenus", "enfants.0.prenom", "enfants.0.scolarise", "revenus"}
    assert not result.is_valid


def test_one_step_is_validated_alone():
    result = validate(RULES, {"reside": "oui"}, today=TODAY, pages={"eligibilite"})
    assert result.is_valid


def test_an_unknown_answer_is_refused_even_outside_the_step():
    result = validate(RULES, {"reside": "oui", "pirate": "x"}, today=TODAY, pages={"eligibilite"})
    assert list(result.errors) == ["pirate"]


def test_a_block_above_its_max_is_refused():
    raw = {**ANSWERS, "enfants": [{"prenom": str(n), "scolarise": False} for n in range(4)]}
    assert "enfants" in validate(RULES, raw, today=TODAY).errors


def case(**fields):
    return CasDeTest.model_validate({"nom": "cas", "date": TODAY, **fields})


def test_a_case_that_holds_gives_no_problem():
    good = case(
        reponses={"reside": "oui", "revenus": 100000}, attendu={"valeurs": {"ressources": 100000, "eligible": "oui"}}
    )
    assert list(run_cases(RULES, (good,), today=TODAY)) == []


def test_a_wrong_expectation_shows_the_calcul_and_its_inputs():
    wrong = case(reponses={"reside": "oui", "revenus": 100000}, attendu={"valeurs": {"ressources": 90000}})
    (problem,) = run_cases(RULES, (wrong,), today=TODAY)
    assert problem.code == "T001"
    assert "ressources » vaut 100000, 90000 attendu" in problem.message
    assert "revenus = 100000" in problem.message


def test_complete_cases_validate_everything_and_partial_ones_only_what_they_give():
    partial = case(reponses={"reside": "non", "revenus": 5}, attendu={"arret": "hors_province"})
    assert list(run_cases(RULES, (partial,), today=TODAY)) == []
    complete = case(complet="oui", reponses={"reside": "oui", "revenus": 5})
    problems = list(run_cases(RULES, (complete,), today=TODAY))
    assert [p.code for p in problems] == ["T001"] and "situation" in problems[0].message


def test_expected_errors_and_visibility():
    expected = case(
        reponses={"reside": "oui", "revenus": -1, "situation": "seul"},
        attendu={"erreurs": ["revenus"], "masques": ["conjoint_revenus"], "visibles": ["revenus"]},
    )
    assert list(run_cases(RULES, (expected,), today=TODAY)) == []


def test_unknown_names_in_a_case_are_reported_with_a_suggestion():
    typo = case(reponses={"revenu": 1}, attendu={"valeurs": {"plafon": 1}})
    problems = list(run_cases(RULES, (typo,), today=TODAY))
    assert [(p.code, p.suggestion) for p in problems] == [
        ("R008", "Vouliez-vous dire « revenus » ?"),
        ("R008", "Vouliez-vous dire « plafond » ?"),
    ]


def test_a_stop_waits_for_the_answers_it_reads():
    assert evaluate(RULES, {}, today=TODAY).stop is None
    assert evaluate(RULES, {"reside": False}, today=TODAY).stop is not None


def test_a_retired_field_is_no_longer_asked():
    retired = Form.model_validate(
        {
            "pages": [
                {
                    "id": "p",
                    "titre": "P",
                    "champs": [
                        {"id": "ancien", "type": "texte", "libelle": "Ancienne question", "retire": "oui"},
                        {"id": "nouveau", "type": "texte", "libelle": "Nouvelle question"},
                    ],
                }
            ]
        }
    )
    rules, _ = compile_rules(retired)
    result = validate(rules, {"nouveau": "x"}, today=TODAY)
    assert result.is_valid and "ancien" in result.situation.hidden


def test_montant_calculs_are_whole_francs_rounded_half_up():
    halves = Form.model_validate(
        {
            "pages": [{"id": "p", "titre": "P", "champs": [{"id": "x", "type": "montant", "libelle": "X"}]}],
            "calculs": {
                "moitie": {"type": "montant", "expr": "x / 2"},
                "exacte": {"type": "nombre_decimal", "expr": "x / 2"},
            },
        }
    )
    rules, _ = compile_rules(halves)
    values = evaluate(rules, {"x": 7}, today=TODAY).values
    assert (values["moitie"], values["exacte"]) == (Decimal(4), Decimal("3.5"))
