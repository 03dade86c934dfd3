import datetime
from typing import Annotated, Literal

import pytest
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from engine.diagnostics import Severity
from engine.pydantic_errors import data_loc, diagnostics_from_validation_error
from engine.yaml_source import load_yaml


class Toy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Texte(Toy):
    type: Literal["texte"]
    id: str
    libelle: str
    obligatoire: bool = True
    format: str | None = None
    visible_si: str | None = None

    @field_validator("visible_si")
    @classmethod
    def _names_are_known(cls, value: str | None) -> str | None:
        if value and "revenu " in value:
            start = value.index("revenu ")
            ctx = {"span": (1, start, start + 6), "suggestion": "Vouliez-vous dire « revenus » ?"}
            raise PydanticCustomError("E003", "« revenu » n'est pas un champ connu", ctx)
        return value


class Nombre(Toy):
    type: Literal["nombre"]
    id: str
    libelle: str
    min: int | None = None
    max: int | None = None

    @model_validator(mode="after")
    def _bounds(self) -> "Nombre":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError(
                "C001",
                "« min » ({min}) dépasse « max » ({max})",
                {"min": self.min, "max": self.max, "loc": ("min",), "key": True},
            )
        return self


Champ = Annotated[Texte | Nombre, Field(discriminator="type")]


def _warn_long_title(value: str) -> str:
    if len(value) > 20:
        raise PydanticCustomError("A003", "titre long", {"severity": "avertissement"})
    return value


class Page(Toy):
    id: str
    titre: Annotated[str, AfterValidator(_warn_long_title)]
    mode: Literal["simple", "etapes"] = "simple"
    champs: tuple[Champ, ...] = ()


class Campagne(Toy):
    ouverture: datetime.date
    cloture: datetime.date


class Dispositif(Toy):
    format: int
    titre: str
    actif: bool = True
    campagne: Campagne | None = None
    pages: tuple[Page, ...]
    listes: dict[str, tuple[str, ...]] = {}


def check(text, model=Dispositif):
    data, source_map = load_yaml(text, "d.yaml")
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return diagnostics_from_validation_error(caught.value, model, data, source_map, "d.yaml")


def only(text):
    [diagnostic] = check(text)
    return diagnostic


HEAD = "format: 1\ntitre: Aide\n"
PAGE = HEAD + "pages:\n  - id: p1\n    titre: Page\n    champs:\n"


def test_unknown_key_is_S003_at_the_key_with_the_nearest_allowed_key():
    d = only(PAGE + "      - id: nom\n        type: texte\n        libelle: Nom\n        obligatoir: oui\n")
    assert (d.code, d.line, d.column, d.end_column) == ("S003", 10, 9, 19)
    assert d.message == "clé inconnue « obligatoir »"
    assert d.suggestion == "Vouliez-vous dire « obligatoire » ?"


def test_unknown_key_far_from_any_lists_the_allowed_keys():
    d = only(HEAD + "pages: []\ncampagne:\n  ouverture: 2025-01-01\n  cloture: 2025-02-01\n  zzz: 1\n")
    assert (d.code, d.line, d.column) == ("S003", 7, 3)
    assert d.suggestion == "Clés possibles ici : ouverture, cloture."


def test_unknown_key_in_a_member_chosen_by_its_tag():
    d = only(PAGE + "      - id: age\n        type: nombre\n        libelle: Âge\n        maxi: 3\n")
    assert (d.code, d.line, d.column, d.suggestion) == ("S003", 10, 9, "Vouliez-vous dire « max » ?")


def test_missing_key_is_S004_on_the_item_that_lacks_it():
    d = only(PAGE + "      - id: etablissement\n        type: texte\n")
    assert (d.code, d.line, d.column) == ("S004", 7, 9)
    assert d.message == "le champ « etablissement » n'a pas de « libelle »"


def test_missing_key_is_reported_at_the_parent_key():
    d = only(HEAD + "pages: []\ncampagne:\n  ouverture: 2025-01-01\n")
    assert (d.code, d.line, d.column, d.end_column) == ("S004", 4, 1, 9)
    assert d.message == "il manque la clé « cloture » dans « campagne »"


def test_missing_top_level_key_is_at_the_start_of_the_file():
    d = only("# Aide\n\nformat: 1\npages: []\n")
    assert (d.code, d.line, d.column, d.message) == ("S004", 1, 1, "il manque la clé « titre »")


def test_unknown_type_is_S006_on_the_tag_with_the_accepted_ones():
    d = only(PAGE + "      - id: age\n        type: nombr\n        libelle: Âge\n")
    assert (d.code, d.line, d.column, d.end_column) == ("S006", 8, 15, 20)
    assert d.message == "type inconnu « nombr » ; types possibles : texte, nombre"
    assert d.suggestion == "Vouliez-vous dire « nombre » ?"


def test_missing_type_is_S004():
    d = only(PAGE + "      - id: age\n        libelle: Âge\n")
    assert (d.code, d.line, d.column) == ("S004", 7, 9)
    assert d.message == "le champ « age » n'a pas de « type » ; types possibles : texte, nombre"


