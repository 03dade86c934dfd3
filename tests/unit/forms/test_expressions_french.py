"""What agents read of a rule: Expression.french()."""

import pytest

from forms.expressions import (
    BOOLEEN,
    DATE,
    NOMBRE,
    TEXTE,
    Scope,
    Symbol,
    bloc,
    code,
    compile_expression,
    fiche,
    liste_de,
)

SCOPE = Scope(
    symbols={
        "revenus": Symbol(NOMBRE, libelle="revenus annuels"),
        "parts": Symbol(NOMBRE),
        "nom": Symbol(TEXTE, libelle="nom"),
        "date_naissance": Symbol(DATE, libelle="date de naissance"),
        "boursier": Symbol(BOOLEEN, libelle="boursier"),
        "situation": Symbol(code("situations"), libelle="situation familiale"),
        "sports": Symbol(liste_de(code("situations")), libelle="situations passées"),
        "membres": Symbol(bloc({"revenu": NOMBRE, "actif": BOOLEEN}), libelle="membres du foyer"),
        "revenu": Symbol(NOMBRE, bloc="membres", libelle="revenu du membre"),
        "actif": Symbol(BOOLEEN, bloc="membres", libelle="actif"),
        "usager": Symbol(fiche({"nom_usage": TEXTE}), libelle="usager"),
    },
    listes={"situations": {"celibataire": "Célibataire", "marie": "Marié(e) ou pacsé(e)"}},
    baremes={"echelons": {"echelon": NOMBRE}},
)


@pytest.mark.parametrize(
    ("source", "french"),
    [
        ('situation == "marie"', "« situation familiale » est « Marié(e) ou pacsé(e) »"),
        (
            'situation != "marie" or not boursier',
            "« situation familiale » n'est pas « Marié(e) ou pacsé(e) » ou « boursier » vaut non",
        ),
        (
            'situation in ["marie", "celibataire"]',
            "« situation familiale » est « Marié(e) ou pacsé(e) » ou « Célibataire »",
        ),
        (
            'situation not in ["marie", "celibataire"]',
            "« situation familiale » n'est ni « Marié(e) ou pacsé(e) » ni « Célibataire »",
        ),
        ('"marie" in sports', "« situations passées » contient « Marié(e) ou pacsé(e) »"),
        ('"marie" not in sports', "« situations passées » ne contient pas « Marié(e) ou pacsé(e) »"),
        ("revenus == vide", "« revenus annuels » est vide"),
        ("revenus != vide", "« revenus annuels » est rempli"),
        ("vide(revenus) and rempli(nom)", "« revenus annuels » est vide et « nom » est rempli"),
        ("parts > 0", "« parts » est supérieur à 0"),
        ("0 < parts <= 10", "0 est inférieur à « parts » et « parts » est inférieur ou égal à 10"),
        ('date_naissance < date("2024-01-01")', "« date de naissance » est avant le 1er janvier 2024"),
        ("date_naissance >= aujourdhui - annees(18)", "« date de naissance » est au plus tôt aujourd'hui - 18 ans"),
        ("age(date_naissance) >= 18", "l'âge à partir de « date de naissance » est supérieur ou égal à 18"),
        ("age(date_naissance, aujourdhui)", "l'âge à partir de « date de naissance » à la date aujourd'hui"),
        ("1_200_000.5 + revenus * 0.5", "1\u202f200\u202f000,5 + « revenus annuels » × 0,5"),
        ("(revenus + parts) / 2", "(« revenus annuels » + « parts ») ÷ 2"),
        ("revenus - (parts - 1)", "« revenus annuels » - (« parts » - 1)"),
        ("-revenus", "-« revenus annuels »"),
        ("not (boursier and boursier)", "il est faux que (« boursier » et « boursier »)"),
        ("boursier and (boursier or boursier)", "« boursier » et (« boursier » ou « boursier »)"),
        ("si(boursier, 1, 1.2) * 3", "(si « boursier » alors 1 sinon 1,2) × 3"),
        ("arrondi(revenus / parts)", "l'arrondi de (« revenus annuels » ÷ « parts »)"),
        ("arrondi(revenus, 2)", "l'arrondi à 2 décimales de « revenus annuels »"),
        ("arrondi(revenus, -2)", "l'arrondi à 100 près de « revenus annuels »"),
        (
            'tranche("echelons", revenus, "echelon")',
            "la colonne « echelon » du barème « echelons » pour « revenus annuels »",
        ),
        (
            "existe(membres, actif and revenu > 0)",
            "au moins un élément de « membres du foyer » vérifie : "
            "(« actif » et « revenu du membre » est supérieur à 0)",
        ),
        ("tous(membres, actif)", "tous les éléments de « membres du foyer » vérifient : « actif »"),
        ("compte(membres, actif)", "le nombre d'éléments de « membres du foyer » qui vérifient : « actif »"),
        (
            "nombre(membres) + somme(membres.revenu)",
            "le nombre de « membres du foyer » + "
            "la somme de « revenu du membre » de chaque élément de « membres du foyer »",
        ),
        ("min(revenus, parts, 3)", "le plus petit de « revenus annuels », « parts », 3"),
        ("max(revenus, 3)", "le plus grand de « revenus annuels », 3"),
        ("longueur(nom) > 3", "la longueur de « nom » est supérieur à 3"),
        ("usager.nom_usage == nom", "« nom usage » de « usager » est « nom »"),
        ("annee(date_naissance) == 2024", "l'année de « date de naissance » est 2024"),
        ("date(2024, 1, parts)", "la date « parts »/1/2024"),
        ("jours(1) + mois(parts)", "1 jour + « parts » mois"),
        ('nom + " x"', "« nom » + «  x »"),
        ("boursier == oui", "« boursier » est oui"),
        ("boursier != non", "« boursier » n'est pas non"),
    ],
)
def test_french(source, french):
    assert compile_expression(source, SCOPE).french() == french


def test_french_of_a_sub_field_condition_uses_its_label():
    expression = compile_expression("actif and revenu > 0", SCOPE, bloc="membres")
    assert expression.french() == "« actif » et « revenu du membre » est supérieur à 0"


def test_french_of_a_multi_line_source():
    expression = compile_expression('boursier\n  and situation == "marie"\n', SCOPE)
    assert expression.french() == "« boursier » et « situation familiale » est « Marié(e) ou pacsé(e) »"
