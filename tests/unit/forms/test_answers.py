from datetime import date
from decimal import Decimal

import pytest

from forms import communes
from forms.answers import AnswerError, check, coerce, hint, is_empty, missing_message
from forms.fields import (
    Adresse,
    BlocRepetable,
    CaseACocher,
    Choix,
    ChoixMultiple,
    Commune,
    Date,
    Email,
    Fichier,
    Iban,
    Montant,
    NombreDecimal,
    NombreEntier,
    OuiNon,
    Ridet,
    Telephone,
    Texte,
    TexteLong,
)

LIEUX = {"nc": "En Nouvelle-Calédonie", "metropole": "En métropole", "etranger": "À l'étranger"}
AIDES = {"bourse": "Bourse", "logement": "Aide au logement", "aucune": "Aucune de ces aides"}

texte = Texte(id="nom", type="texte", libelle="Nom de naissance", longueur_max=10)
texte_long = TexteLong(id="motif", type="texte_long", libelle="Motif", longueur_min=5)
entier = NombreEntier(id="enfants", type="nombre_entier", libelle="Nombre d'enfants", min=0)
decimal_ = NombreDecimal(id="surface", type="nombre_decimal", libelle="Surface", decimales=2, unite="m²")
montant = Montant(id="m", type="montant", libelle="Montant demandé", min=0)
date_ = Date(id="naissance", type="date", libelle="Date de naissance")
oui_non = OuiNon(id="boursier", type="oui_non", libelle="Êtes-vous boursier ?")
case = CaseACocher(id="engagement", type="case_a_cocher", libelle="Je certifie l'exactitude des informations")
choix = Choix(id="lieu", type="choix", libelle="Lieu des études", liste="lieux")
multiple = ChoixMultiple(id="aides", type="choix_multiple", libelle="Aides perçues", liste="aides", exclusif="aucune")
email = Email(id="courriel", type="email", libelle="Adresse électronique")
telephone = Telephone(id="tel", type="telephone", libelle="Téléphone")
international = Telephone(id="tel", type="telephone", libelle="Téléphone", international="oui")
adresse = Adresse(id="domicile", type="adresse", libelle="Adresse du domicile")
commune = Commune(id="commune", type="commune", libelle="Commune de résidence")
iban = Iban(id="iban", type="iban", libelle="IBAN")
ridet = Ridet(id="ridet", type="ridet", libelle="Numéro RIDET")
fichier = Fichier(id="justificatifs", type="fichier", libelle="Justificatifs", formats=["pdf", "jpg"], nombre_max=2)

OPTIONS = {"lieu": LIEUX, "aides": AIDES}
BLOC = BlocRepetable(id="enfants", type="bloc_repetable", libelle="Enfants", champs=[texte])


def read(field, value):
    return coerce(field, value, OPTIONS.get(field.id))


def error(field, value):
    with pytest.raises(AnswerError) as raised:
        read(field, value)
    return raised.value


# --- the web path and the typed path give the same canonical value --------------------------------------------------

