"""A form that asks every field type once (and a date inside a block), with answers that pass validation."""

from datetime import date
from decimal import Decimal

from forms.definition import Form
from forms.evaluation import Situation
from forms.rules import compile_rules

TODAY = date(2026, 9, 1)

FORM = Form.model_validate(
    {
        "listes": {
            "couleurs": {f"c{n}": f"Couleur {n}" for n in range(1, 9)},
            "liens": {"parent": "Parent", "conjoint": "Conjoint(e)"},
            "aides": {"bourse": "Bourse de l'État", "commune": "Aide de la commune", "aucune": "Aucune de ces aides"},
            "salles": [
                {"code": "petite", "libelle": "Petite salle", "aide": "20 places"},
                {"code": "grande", "libelle": "Grande salle", "visible_si": "a_aides"},
            ],
        },
        "pages": [
            {
                "id": "tout",
                "titre": "Toutes les questions",
                "section": "Vous",
                "champs": [
                    {"id": "nom", "type": "texte", "libelle": "Nom de naissance", "prerempli": "usager.nom_naissance"},
                    {"id": "prenoms", "type": "texte", "libelle": "Prénoms"},
                    {"id": "projet", "type": "texte_long", "libelle": "Votre projet", "longueur_max": 500},
                    {"id": "enfants", "type": "nombre_entier", "libelle": "Nombre d'enfants", "unite": "enfants"},
                    {"id": "surface", "type": "nombre_decimal", "libelle": "Surface", "unite": "m²"},
                    {"id": "revenus", "type": "montant", "libelle": "Vos revenus"},
                    {"id": "date_naissance", "type": "date", "libelle": "Date de naissance"},
                    {"id": "a_aides", "type": "oui_non", "libelle": "Recevez-vous des aides ?"},
                    {"id": "aides", "type": "choix_multiple", "liste": "aides", "libelle": "Lesquelles ?",
                     "visible_si": "a_aides", "exclusif": "aucune"},
                    {"id": "couleur", "type": "choix", "liste": "couleurs", "libelle": "Couleur préférée"},
                    {"id": "salle", "type": "choix", "liste": "salles", "libelle": "Salle", "obligatoire": "non"},
                    {"id": "engagement", "type": "case_a_cocher", "libelle": "Je m'engage à dire vrai"},
                    {"id": "email", "type": "email", "libelle": "Adresse électronique"},
                    {"id": "telephone", "type": "telephone", "libelle": "Téléphone"},
                    {"id": "adresse", "type": "adresse", "libelle": "Adresse"},
                    {"id": "commune_naissance", "type": "commune", "libelle": "Commune de naissance"},
                    {"id": "iban", "type": "iban", "libelle": "IBAN"},
                    {"id": "ridet", "type": "ridet", "libelle": "Numéro RIDET", "obligatoire": "non"},
                    {"id": "photo", "type": "fichier", "libelle": "Photo du terrain", "formats": ["jpg", "png"],
                     "nombre_max": 2, "obligatoire": "non"},
                ],
            },
            {
                "id": "foyer",
                "titre": "Votre foyer",
                "section": "Votre foyer",
                "champs": [
                    {
                        "id": "membres",
                        "type": "bloc_repetable",
                        "libelle": "Personnes du foyer",
                        "libelle_element": "{{ membre_prenom }}",
                        "bouton_ajouter": "Ajouter une personne",
                        "min": 1,
                        "max": 3,
                        "champs": [
                            {"id": "membre_prenom", "type": "texte", "libelle": "Prénom"},
                            {"id": "membre_naissance", "type": "date", "libelle": "Date de naissance"},
                            {"id": "membre_lien", "type": "choix", "liste": "liens", "libelle": "Lien avec vous"},
                            {"id": "membre_a_revenus", "type": "oui_non", "libelle": "A-t-elle des revenus ?"},
                            {"id": "membre_revenus", "type": "montant", "libelle": "Ses revenus",
                             "visible_si": "membre_a_revenus"},
                        ],
                    }
                ],
            },
            {
                "id": "choix_unique",
                "titre": "Une seule question",
                "champs": [{"id": "lieu", "type": "commune", "libelle": "Où habitez-vous ?"}],
            },
        ],
        "calculs": {
            "total": {"type": "montant", "libelle": "Revenus du foyer", "afficher": ["foyer", "recapitulatif"],
                      "expr": "revenus + somme(membres.membre_revenus)"},
        },
        "pieces": [
            {"id": "domicile", "libelle": "Justificatif de domicile", "formats": ["pdf", "jpg", "png"],
             "taille_max": "5 Mo", "validite": {"moins_de": "3 mois", "date_du_document": "demandee"}},
            {"id": "avis", "libelle": "Avis d'imposition de {{ membre_prenom }}", "formats": ["pdf"],
             "pour_chaque": "membres", "visible_si": "membre_a_revenus", "nombre_max": 3},
        ],
        "recapitulatif": {"declaration": "Je certifie l'exactitude de mes réponses.", "bouton": "Envoyer ma demande"},
    }
)  # fmt: skip

RULES, PROBLEMS = compile_rules(FORM)

EXPLAINED = Form.model_validate(
    {
        "pages": [
            {
                "id": "lire",
                "titre": "À lire avant de répondre",
                "champs": [
                    {"id": "info", "type": "explication", "style": "encadre", "libelle": "Important",
                     "texte": "Lisez bien.\n\nDeuxième paragraphe."},
                    {"id": "plus", "type": "explication", "style": "details", "texte": "Les détails."},
                    {"id": "simple", "type": "explication", "texte": "Un paragraphe."},
                    {"id": "accord", "type": "oui_non", "libelle": "Êtes-vous d'accord ?"},
                ],
            }
        ]
    }
)  # fmt: skip
EXPLAINED_SITUATION = Situation(
    values={}, pages=("lire",), hidden=frozenset(), stop=None, stop_page=None, pieces=(),
    required=frozenset({"accord"}), reference_date=TODAY,
)  # fmt: skip
"""Written out: forms.evaluation.evaluate fails on a page holding an explication (it reads ``field.retire``, which
Explication does not declare); see test_views.test_evaluate_accepts_an_explication."""

ANSWERS: dict[str, object] = {
    "nom": "Wamytan",
    "prenoms": "Léa Marie",
    "projet": "Ouvrir un atelier.\nÀ Nouméa.",
    "enfants": 2,
    "surface": Decimal("12.5"),
    "revenus": 1_200_000,
    "date_naissance": date(2001, 7, 3),
    "a_aides": True,
    "aides": ("bourse", "commune"),
    "couleur": "c8",
    "salle": "grande",
    "engagement": True,
    "email": "lea@exemple.nc",
    "telephone": "+687771234",
    "adresse": {"ligne1": "12 rue de Sébastopol", "ligne2": None, "code_postal": "98800", "commune": "noumea"},
    "commune_naissance": "ile_des_pins",
    "iban": "FR7630006000011234567890189",
    "ridet": "1234567.001",
    "photo": ("f-1",),
    "membres": (
        {"membre_prenom": "Marie", "membre_naissance": date(1970, 1, 1), "membre_lien": "parent",
         "membre_a_revenus": True, "membre_revenus": 1_500_000},
        {"membre_prenom": "Paul", "membre_naissance": date(1999, 12, 31), "membre_lien": "conjoint",
         "membre_a_revenus": False},
    ),
    "lieu": "mont_dore",
}  # fmt: skip
