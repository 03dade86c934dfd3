"""Every error code, with its exact place, and every refused construct (E002), one test each."""

from decimal import Decimal

import pytest

from forms.expressions import (
    BOOLEEN,
    DATE,
    NOMBRE,
    TEXTE,
    VIDE,
    ExpressionErrors,
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
        "n": Symbol(NOMBRE),
        "m": Symbol(NOMBRE, minimum=Decimal(1)),
        "t": Symbol(TEXTE),
        "d": Symbol(DATE),
        "b": Symbol(BOOLEEN),
        "situation": Symbol(code("situations")),
        "choix": Symbol(liste_de(code("situations"))),
        "membres": Symbol(bloc({"revenu": NOMBRE, "actif": BOOLEEN})),
        "revenu": Symbol(NOMBRE, bloc="membres"),
        "actif": Symbol(BOOLEEN, bloc="membres"),
        "enfants": Symbol(bloc({"age_enfant": NOMBRE})),
        "age_enfant": Symbol(NOMBRE, bloc="enfants"),
        "usager": Symbol(fiche({"nom": TEXTE})),
    },
    listes={"situations": {"celibataire": "Célibataire", "marie": "Marié(e)"}},
    baremes={"echelons": {"echelon": NOMBRE}},
)


def errors(source, **options):
    with pytest.raises(ExpressionErrors) as raised:
        compile_expression(source, SCOPE, **options)
    return raised.value.errors


def only(source, **options):
    (error,) = errors(source, **options)
    return error


def where(error):
    return error.code, error.line, error.column, error.end_column


def warnings(source, **options):
    return [(w.code, w.column, w.end_column) for w in compile_expression(source, SCOPE, **options).warnings]


# --- E001 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "position", "words"),
    [
        ("n ==", (1, 4, 5), "incomplète"),
        ('"abc', (1, 0, 1), "guillemet"),
        ("(n + 1", (1, 0, 1), "jamais fermé"),
        ("n + 1)", (1, 5, 6), "en trop"),
        ('situation = "marie"', (1, 10, 11), "=="),
        ("n $ 2", (1, 2, 3), "syntaxe invalide"),
        ("12abc", (1, 1, 2), "nombre mal écrit"),
        ("[1, 2)", (1, 5, 6), "ne ferme pas"),
        ("a ’ b", (1, 2, 3), "« ’ »"),
        ('"a\\d" == t', (1, 0, 5), "barre oblique"),
        ("", (1, 0, 0), "vide"),
        ("n ==\n  (t", (2, 2, 3), "jamais fermé"),
        ("b and\n   n >", (2, 6, 7), "incomplète"),
    ],
)
def test_syntax_errors_are_e001_at_the_place_python_gives(source, position, words):
    error = only(source)
    assert (error.code, error.line, error.column, error.end_column) == ("E001", *position)
    assert words in error.message


def test_positions_count_characters_not_bytes():
    error = only('"é" == t and t ==')
    assert (error.line, error.column) == (1, 17)


# --- E002 ----------------------------------------------------------------------------------------------------------


def test_conditional_expression_is_refused_with_si_as_alternative():
    error = only("n if b else m")
    assert where(error) == ("E002", 1, 0, 13)
    assert "si(condition, valeur_si_vrai, valeur_si_faux)" in error.message


def test_power_is_refused():
    assert where(only("n ** 2")) == ("E002", 1, 0, 6)


def test_modulo_is_refused():
    assert where(only("n % 2")) == ("E002", 1, 0, 5)


def test_floor_division_is_refused():
    assert where(only("n // 2")) == ("E002", 1, 0, 6)


def test_bitwise_and_is_refused_with_and_as_alternative():
    error = only("b & b")
    assert where(error) == ("E002", 1, 0, 5)
    assert "utilisez and" in error.message


def test_bitwise_or_is_refused_with_or_as_alternative():
    error = only("b | b")
    assert where(error) == ("E002", 1, 0, 5)
    assert "utilisez or" in error.message