SAME_VALUE = [
    (texte, "  Dupont  de Nemours ", "Dupont  de Nemours", "Dupont  de Nemours"),
    (texte_long, "ligne 1\r\nligne 2\r\n", "ligne 1\nligne 2", "ligne 1\nligne 2"),
    (entier, "1 200", 1200, 1200),
    (entier, "1\u202f200", Decimal("1200"), 1200),
    (entier, "+3", 3, 3),
    (decimal_, "12,50", Decimal("12.5"), Decimal("12.5")),
    (decimal_, "12.5", 12.5, Decimal("12.5")),
    (decimal_, "100,0", 100, Decimal("100")),
    (montant, "1 200 000", 1200000, 1200000),
    (montant, "1.200.000", Decimal("1200000"), 1200000),
    (montant, "150000 F", 150000, 150000),
    (montant, "150 000 XPF", 150000, 150000),
    (montant, "150\u00a0000 F CFP", 150000, 150000),
    (date_, {"jour": "3", "mois": "7", "annee": "2001"}, date(2001, 7, 3), date(2001, 7, 3)),
    (date_, "2001-07-03", {"jour": 3, "mois": 7, "annee": 2001}, date(2001, 7, 3)),
    (date_, "03/07/2001", date(2001, 7, 3), date(2001, 7, 3)),
    (date_, {"jour": "3", "mois": "juillet", "annee": "2001"}, "3 juil. 2001", date(2001, 7, 3)),
    (oui_non, "oui", True, True),
    (oui_non, "non", False, False),
    (case, "on", True, True),
    (case, "oui", "1", True),
    (case, None, False, None),
    (case, "", "non", None),
    (choix, "nc", "nc", "nc"),
    (multiple, ["logement", "bourse", "bourse"], ("bourse", "logement"), ("bourse", "logement")),
    (multiple, "bourse", ["bourse", ""], ("bourse",)),
    (email, " Nom@Exemple.NC ", "Nom@exemple.nc", "Nom@exemple.nc"),
    (telephone, "77 12 34", 771234, "+687771234"),
    (telephone, "+687 77.12.34", "00687-77-12-34", "+687771234"),
    (international, "+33 6 12 34 56 78", "0033612345678", "+33612345678"),
    (international, "+33 (0)6 12 34 56 78", "+33612345678", "+33612345678"),
    (international, "77 12 34", "+687771234", "+687771234"),
    (commune, "noumea", "Nouméa", "noumea"),
    (commune, "LE MONT DORE", "mont-dore", "mont_dore"),
    (commune, "ile des pins", "L'Île-des-Pins", "ile_des_pins"),
    (commune, "PAITA", "Païta", "paita"),
    (iban, "fr76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189", "FR7630006000011234567890189"),
    (iban, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "DE89370400440532013000"),
    (iban, "nc27 1488 9000 0112 3456 7890 123", "NC2714889000011234567890123", "NC2714889000011234567890123"),
    (ridet, "1234567001", "1234567.001", "1234567.001"),
    (ridet, "1 234 567.001", "1234567-001", "1234567.001"),
    (ridet, "1234567 001", " 1234567.001 ", "1234567.001"),
    (fichier, "f-1", ["f-1", ""], ("f-1",)),
    (fichier, ["f-1", "f-2"], ("f-1", "f-2"), ("f-1", "f-2")),
    (
        adresse,
        {"ligne1": " 12 rue de Sébastopol ", "ligne2": "", "code_postal": "98800", "commune": "noumea"},
        {"ligne1": "12 rue de Sébastopol", "code_postal": 98800, "commune": "Nouméa"},
        {"ligne1": "12 rue de Sébastopol", "ligne2": None, "code_postal": "98800", "commune": "noumea"},
    ),
]


@pytest.mark.parametrize(("field", "web", "typed", "expected"), SAME_VALUE)
def test_web_and_typed_answers_give_the_same_canonical_value(field, web, typed, expected):
    assert read(field, web) == expected
    assert read(field, typed) == expected
    assert type(read(field, web)) is type(expected)


@pytest.mark.parametrize("value", [None, "", "   ", [], ["", " "], {}, {"jour": "", "mois": " ", "annee": ""}])
def test_empty_answers_are_none(value):
    assert is_empty(value)
    assert coerce(date_, value) is None
    assert coerce(texte, value) is None


def test_false_is_an_answer_for_oui_non():
    assert not is_empty(False)
    assert coerce(oui_non, False) is False


def test_decimal_is_stored_without_float_noise():
    assert coerce(decimal_, 0.1) == Decimal("0.1")


def test_choices_need_their_list():
    with pytest.raises(TypeError):
        coerce(choix, "nc")


# --- messages for answers that cannot be read -----------------------------------------------------------------------

NO_CENTS = "« Montant demandé » doit être un montant en francs CFP sans centimes, par exemple 150 000"
IBAN_WRONG = "« IBAN » n'est pas correct : vérifiez qu'il est complet et sans faute de frappe"
RIDET_RANK = "« Numéro RIDET » doit comporter le rang de l'établissement après les 7 chiffres, par exemple 1234567.001"
RIDET_SHAPE = (
    "« Numéro RIDET » doit comporter 7 chiffres puis les 3 chiffres du rang de l'établissement, par exemple 1234567.001"
)

