import datetime
from decimal import Decimal

import pytest

from engine.yaml_source import Span, YamlError, load_yaml


def load(text):
    return load_yaml(text, "t.yaml")[0]


def errors(text):
    with pytest.raises(YamlError) as caught:
        load_yaml(text, "t.yaml")
    return [(d.code, d.line, d.column, d.message) for d in caught.value.diagnostics]


# Core schema: what a plain scalar becomes


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "oui", "non", "NO", "Yes", "OFF"])
def test_yaml_1_1_booleans_stay_text(word):
    assert load(f"a: {word}") == {"a": word}


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False)],
)
def test_only_true_and_false_are_booleans(text, value):
    assert load(f"a: {text}") == {"a": value}


@pytest.mark.parametrize("text", ["null", "Null", "NULL", "~", ""])
def test_null_forms(text):
    assert load(f"a: {text}") == {"a": None}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("1_000_000", 1_000_000),
        ("0123", "0123"),
        ("-012", "-012"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1e3", "1e3"),
    ],
)
def test_integers_and_codes_with_a_leading_zero(text, value):
    result = load(f"a: {text}")["a"]
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.10", Decimal("1.10")),
        ("-0.5", Decimal("-0.5")),
        (".5", Decimal("0.5")),
        ("1_000.25", Decimal("1000.25")),
        ("2.5e3", Decimal("2.5e3")),
        ("1.", "1."),
        (".inf", ".inf"),
        (".nan", ".nan"),
        ("1.2.3", "1.2.3"),
    ],
)
def test_decimals_are_exact_never_floats(text, value):
    result = load(f"a: {text}")["a"]
    assert result == value
    assert str(result) == str(value)
    assert type(result) is type(value)


def test_dates():
    assert load("a: 2024-02-29") == {"a": datetime.date(2024, 2, 29)}
    assert load("a: 2024-2-29\nb: 2024-02-29T10:00:00") == {"a": "2024-2-29", "b": "2024-02-29T10:00:00"}


def test_impossible_date_is_S005():
    assert errors("a: 2026-02-30\n") == [("S005", 1, 4, "date impossible « 2026-02-30 »")]


def test_quoted_and_block_scalars_are_always_text():
    text = "a: '12'\nb: \"true\"\nc: |\n  0123\nd: >\n  2024-01-01\ne: !!str 12\nf: ''\n"
    assert load(text) == {"a": "12", "b": "true", "c": "0123\n", "d": "2024-01-01\n", "e": "12", "f": ""}


def test_keys_are_always_the_text_written():
    assert load("2024: a\ntrue: b\n~: c\n1.50: d\n") == {"2024": "a", "true": "b", "~": "c", "1.50": "d"}


def test_nested_data_and_empty_document():
    assert load("a:\n  - x: 1\n    y: [oui, 2]\n  - {}\n") == {"a": [{"x": 1, "y": ["oui", 2]}, {}]}
    assert load("") is None
    assert load("# rien\n") is None


# Mistakes


def test_duplicate_keys_name_both_lines_and_are_all_reported():
    text = "libelle: a\ntitre: b\nlibelle: c\nliste:\n  code: 1\n  code: 2\n  code: 3\n"
    assert errors(text) == [
        ("S002", 3, 1, "clé « libelle » en double (déjà ligne 1)"),
        ("S002", 6, 3, "clé « code » en double (déjà ligne 5)"),
        ("S002", 7, 3, "clé « code » en double (déjà ligne 5)"),
    ]


def test_duplicates_and_bad_dates_are_reported_together():
    assert [code for code, *_ in errors("a: 2026-02-30\na: 1\n")] == ["S005", "S002"]


def test_tab_indentation():
    assert errors("a:\n\tb: 1\n") == [("S001", 2, 1, "tabulation interdite : indentez avec des espaces")]
    assert errors("a: 1\n\tb: 1\n")[0][:3] == ("S001", 2, 1)


def test_unclosed_quote_points_at_the_opening_quote():
    assert errors("a: x\nb: 'abc\nc: 2\n") == [
        ("S001", 2, 4, "guillemet non fermé : ajoutez le ' fermant à la fin de la valeur")
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "start"),
    [
        ("a: b: c\n", 1, 5, "« : » inattendu ici"),
        ("a:\n  b: 1\n c: 2\n", 3, 2, "indentation incohérente"),
        ("x:\n  - a\n  b: 1\n", 3, 3, "indentation incohérente"),
        ("a: @x\n", 1, 4, "une valeur ne peut pas commencer par « @ »"),
        ("a: 1\n---\nb: 2\n", 2, 1, "un seul document par fichier"),
        ("a: [1, 2\nb: 3\n", 2, 2, "crochet « [ » non fermé"),
        ('a: "\\q"\n', 1, 5, "séquence « \\ » inconnue"),
        ("a: 1\x07\n", 1, 5, "caractère interdit U+0007"),
    ],
)
def test_syntax_errors_are_explained_in_french(text, line, column, start):
    [(code, got_line, got_column, message)] = errors(text)
    assert (code, got_line, got_column) == ("S001", line, column)
    assert message.startswith(start)


def test_anchors_aliases_and_merge_keys_are_refused():
    text = "a: &base\n  x: 1\nb: *base\nc:\n  <<: *base\n  y: 2\n"
    assert errors(text) == [
        ("S001", 1, 4, "ancre « &base » interdite : recopiez la valeur à chaque endroit où elle sert"),
        ("S001", 3, 4, "alias « *base » interdit : recopiez ici la valeur de l'ancre « &base »"),
        ("S001", 5, 3, "clé de fusion « << » interdite : recopiez les clés voulues à cet endroit"),
        ("S001", 5, 7, "alias « *base » interdit : recopiez ici la valeur de l'ancre « &base »"),
    ]