@pytest.mark.parametrize("source", ["n ^ 2", "n << 2", "n >> 2", "n @ m"])
def test_other_binary_operators_are_refused(source):
    assert where(only(source)) == ("E002", 1, 0, len(source))


def test_bitwise_not_is_refused_with_not_as_alternative():
    error = only("~n")
    assert where(error) == ("E002", 1, 0, 2)
    assert "utilisez not" in error.message


def test_subscript_is_refused():
    assert where(only("t[0]")) == ("E002", 1, 0, 4)


def test_slice_is_refused():
    assert where(only("t[1:2]")) == ("E002", 1, 0, 6)


def test_lambda_is_refused():
    assert where(only("lambda x: x")) == ("E002", 1, 0, 11)


@pytest.mark.parametrize(
    "source", ["[x for x in choix]", "{x for x in choix}", "{x: 1 for x in choix}", "(x for x in choix)"]
)
def test_comprehensions_are_refused(source):
    error = only(source)
    assert where(error) == ("E002", 1, 0, len(source))
    assert "existe" in error.message


def test_f_strings_are_refused():
    assert where(only('f"{t}"')) == ("E002", 1, 0, 6)


def test_walrus_is_refused():
    assert where(only("(y := 1)")) == ("E002", 1, 1, 7)


def test_dict_literal_is_refused():
    assert where(only('{"a": 1}')) == ("E002", 1, 0, 8)


def test_set_literal_is_refused():
    assert where(only("{1, 2}")) == ("E002", 1, 0, 6)


def test_tuple_literal_is_refused():
    assert where(only("(1, 2)")) == ("E002", 1, 0, 6)


def test_a_decimal_comma_reads_as_a_tuple_and_says_so():
    error = only("0,5")
    assert where(error) == ("E002", 1, 0, 3)
    assert "0.5" in error.message


def test_starred_argument_is_refused():
    assert where(only("max(*choix)")) == ("E002", 1, 4, 10)


def test_keyword_argument_is_refused():
    error = only("arrondi(n, decimales=2)")
    assert where(error) == ("E002", 1, 11, 22)
    assert "dans l'ordre" in error.message


@pytest.mark.parametrize("source", ["True", "False", "None"])
def test_python_constants_are_refused_with_oui_non_vide(source):
    error = only(source)
    assert where(error) == ("E002", 1, 0, len(source))
    assert "oui, non ou vide" in error.message


def test_method_call_is_refused():
    assert where(only("t.upper()")) == ("E002", 1, 0, 9)


def test_attribute_on_a_non_record_is_refused():
    assert where(only("n.real")) == ("E002", 1, 2, 6)


def test_is_is_refused():
    assert where(only("n is vide")) == ("E002", 1, 0, 9)
    assert where(only("n is not vide")) == ("E002", 1, 0, 13)


@pytest.mark.parametrize("source", ['b"x"', "...", "1j"])
def test_other_literals_are_refused(source):
    assert where(only(source)) == ("E002", 1, 0, len(source))


# --- E003 to E011 --------------------------------------------------------------------------------------------------


def test_unknown_name_is_e003_with_a_suggestion():
    error = only("situaton == vide")
    assert where(error) == ("E003", 1, 0, 8)
    assert error.suggestion == "Vouliez-vous dire « situation » ?"


def test_a_function_named_without_a_call_is_e003():
    assert "somme(" in only("somme").message


def test_unknown_record_attribute_is_e003_at_the_attribute():
    error = only('usager.nomm == "x"')
    assert where(error) == ("E003", 1, 7, 11)
    assert error.suggestion == "Vouliez-vous dire « nom » ?"


def test_unknown_sub_field_of_a_projection_is_e003():
    assert where(only("somme(membres.revenus)")) == ("E003", 1, 14, 21)


def test_unknown_function_is_e004_with_a_suggestion():
    error = only("sommes(choix)")
    assert where(error) == ("E004", 1, 0, 6)
    assert error.suggestion == "Vouliez-vous dire « somme » ?"