UNREADABLE = [
    (entier, "1,5", "« Nombre d'enfants » doit être un nombre entier, par exemple 12"),
    (entier, Decimal("1.5"), "« Nombre d'enfants » doit être un nombre entier, par exemple 12"),
    (decimal_, "douze", "« Surface » doit être un nombre, par exemple 12,5"),
    (decimal_, "1.200,5", "« Surface » doit être un nombre, par exemple 12,5"),
    (montant, "12,50", NO_CENTS),
    (montant, Decimal("12.5"), NO_CENTS),
    (montant, "12.50", NO_CENTS),
    (date_, "hier", "« Date de naissance » doit comporter un jour, un mois et une année"),
    (date_, "31/02/2001", "« Date de naissance » doit être une date réelle"),
    (date_, {"jour": "31", "mois": "2", "annee": "2001"}, "« Date de naissance » doit être une date réelle"),
    (date_, {"jour": "3", "mois": "13", "annee": "2001"}, "« Date de naissance » doit être une date réelle"),
    (date_, {"jour": "²", "mois": "3", "annee": "2001"}, "« Date de naissance » doit être une date réelle"),
    (
        date_,
        {"jour": "3", "mois": "7", "annee": "01"},
        "« Date de naissance » doit comporter une année à 4 chiffres, par exemple 2007",
    ),
    (oui_non, "peut-être", "Répondez oui ou non à « Êtes-vous boursier ? »"),
    (choix, "lune", "Sélectionnez une des réponses proposées pour « Lieu des études »"),
    (multiple, ["bourse", "lune"], "Sélectionnez uniquement des réponses proposées pour « Aides perçues »"),
    (email, "nom@exemple", "Saisissez une adresse électronique au bon format, par exemple nom@exemple.nc"),
    (email, "nom.exemple.nc", "Saisissez une adresse électronique au bon format, par exemple nom@exemple.nc"),
    (telephone, "77 12 3", "Saisissez un numéro de téléphone à 6 chiffres, par exemple 77 12 34"),
    (telephone, "+33 6 12 34 56 78", "Saisissez un numéro de téléphone à 6 chiffres, par exemple 77 12 34"),
    (
        international,
        "06 12 34 56 78",
        "Saisissez un numéro de téléphone à 6 chiffres, ou au format international, par exemple +33 6 12 34 56 78",
    ),
    (commune, "Nouméaa", "« Commune de résidence » doit être une commune de Nouvelle-Calédonie"),
    (commune, "98818", "« Commune de résidence » doit être une commune de Nouvelle-Calédonie"),
    (iban, "FR7630006000011234567890188", IBAN_WRONG),
    (
        iban,
        "FR76 3000 6000 0112 3456 7890 18",
        "« IBAN » doit comporter 27 caractères pour un compte FR : il en comporte 26",
    ),
    (iban, "7630006000011234567890189", "« IBAN » doit commencer par le code du pays, par exemple FR76"),
    (iban, "FR7630006000O11234567890189", IBAN_WRONG),
    (iban, "GB82 WEST 1234 5698 7654 33", IBAN_WRONG),
    (ridet, "1234567", RIDET_RANK),
    (ridet, "123456.01", RIDET_SHAPE),
]


@pytest.mark.parametrize(("field", "value", "message"), UNREADABLE)
def test_unreadable_answers_say_what_is_wrong(field, value, message):
    assert error(field, value).message == message


@pytest.mark.parametrize(
    ("parts", "message", "faulty"),
    [
        ({"jour": "3", "mois": "", "annee": "2001"}, "doit comporter un mois", ("mois",)),
        ({"jour": "", "mois": "7", "annee": ""}, "doit comporter un jour et une année", ("jour", "annee")),
        ({"jour": "", "mois": "", "annee": "2001"}, "doit comporter un jour et un mois", ("jour", "mois")),
    ],
)
def test_a_missing_date_part_is_named(parts, message, faulty):
    raised = error(date_, parts)
    assert raised.message == f"« Date de naissance » {message}"
    assert raised.parts == faulty


def test_an_address_gets_one_message_per_missing_part():
    raised = error(adresse, {"ligne1": "", "ligne2": "Bât. B", "code_postal": "", "commune": ""})
    assert raised.messages == (
        "Saisissez la ligne 1 de « Adresse du domicile »",
        "Saisissez le code postal de « Adresse du domicile »",
        "Sélectionnez la commune de « Adresse du domicile »",
    )
    assert raised.parts == ("ligne1", "code_postal", "commune")


@pytest.mark.parametrize(
    ("code_postal", "commune_", "message"),
    [
        ("75001", "noumea", "doit comporter 5 chiffres et commencer par 988, par exemple 98800"),
        ("98870", "noumea", "ne correspond pas à Nouméa (98800)"),
        ("98870", "Dumbéa", "ne correspond pas à Dumbéa (98835, 98830, 98836, 98837, 98839)"),
    ],
)
def test_an_address_must_be_in_new_caledonia(code_postal, commune_, message):
    raised = error(adresse, {"ligne1": "1 rue Anatole France", "code_postal": code_postal, "commune": commune_})
    assert raised.messages == (f"Le code postal de « Adresse du domicile » {message}",)
    assert raised.parts == ("code_postal",)