def test_an_alias_without_anchor_is_refused():
    assert errors("a: *x\n")[0][:3] == ("S001", 1, 4)


def test_explicit_tags_and_complex_keys_are_refused():
    assert errors("a: !!int 3\nb: !perso x\n? [k]\n: v\n") == [
        ("S001", 1, 4, "étiquette YAML « !!int » non prise en charge : retirez-la"),
        ("S001", 2, 4, "étiquette YAML « !perso » non prise en charge : retirez-la"),
        ("S001", 3, 3, "une clé doit être un simple nom, pas une liste ni une table"),
    ]


def test_a_text_with_stars_and_ampersands_is_fine():
    assert load("a: 'R&D *'\nb: Nom *\nc: x & y\n") == {"a": "R&D *", "b": "Nom *", "c": "x & y"}


# Source map

SOURCE = """\
titre: Bourse
pages:
  - id: p1
    champs:
      - id: nom
        libelle: 'Nom d''usage'
        aide: "Tel \\u00e9crit"
        visible_si: age > 3 and revenu > 0
      - id: note
        visible_si: |
          age > 3
          and revenus > 0
        explication: >
          ligne un
          ligne deux

          paragraphe
        calcul: age >
          3 and
          revenu
"""


@pytest.fixture
def source_map():
    return load_yaml(SOURCE, "t.yaml")[1]


def test_value_and_key_spans(source_map):
    assert source_map.value(("titre",)) == Span(1, 8, 1, 14, None)
    assert source_map.key(("titre",)) == Span(1, 1, 1, 6, None)
    assert source_map.value(("pages", 0, "champs", 0, "libelle")) == Span(6, 18, 6, 32, "'")
    assert source_map.value(("pages", 0, "champs", 1, "visible_si")).style == "|"
    assert source_map.value(("pages", 0, "champs", 1, "explication")).style == ">"
    assert source_map.value(("pages", 0)) == Span(3, 5, 21, 1, "map")
    assert source_map.value(("pages",)).style == "seq"
    assert source_map.key(("pages", 0)) is None
    assert source_map.value(("pages", 5)) is None
    assert source_map.key(("absent",)) is None
    assert source_map.scalar_text(("titre",)) == "Bourse"


def test_locate_falls_back_to_the_nearest_existing_ancestor(source_map):
    assert source_map.locate(("pages", 0, "champs", 1, "libelle")) == Span(9, 9, 21, 1, "map")
    assert source_map.locate(("pages", 0, "champs", 1, "id")) == Span(9, 13, 9, 17, None)
    assert source_map.locate(("absent", 3)) == Span(1, 1, 1, 1, "map")
    assert source_map.locate(()) == Span(1, 1, 1, 1, "map")


def test_inside_plain_scalar(source_map):
    # « revenu » is at column 12 of the expression; the expression starts at file column 21 of line 8.
    assert source_map.inside(("pages", 0, "champs", 0, "visible_si"), 1, 12) == (8, 33)


def test_inside_quoted_scalars_steps_over_escapes(source_map):
    # 'Nom d''usage': value column 6 is the « u » after the doubled quote.
    assert source_map.inside(("pages", 0, "champs", 0, "libelle"), 1, 0) == (6, 19)
    assert source_map.inside(("pages", 0, "champs", 0, "libelle"), 1, 6) == (6, 26)
    # "Tel \u00e9crit": value column 5 is the « c » after the six-character escape.
    assert source_map.inside(("pages", 0, "champs", 0, "aide"), 1, 5) == (7, 26)


def test_inside_literal_block(source_map):
    loc = ("pages", 0, "champs", 1, "visible_si")
    assert source_map.inside(loc, 1, 0) == (11, 11)
    assert source_map.inside(loc, 2, 4) == (12, 15)


def test_inside_folded_block(source_map):
    loc = ("pages", 0, "champs", 1, "explication")
    # value: "ligne un ligne deux\nparagraphe\n"
    assert source_map.inside(loc, 1, 9) == (15, 11)
    assert source_map.inside(loc, 2, 2) == (17, 13)


def test_inside_multi_line_plain_scalar(source_map):
    loc = ("pages", 0, "champs", 1, "calcul")
    # value: "age > 3 and revenu"
    assert source_map.inside(loc, 1, 0) == (18, 17)
    assert source_map.inside(loc, 1, 12) == (20, 11)


def test_inside_a_missing_value_gives_the_nearest_position(source_map):
    assert source_map.inside(("pages", 0, "champs", 1, "absent"), 1, 3) == (9, 9)


def test_inside_block_with_explicit_indentation_and_multi_line_quotes():
    data, source_map = load_yaml('a: |2\n    z\n  w\nb: "un\n  deux"\n', "t.yaml")
    assert data == {"a": "  z\nw\n", "b": "un deux"}
    assert source_map.inside(("a",), 1, 2) == (2, 5)
    assert source_map.inside(("b",), 1, 3) == (5, 3)


def test_nested_aliases_are_refused_without_expanding_them():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    found = errors("\n".join(lines) + "\n")
    assert len(found) == 9 + 8 * 10
    assert {code for code, *_ in found} == {"S001"}


def test_recursive_alias_is_refused():
    assert errors("a: &a\n  b: *a\n")[0][:3] == ("S001", 1, 4)