@pytest.mark.parametrize(
    ("source", "signature"),
    [
        ("age(d, d, d)", "age(date) ou age(date, date_de_reference)"),
        ("si(b, 1)", "si(condition, valeur_si_vrai, valeur_si_faux)"),
        ("date(1, 2)", 'date("AAAA-MM-JJ") ou date(annee, mois, jour)'),
        ("max()", "max(valeur, valeur, …) ou max(liste)"),
    ],
)
def test_wrong_argument_count_is_e004_with_the_signature(source, signature):
    error = only(source)
    assert where(error) == ("E004", 1, 0, len(source))
    assert error.message.endswith(signature)


@pytest.mark.parametrize(
    ("source", "position"),
    [("date(t)", (5, 6)), ("arrondi(n, m)", (11, 12)), ('tranche(t, n, "echelon")', (8, 9))],
)
def test_a_non_literal_where_a_literal_is_needed_is_e004(source, position):
    assert where(only(source)) == ("E004", 1, *position)


def test_unknown_bareme_and_column_are_e004_with_suggestions():
    error = only('tranche("echelon", n, "echelon")')
    assert where(error) == ("E004", 1, 8, 17)
    assert error.suggestion == "Vouliez-vous dire « echelons » ?"
    error = only('tranche("echelons", n, "echelo")')
    assert where(error) == ("E004", 1, 23, 31)
    assert error.suggestion == "Vouliez-vous dire « echelon » ?"


@pytest.mark.parametrize(
    ("source", "position", "words"),
    [
        ("t + n", (0, 5), "un texte et un nombre"),
        ("n and b", (0, 1), "oui/non, pas un nombre"),
        ("not n", (4, 5), "pas à un nombre"),
        ("-t", (1, 2), "pas à un texte"),
        ("t < n", (4, 5), "deux nombres ou deux dates"),
        ("n in t", (5, 6), "dans une liste"),
        ('[1, "a"]', (4, 7), "nombre puis texte"),
        ("si(n, 1, 2)", (3, 4), "oui/non"),
        ('si(b, 1, "a")', (9, 12), "même type"),
        ("age(n)", (4, 5), "une date"),
        ("somme(n)", (6, 7), "liste de nombres"),
        ("min(n, d)", (0, 9), "nombres ou des dates"),
        ("nombre(n)", (7, 8), "bloc répétable ou une liste"),
        ("longueur(n)", (9, 10), "un texte"),
        ('date("2024-02-30")', (5, 17), "date valide"),
        ("jours(1.5)", (6, 9), "entières"),
        ('tranche("echelons", t, "echelon")', (20, 21), "un nombre"),
        ("existe(n, b)", (7, 8), "bloc répétable"),
        ("existe(membres, revenu)", (16, 22), "oui/non"),
        ("d == n", (5, 6), "comparer une date et un nombre"),
    ],
)
def test_type_errors_are_e005(source, position, words):
    error = only(source)
    assert where(error) == ("E005", 1, *position)
    assert words in error.message


def test_a_string_compared_with_a_code_must_be_one_of_its_list():
    error = only('situation == "mari"')
    assert where(error) == ("E005", 1, 13, 19)
    assert "« celibataire », « marie »" in error.message
    assert error.suggestion == "Vouliez-vous dire « marie » ?"
    assert where(only('"mari" == situation')) == ("E005", 1, 0, 6)
    assert where(only('situation in ["marie", "celib"]')) == ("E005", 1, 13, 31)
    assert where(only('"celib" in choix')) == ("E005", 1, 0, 7)
    assert where(only('si(b, situation, "x")')) == ("E005", 1, 17, 20)


def test_a_sub_field_used_bare_outside_its_bloc_is_e006():
    error = only("revenu > 0")
    assert where(error) == ("E006", 1, 0, 6)
    assert "existe(membres, …)" in error.message