def test_an_address_in_an_unknown_commune():
    raised = error(adresse, {"ligne1": "1 rue Anatole France", "code_postal": "98800", "commune": "Atlantis"})
    assert raised.messages == ("La commune de « Adresse du domicile » doit être une commune de Nouvelle-Calédonie",)


@pytest.mark.parametrize(("code_postal", "commune_"), [("98810", "Mont-Dore"), ("98837", "Dumbéa"), ("98889", "paita")])
def test_communes_with_several_postal_codes(code_postal, commune_):
    answer = read(adresse, {"ligne1": "Lot 12", "code_postal": code_postal, "commune": commune_})
    assert answer["code_postal"] == code_postal


# --- constraints on a readable answer ---------------------------------------------------------------------------------


def test_text_length_and_format():
    assert check(texte, "Dupont") == []
    assert check(texte, "Dupont de Nemours") == ["« Nom de naissance » doit comporter 10 caractères au maximum"]
    assert check(texte_long, "abc") == ["« Motif » doit comporter au moins 5 caractères"]
    code = Texte(id="code", type="texte", libelle="Code", format=r"[A-Z]{3}")
    assert check(code, "ABC") == []
    assert check(code, "ABCD") == ["« Code » n'est pas au format attendu"]
    worded = code.model_copy(update={"message_format": "« Code » doit comporter 3 lettres majuscules"})
    assert check(worded, "ab") == ["« Code » doit comporter 3 lettres majuscules"]


def test_number_bounds_and_decimals():
    assert check(entier, -1) == ["« Nombre d'enfants » doit être 0 ou plus"]
    assert check(montant, -5) == ["« Montant demandé » doit être 0 F CFP ou plus"]
    plafond = Montant(id="m", type="montant", libelle="Montant demandé", min=10000, max=5000000)
    assert check(plafond, 6000000) == ["« Montant demandé » doit être entre 10 000 F CFP et 5 000 000 F CFP"]
    assert check(plafond, 150000) == []
    too_precise = read(decimal_, "12,345")
    assert check(decimal_, too_precise) == ["« Surface » doit comporter 2 chiffres après la virgule au maximum"]
    assert check(decimal_, read(decimal_, "12,300")) == []
    bornee = NombreDecimal(id="t", type="nombre_decimal", libelle="Taux", max=Decimal("99.5"))
    assert check(bornee, Decimal("100")) == ["« Taux » doit être 99,5 ou moins"]


def test_date_bounds_from_the_caller_or_the_definition():
    assert check(date_, date(1990, 1, 1), date_min=date(1996, 1, 1)) == [
        "« Date de naissance » doit être le 01/01/1996 ou après"
    ]
    assert check(date_, date(2030, 1, 1), date_max=date(2024, 12, 31)) == [
        "« Date de naissance » doit être le 31/12/2024 ou avant"
    ]
    literal = Date(id="d", type="date", libelle="Date", min=date(2020, 1, 1), max="aujourdhui")
    assert check(literal, date(2019, 5, 1)) == ["« Date » doit être le 01/01/2020 ou après"]
    assert check(literal, date(2019, 5, 1), date_min=date(2019, 1, 1)) == []
    assert check(literal, date(2019, 5, 1), date_min=date(2020, 1, 1), date_max=date(2021, 1, 1)) == [
        "« Date » doit être entre le 01/01/2020 et le 01/01/2021"
    ]


def test_multiple_choice_rules():
    bornes = ChoixMultiple(id="aides", type="choix_multiple", libelle="Aides", liste="aides", min_choix=2, max_choix=2)
    assert check(bornes, ("bourse",)) == ["Sélectionnez au moins 2 réponses pour « Aides »"]
    assert check(bornes, ("bourse", "logement", "aucune")) == ["Sélectionnez au plus 2 réponses pour « Aides »"]
    une = bornes.model_copy(update={"min_choix": 1, "max_choix": None})
    assert check(une, ()) == ["Sélectionnez au moins 1 réponse pour « Aides »"]
    both = read(multiple, ["aucune", "bourse"])
    alone = "ne peut pas être cochée avec une autre réponse"
    assert check(multiple, both, options=AIDES) == [f"« Aucune de ces aides » {alone}"]
    assert check(multiple, both) == [f"« aucune » {alone}"]
    assert check(multiple, ("aucune",)) == []