def test_literal_is_S006_with_the_values_and_a_suggestion():
    d = only(HEAD + "pages:\n  - id: p1\n    titre: Page\n    mode: etape\n")
    assert (d.code, d.line, d.column, d.end_column) == ("S006", 6, 11, 16)
    assert d.message == "valeur inconnue « etape » pour « mode » ; valeurs possibles : simple, etapes"
    assert d.suggestion == "Vouliez-vous dire « etapes » ?"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12", "« format » attend un texte : écrivez '12' entre guillemets"),
        ("1.10", "« format » attend un texte : écrivez '1.10' entre guillemets"),
        ("true", "« format » attend un texte : écrivez 'true' entre guillemets"),
        ("[a]", "« format » attend un texte, pas une liste"),
    ],
)
def test_a_number_where_text_is_expected(value, message):
    d = only(PAGE + f"      - id: nom\n        type: texte\n        libelle: Nom\n        format: {value}\n")
    assert (d.code, d.line, d.column, d.message) == ("S005", 10, 17, message)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("format: un\ntitre: A\npages: []\n", 1, 9, "« format » attend un nombre entier, pas le texte « un »"),
        ("format: 1.5\ntitre: A\npages: []\n", 1, 9, "« format » attend un nombre entier, pas « 1.5 »"),
        (HEAD + "pages: []\nactif: peut-être\n", 4, 8, "« actif » attend oui ou non, pas le texte « peut-être »"),
        (
            HEAD + "pages: []\ncampagne:\n  ouverture: bientôt\n  cloture: 2025-01-01\n",
            5,
            14,
            "« ouverture » attend une date AAAA-MM-JJ, pas le texte « bientôt »",
        ),
        (HEAD + "pages: {}\n", 3, 8, "« pages » attend une liste, pas une table de clés"),
        (HEAD + "pages:\n  - oui\n", 4, 5, "l'élément 1 de « pages » attend une table de clés, pas le texte « oui »"),
        (
            HEAD + "pages: []\nlistes:\n  pays: [nc, 2]\n",
            5,
            14,
            "l'élément 2 de « pays » attend un texte : écrivez '2' entre guillemets",
        ),
        ("- a\n", 1, 1, "le fichier attend une table de clés, pas une liste"),
    ],
)
def test_wrong_kinds_of_value_are_S005_in_french(text, line, column, message):
    d = only(text)
    assert (d.code, d.line, d.column, d.message) == ("S005", line, column, message)


def test_custom_error_keeps_its_code_message_and_suggestion_and_points_inside_the_expression():
    d = only(
        PAGE
        + "      - id: nom\n        type: texte\n        libelle: Nom\n        visible_si: age > 3 and revenu > 0\n"
    )
    assert (d.code, d.line, d.column, d.end_column) == ("E003", 10, 33, 39)
    assert d.message == "« revenu » n'est pas un champ connu"
    assert d.suggestion == "Vouliez-vous dire « revenus » ?"
    assert d.severity is Severity.ERREUR


def test_custom_error_can_point_at_a_key_below_it():
    d = only(PAGE + "      - id: age\n        type: nombre\n        libelle: Âge\n        min: 5\n        max: 2\n")
    assert (d.code, d.line, d.column, d.message) == ("C001", 10, 9, "« min » (5) dépasse « max » (2)")


def test_custom_error_can_be_a_warning():
    d = only(HEAD + "pages:\n  - id: p1\n    titre: Un titre bien trop long\n")
    assert (d.code, d.line, d.column, d.severity) == ("A003", 5, 12, Severity.AVERTISSEMENT)


def test_every_error_is_reported_at_once_in_file_order():
    text = PAGE + (
        "      - id: a\n        type: texte\n        libele: A\n"
        "      - id: b\n        type: oui-non\n"
        "      - id: c\n        type: nombre\n        libelle: C\n        min: dix\n"
    )
    assert [(d.code, d.line) for d in check(text)] == [("S004", 7), ("S003", 9), ("S006", 11), ("S005", 15)]


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("pages", 0, "champs", 0, "texte", "libelle"), ("pages", 0, "champs", 0)),
        (("pages", 0, "champs", 0, "function-after[check(), Texte]", "id"), ("pages", 0, "champs", 0, "id")),
        (("pages", 3, "titre"), ("pages",)),
        ((), ()),
    ],
)
def test_data_loc_drops_what_the_data_does_not_have(loc, expected):
    data = {"pages": [{"champs": [{"id": "x", "type": "texte"}]}]}
    assert data_loc(loc, data) == expected


def test_a_union_tag_is_dropped_even_when_the_data_has_a_key_of_that_name():
    class Choix(Toy):
        type: Literal["choix"]
        choix: str

    class Racine(Toy):
        champs: tuple[Annotated[Choix | Texte, Field(discriminator="type")], ...]

    [d] = check("champs:\n  - type: choix\n    choix: x\n    zz: 1\n", Racine)
    assert (d.code, d.line, d.column) == ("S003", 4, 5)


def test_a_plain_union_names_its_members_in_loc():
    class Libre(Toy):
        champs: tuple[Texte | Nombre, ...]

    found = check("champs:\n  - {type: nombre, id: a, libelle: A, maxi: 3}\n", Libre)
    # pydantic tries both members: the Texte attempt fails on the tag, the Nombre one on the unknown key.
    assert ("S003", 2, 39, "Vouliez-vous dire « max » ?") in [(d.code, d.line, d.column, d.suggestion) for d in found]