def test_a_sub_field_of_another_bloc_is_e006():
    assert where(only("age_enfant > 3", bloc="membres")) == ("E006", 1, 0, 10)
    assert where(only("existe(enfants, revenu > 0)")) == ("E006", 1, 16, 22)


def test_a_sub_field_is_usable_bare_in_its_own_bloc_and_in_existe():
    assert compile_expression("revenu > 0", SCOPE, bloc="membres").type == BOOLEEN
    assert compile_expression("existe(membres, revenu > n)", SCOPE).type == BOOLEEN


def test_the_result_type_is_e009():
    error = only("n + 1", expected=BOOLEEN)
    assert where(error) == ("E009", 1, 0, 5)
    assert "oui/non" in error.message
    assert where(only('"x"', expected=code("situations"))) == ("E009", 1, 0, 3)


def test_expected_vide_accepts_anything_and_vide_fits_any_expectation():
    assert compile_expression("n", SCOPE, expected=VIDE).type == NOMBRE
    assert compile_expression("vide", SCOPE, expected=NOMBRE).type == VIDE
    assert compile_expression('"marie"', SCOPE, expected=code("situations")).type == code("situations")


@pytest.mark.parametrize(
    ("source", "position"),
    [
        ("1 < 2", (0, 5)),
        ('"a" == "b"', (0, 10)),
        ('"a" in ["a", "b"]', (0, 17)),
        ("n < vide", (0, 8)),
        ('situation == "marie" and situation == "celibataire"', (0, 51)),
        ("b and non", (0, 9)),
        ("b or oui", (0, 8)),
        ("si(oui, 1, 2)", (3, 6)),
    ],
)
def test_constant_or_contradictory_conditions_warn_e010(source, position):
    assert warnings(source) == [("E010", *position)]


@pytest.mark.parametrize(
    ("source", "position"),
    [("n / 0", (4, 5)), ("n / n", (4, 5)), ("n / (m - 1)", (5, 10)), ("n / nombre(membres)", (4, 19))],
)
def test_a_divisor_that_can_be_zero_warns_e011(source, position):
    warning = compile_expression(source, SCOPE).warnings[0]
    assert (warning.code, warning.column, warning.end_column) == ("E011", *position)
    assert warning.severity == "avertissement"


@pytest.mark.parametrize(
    "source", ["n / m", "n / 2", "n / (1 + nombre(membres) * 0.5)", "n / -m", "n / (m * m)", "n / arrondi(m)"]
)
def test_a_divisor_known_not_to_be_zero_does_not_warn(source):
    assert compile_expression(source, SCOPE).warnings == ()


def test_every_error_is_reported_not_just_the_first():
    found = errors('sommes(x) + situatoin ** 2 + usager.nmo + (situation == "mari")')
    assert [(e.code, e.column) for e in found] == [
        ("E004", 0),
        ("E003", 7),
        ("E003", 12),
        ("E002", 12),
        ("E003", 36),
        ("E005", 56),
    ]


def test_warnings_come_with_errors_when_there_are_errors():
    found = errors("(1 < 2) and x")
    assert [(e.code, e.severity) for e in found] == [("E003", "erreur"), ("E010", "avertissement")]


def test_positions_in_a_multi_line_source():
    source = 'membre_a_revenus\n  and revenu > 0\n  and situation == "mari"\n'
    found = errors(source)
    assert [(e.code, e.line, e.column, e.end_column) for e in found] == [
        ("E003", 1, 0, 16),
        ("E006", 2, 6, 12),
        ("E005", 3, 19, 25),
    ]


def test_a_multi_line_source_is_one_expression():
    source = 'b\n  and n > 0 # revenus déclarés\n  and t == "x"\n'
    expression = compile_expression(source, SCOPE)
    assert expression.type == BOOLEEN
    assert expression.names == frozenset({"b", "n", "t"})


def test_a_stray_closing_parenthesis_cannot_join_two_halves():
    assert only("b) or (b").code == "E001"
    assert only("b)\n or (b").code == "E001"