def test_file_count():
    assert check(fichier, ("a", "b")) == []
    assert check(fichier, ("a", "b", "c")) == ["« Justificatifs » ne peut pas comporter plus de 2 fichiers"]
    seul = fichier.model_copy(update={"nombre_max": 1})
    assert check(seul, ("a", "b")) == ["« Justificatifs » ne peut pas comporter plus d'un fichier"]


# --- the words around a field ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (texte, "Saisissez « Nom de naissance »"),
        (date_, "Saisissez « Date de naissance »"),
        (choix, "Sélectionnez une réponse pour « Lieu des études »"),
        (multiple, "Sélectionnez au moins une réponse pour « Aides perçues »"),
        (oui_non, "Répondez oui ou non à « Êtes-vous boursier ? »"),
        (case, "Cochez la case « Je certifie l'exactitude des informations » pour continuer"),
        (commune, "Sélectionnez une commune pour « Commune de résidence »"),
        (fichier, "Sélectionnez un fichier pour « Justificatifs »"),
        (Texte(id="n", type="texte", libelle="Nom", message_obligatoire="Saisissez votre nom"), "Saisissez votre nom"),
        (BLOC, "Ajoutez au moins 1 élément à « Enfants »"),
        (BLOC.model_copy(update={"min": 2}), "Ajoutez au moins 2 éléments à « Enfants »"),
    ],
)
def test_missing_message(field, message):
    assert missing_message(field) == message


def test_no_message_uses_forbidden_words():
    forbidden = ("invalide", "valide", "veuillez", "désolé")
    fields = [texte, date_, choix, multiple, oui_non, case, commune, fichier, email, telephone, iban, ridet, adresse]
    messages = [missing_message(field) for field in fields] + [message for *_, message in UNREADABLE]
    assert not [message for message in messages if any(word in message.lower() for word in forbidden)]


def test_hints():
    assert hint(telephone) == "Format attendu : 6 chiffres, par exemple 77 12 34"
    assert hint(date_) == "Par exemple : 27 3 2007"
    assert hint(montant) == "En francs CFP"
    assert hint(decimal_) == "2 chiffres après la virgule au maximum"
    assert hint(ridet) == "7 chiffres puis le rang de l'établissement, par exemple 1234567.001"
    assert "FR76" in (hint(iban) or "")
    assert hint(fichier) == "Taille maximale : 5 Mo. Formats acceptés : pdf, jpg. 2 fichiers au maximum."
    assert hint(texte) is None
    assert hint(date_.model_copy(update={"aide": "La date figurant sur votre pièce d'identité"})) == (
        "La date figurant sur votre pièce d'identité"
    )


# --- the communes referential ---------------------------------------------------------------------------------------


def test_the_33_communes():
    assert len(communes.COMMUNES) == 33
    provinces = [commune_.province for commune_ in communes.COMMUNES.values()]
    assert (provinces.count("sud"), provinces.count("nord"), provinces.count("iles")) == (13, 17, 3)
    assert len({commune_.insee for commune_ in communes.COMMUNES.values()}) == 33
    assert all(communes.POSTAL_CODE.fullmatch(code) for c in communes.COMMUNES.values() for code in c.codes_postaux)


def test_communes_by_name_code_and_insee():
    assert communes.find("Nouméa") == communes.find("NOUMEA") == communes.COMMUNES["noumea"]
    assert communes.find("  dumbea ") is communes.COMMUNES["dumbea"]
    assert communes.find("Houailou") is communes.COMMUNES["houailou"]
    assert communes.find("Bouloupari") is communes.COMMUNES["boulouparis"]
    assert communes.find("98818") is None
    assert communes.by_insee("98818") is communes.COMMUNES["noumea"]
    assert [c.code for c in communes.by_postal_code("98800")] == ["noumea"]
    assert communes.COMMUNES["noumea"].codes_postaux[0] == "98800"
    assert communes.COMMUNES["bourail"].codes_postaux == ("98870",)
    assert communes.COMMUNES["la_foa"].codes_postaux == ("98880",)


def test_commune_options_are_sorted_as_people_look_for_them():
    names = list(communes.options("sud").values())
    assert names.index("Le Mont-Dore") > names.index("La Foa")
    assert names.index("L'Île-des-Pins") < names.index("La Foa")
    assert len(names) == 13
