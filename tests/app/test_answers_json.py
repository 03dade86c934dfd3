"""Canonical answers survive the trip to the JSON column and back, typed again by the form."""

import json
from datetime import date
from decimal import Decimal

from engine.answers_json import from_json, to_json
from engine.db import session_scope
from engine.services import get_owned, start_draft
from forms import compile_rules, validate
from forms.definition import Form

FORM = Form.model_validate(
    {
        "listes": {"aides": {"etat": "Bourse de l'État", "commune": "Aide de la commune"}},
        "pages": [
            {
                "id": "tout",
                "titre": "Toutes les sortes de réponses",
                "champs": [
                    {"id": "nom", "type": "texte", "libelle": "Nom"},
                    {"id": "naissance", "type": "date", "libelle": "Date de naissance"},
                    {"id": "taux", "type": "nombre_decimal", "libelle": "Taux", "decimales": 3},
                    {"id": "loyer", "type": "montant", "libelle": "Loyer"},
                    {"id": "enfants", "type": "nombre_entier", "libelle": "Enfants"},
                    {"id": "locataire", "type": "oui_non", "libelle": "Locataire ?"},
                    {"id": "accord", "type": "case_a_cocher", "libelle": "J'accepte"},
                    {"id": "aides", "type": "choix_multiple", "liste": "aides", "libelle": "Aides"},
                    {"id": "aide", "type": "choix", "liste": "aides", "libelle": "Aide principale"},
                    {"id": "scan", "type": "fichier", "libelle": "Scan", "formats": ["pdf"], "nombre_max": 3},
                    {
                        "id": "personnes",
                        "type": "bloc_repetable",
                        "libelle": "Personne",
                        "champs": [
                            {"id": "prenom", "type": "texte", "libelle": "Prénom"},
                            {"id": "arrivee", "type": "date", "libelle": "Arrivée"},
                            {"id": "part", "type": "nombre_decimal", "libelle": "Part"},
                        ],
                    },
                ],
            }
        ],
    }
)
RAW = {
    "nom": "Wamytan",
    "naissance": "27/03/2004",
    "taux": "0,125",
    "loyer": "85 000",
    "enfants": "2",
    "locataire": "oui",
    "accord": "on",
    "aides": ["commune", "etat"],
    "aide": "etat",
    "scan": ["a1b2", "c3d4"],
    "personnes": [
        {"prenom": "Marie", "arrivee": "2020-01-31", "part": "0.5"},
        {"prenom": "Paul", "arrivee": "1 2 2021", "part": "1"},
    ],
}


def canonical():
    rules, problems = compile_rules(FORM)
    assert problems == []
    result = validate(rules, RAW, today=date(2026, 9, 1))
    assert result.is_valid, result.errors
    return result.answers


def test_canonical_answers_have_python_types():
    answers = canonical()
    assert answers["naissance"] == date(2004, 3, 27)
    assert answers["taux"] == Decimal("0.125")
    assert answers["aides"] == ("etat", "commune")
    assert answers["personnes"][0]["arrivee"] == date(2020, 1, 31)


def test_round_trip_through_json_text():
    answers = canonical()
    stored = json.loads(json.dumps(to_json(answers)))
    assert stored["naissance"] == "2004-03-27"
    assert stored["taux"] == "0.125"
    assert stored["personnes"][1] == {"prenom": "Paul", "arrivee": "2021-02-01", "part": "1"}
    back = from_json(stored, FORM)
    assert back == answers
    assert type(back["aides"]) is tuple and type(back["personnes"]) is tuple and type(back["scan"]) is tuple


def test_round_trip_through_the_database(db_engine, minimal):
    answers = canonical()
    with session_scope(db_engine) as session:
        dossier = start_draft(session, minimal, "usager-a", prefill=answers)
    with session_scope(db_engine) as session:
        assert from_json(get_owned(session, dossier.id, "usager-a").answers, FORM) == answers


def test_values_without_the_expected_shape_are_kept_for_validation_to_report():
    stored = {"naissance": {"jour": "31", "mois": "02", "annee": "2026"}, "taux": "beaucoup", "inconnu": [1]}
    assert from_json(stored, FORM) == stored
