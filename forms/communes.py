"""The referential of the 33 communes of New Caledonia, so an address or a commune answer names a real place.

A commune is stored by a readable code in the id syntax of list codes (``mont_dore``), so an editor can write
``commune == "noumea"`` in a condition. The INSEE code (Code officiel géographique) is kept for the register and the
applications métier, but it is not the stored code: INSEE codes and postal codes are both 988xx and overlap (98809 is
L'Île-des-Pins for INSEE and Le Mont-Dore for the post), a confusion an answer must not be able to make.
A commune's first postal code is its main one; only codes known for sure are listed (OPT-NC's CEDEX and BP codes are
not). Poya straddles two provinces; the commune belongs to the Province Nord."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Province = Literal["sud", "nord", "iles"]

PROVINCES: Mapping[Province, str] = MappingProxyType(
    {"sud": "Province Sud", "nord": "Province Nord", "iles": "Province des Îles Loyauté"}
)


@dataclass(frozen=True)
class CommuneNC:
    """One commune: the code stored in answers, the name shown, and what an address there may carry."""

    code: str
    insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    province: Province
    autres_noms: tuple[str, ...] = ()
    """Spellings people still type (« Mont-Dore », « Île des Pins »): accepted, never shown."""


_ALL = (
    CommuneNC("belep", "98801", "Bélep", ("98811",), "nord"),
    CommuneNC("boulouparis", "98802", "Boulouparis", ("98812",), "sud", ("Bouloupari",)),
    CommuneNC("bourail", "98803", "Bourail", ("98870",), "sud"),
    CommuneNC("canala", "98804", "Canala", ("98813",), "nord"),
    CommuneNC("dumbea", "98805", "Dumbéa", ("98835", "98830", "98836", "98837", "98839"), "sud"),
    CommuneNC("farino", "98806", "Farino", ("98881",), "sud"),
    CommuneNC("hienghene", "98807", "Hienghène", ("98815",), "nord"),
    CommuneNC("houailou", "98808", "Houaïlou", ("98816",), "nord"),
    CommuneNC("ile_des_pins", "98809", "L'Île-des-Pins", ("98832",), "sud", ("Île des Pins", "Ile des Pins")),
    CommuneNC("kaala_gomen", "98810", "Kaala-Gomen", ("98817",), "nord"),
    CommuneNC("kone", "98811", "Koné", ("98860", "98859"), "nord"),
    CommuneNC("koumac", "98812", "Koumac", ("98850",), "nord"),
    CommuneNC("la_foa", "98813", "La Foa", ("98880",), "sud"),
    CommuneNC("lifou", "98814", "Lifou", ("98820",), "iles"),
    CommuneNC("mare", "98815", "Maré", ("98828", "98878"), "iles"),
    CommuneNC("moindou", "98816", "Moindou", ("98819",), "sud"),
    CommuneNC("mont_dore", "98817", "Le Mont-Dore", ("98809", "98810"), "sud", ("Mont-Dore", "Mont Dore")),
    CommuneNC("noumea", "98818", "Nouméa", ("98800",), "sud"),
    CommuneNC("ouegoa", "98819", "Ouégoa", ("98821",), "nord"),
    CommuneNC("ouvea", "98820", "Ouvéa", ("98814",), "iles"),
    CommuneNC("paita", "98821", "Païta", ("98889", "98890"), "sud"),
    CommuneNC("poindimie", "98822", "Poindimié", ("98822",), "nord"),
    CommuneNC("ponerihouen", "98823", "Ponérihouen", ("98823",), "nord"),
    CommuneNC("pouebo", "98824", "Pouébo", ("98824",), "nord"),
    CommuneNC("pouembout", "98825", "Pouembout", ("98825",), "nord"),
    CommuneNC("poum", "98826", "Poum", ("98826",), "nord"),
    CommuneNC("poya", "98827", "Poya", ("98827",), "nord"),
    CommuneNC("sarramea", "98828", "Sarraméa", ("98882",), "sud"),
    CommuneNC("thio", "98829", "Thio", ("98829",), "sud"),
    CommuneNC("touho", "98830", "Touho", ("98831",), "nord"),
    CommuneNC("voh", "98831", "Voh", ("98833",), "nord"),
    CommuneNC("yate", "98832", "Yaté", ("98834",), "sud"),
    CommuneNC("kouaoua", "98833", "Kouaoua", ("98818",), "nord"),
)

COMMUNES: Mapping[str, CommuneNC] = MappingProxyType({commune.code: commune for commune in _ALL})
"""Every commune by its code."""

_BY_INSEE: Mapping[str, CommuneNC] = MappingProxyType({commune.insee: commune for commune in _ALL})

POSTAL_CODE = re.compile(r"988\d\d")
"""The shape of a New Caledonian postal code; whether it is served is a question for the referential."""


def name_key(text: str) -> str:
    """Case, accents, hyphens and apostrophes folded away: what people type differently for the same name."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.split(r"[^0-9a-z]+", bare)).strip()


_BY_NAME: Mapping[str, CommuneNC] = MappingProxyType(
    {name_key(name): commune for commune in _ALL for name in (commune.nom, *commune.autres_noms)}
)


def find(text: str) -> CommuneNC | None:
    """The commune named by its code or its name written with any case or accents (an INSEE code is refused)."""
    text = text.strip()
    return COMMUNES.get(text) or _BY_NAME.get(name_key(text))


def by_insee(insee: str) -> CommuneNC | None:
    """The commune with this INSEE code, for data from the register; answers never carry one."""
    return _BY_INSEE.get(insee.strip())


def by_postal_code(code_postal: str) -> tuple[CommuneNC, ...]:
    """The communes an address with this postal code may be in (none for a code that is not served)."""
    return tuple(commune for commune in _ALL if code_postal in commune.codes_postaux)


def _sort_key(commune: CommuneNC) -> str:
    # « Le Mont-Dore » is looked for under M and « L'Île-des-Pins » under I; « La Foa » stays under L.
    return re.sub(r"^(le|l) ", "", name_key(commune.nom))


def options(province: Province | None = None) -> dict[str, str]:
    """{code: nom} in alphabetical order, for a select list, optionally for one province."""
    chosen = (commune for commune in _ALL if province is None or commune.province == province)
    return {commune.code: commune.nom for commune in sorted(chosen, key=_sort_key)}
