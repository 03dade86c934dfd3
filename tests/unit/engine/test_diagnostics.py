from engine.diagnostics import Diagnostic, Severity, format_diagnostic, format_report, split_lines

BOURSE = "\n" * 175 + "            visible_si: membre_a_revenus and membre_revenu > 0\n"


def test_format_matches_the_compiler_style_of_the_design():
    d = Diagnostic(
        "bourse.yaml",
        176,
        46,
        "E003",
        "« membre_revenu » n'est pas un champ connu.",
        end_column=59,
        suggestion="Vouliez-vous dire « membre_revenus » ?",
    )
    assert format_diagnostic(d, BOURSE) == (
        "bourse.yaml:176:46: erreur E003 : « membre_revenu » n'est pas un champ connu.\n"
        "  176 |             visible_si: membre_a_revenus and membre_revenu > 0\n"
        "      |                                              ^^^^^^^^^^^^^\n"
        "      Vouliez-vous dire « membre_revenus » ?"
    )


def test_without_source_or_suggestion_only_the_header_remains():
    d = Diagnostic("a.yaml", 3, 1, "S004", "il manque la clé « titre »")
    assert format_diagnostic(d, None) == "a.yaml:3:1: erreur S004 : il manque la clé « titre »"


def test_caret_is_at_least_one_wide_and_under_widened_tabs():
    d = Diagnostic("a.yaml", 2, 2, "S001", "tabulation interdite : indentez avec des espaces", end_column=2)
    assert format_diagnostic(d, "a:\n\tb: 1\n").splitlines()[1:] == [
        "  2 |     b: 1",
        "    |     ^",
    ]
    d = Diagnostic("a.yaml", 2, 1, "S001", "tabulation interdite : indentez avec des espaces", end_column=2)
    assert format_diagnostic(d, "a:\n\tb: 1\n").splitlines()[2] == "    | ^^^^"


def test_a_line_past_the_end_of_the_file_shows_no_excerpt():
    d = Diagnostic("a.yaml", 9, 1, "S001", "erreur de syntaxe YAML : x", suggestion="Corrigez.")
    assert format_diagnostic(d, "a: 1\n") == "a.yaml:9:1: erreur S001 : erreur de syntaxe YAML : x\n    Corrigez."


def test_report_is_sorted_separated_and_counted_in_french():
    source = "a: 1\nb: 2\n"
    late = Diagnostic("a.yaml", 2, 1, "A007", "trop de questions", Severity.AVERTISSEMENT)
    early = Diagnostic("a.yaml", 1, 4, "S005", "« a » attend un texte")
    other = Diagnostic("0.yaml", 5, 1, "S004", "il manque la clé « titre »")
    assert format_report([late, early, other], {"a.yaml": source}) == (
        "0.yaml:5:1: erreur S004 : il manque la clé « titre »\n"
        "\n"
        "a.yaml:1:4: erreur S005 : « a » attend un texte\n"
        "  1 | a: 1\n"
        "    |    ^\n"
        "\n"
        "a.yaml:2:1: avertissement A007 : trop de questions\n"
        "  2 | b: 2\n"
        "    | ^\n"
        "\n"
        "2 erreurs, 1 avertissement"
    )


def test_summary_plural_rules():
    def error(line):
        return Diagnostic("a.yaml", line, 1, "S001", "x")

    def warning(line):
        return Diagnostic("a.yaml", line, 1, "A001", "x", Severity.AVERTISSEMENT)

    assert format_report([], {}) == "aucune erreur"
    assert format_report([error(1)], {}).endswith("\n\n1 erreur")
    assert format_report([warning(1), warning(2)], {}).endswith("\n\naucune erreur, 2 avertissements")


def test_sort_key_and_json():
    d = Diagnostic("a.yaml", 4, 2, "S003", "clé inconnue « x »", end_column=3, suggestion="Vouliez-vous dire « y » ?")
    assert d.sort_key() == ("a.yaml", 4, 2, "S003")
    assert d.to_json() == {
        "path": "a.yaml",
        "line": 4,
        "column": 2,
        "end_column": 3,
        "code": "S003",
        "severity": "erreur",
        "message": "clé inconnue « x »",
        "suggestion": "Vouliez-vous dire « y » ?",
    }


def test_lines_are_split_like_the_yaml_parser_does():
    assert split_lines("a\r\nb\rc\x0cd\ne") == ["a", "b", "c\x0cd", "e"]
