"""How the generated inputs are named, and the inverse: posted pairs read back into raw answers and an action.

Both directions live here so they cannot drift apart. A name is the answer key, with the part of a grouped input
after a dot: ``nom``; ``date_naissance.jour``; ``adresse.code_postal``; ``membres.0.membre_prenom`` for a block's
sub-field; ``membres.0.membre_date.annee`` for a part inside a block; ``membres.0`` alone marks that the item exists,
so an item whose radios are all unanswered is not lost on the way back."""

from collections.abc import Mapping, Sequence

from forms.definition import Form, Page
from forms.evaluation import PieceRequest
from forms.fields import (
    REPEAT_CAP,
    Adresse,
    AnyField,
    BlocRepetable,
    ChampSimple,
    ChoixMultiple,
    Date,
    Explication,
    Fichier,
)

DATE_PARTS = ("jour", "mois", "annee")
ADDRESS_PARTS = ("ligne1", "ligne2", "code_postal", "commune")
DOCUMENT_DATE = "date_document"
"""The part under a pièce's key holding the date of the document, when its validité asks for it."""

CONTINUER = "continuer"
ENREGISTRER = "enregistrer"
ACTUALISER = "actualiser"
ACTIONS = (CONTINUER, ENREGISTRER, ACTUALISER, "ajouter:<bloc>", "retirer:<bloc>:<index>")
"""What the buttons of a step post under ``action``; no action at all means ``continuer`` (Enter in a field)."""

_IGNORED = frozenset({"csrf_token", "action"})


def parts_of(field: AnyField | ChampSimple) -> tuple[str, ...]:
    """The parts a grouped field posts (date, adresse); empty for a field with one input."""
    if isinstance(field, Date):
        return DATE_PARTS
    if isinstance(field, Adresse):
        return ADDRESS_PARTS
    return ()


def item_key(bloc: str, index: int, sub: str | None = None) -> str:
    """The answer key of a block's sub-field in one item (``membres.0.membre_prenom``); the item's own without sub."""
    return f"{bloc}.{index}" if sub is None else f"{bloc}.{index}.{sub}"


def input_name(key: str, part: str | None = None) -> str:
    """The ``name`` of the input holding an answer key, or one part of it."""
    return key if part is None else f"{key}.{part}"


def html_id(key: str, part: str | None = None) -> str:
    """An HTML id for an answer key: ids never hold dots (CSS selectors and URL fragments would need escaping).

    Field ids are ``[a-z0-9_]`` only, so joining with ``-`` cannot make two keys meet."""
    base = key.replace(".", "-")
    return base if part is None else f"{base}-{part}"


def anchor_of(field: AnyField | ChampSimple, key: str) -> str:
    """Id of the element an error link or a « Modifier » link lands on: the field's first input (GOV.UK)."""
    parts = parts_of(field)
    if parts:
        return html_id(key, parts[0])
    return html_id(key)


def _add(target: dict[str, object], key: str, value: str) -> None:
    """One value under a key; a name posted twice keeps both, so validation sees the tampering as a list."""
    if key not in target:
        target[key] = value
        return
    found = target[key]
    if isinstance(found, list):
        found.append(value)
    else:
        target[key] = [found, value]


def _put(target: dict[str, object], field: ChampSimple | AnyField, key: str, part: str, value: str) -> bool:
    """Store a posted value of a known field; False when the name is not one this field produces."""
    if isinstance(field, Explication | Fichier | BlocRepetable):
        return False  # files arrive through the upload layer, explications post nothing
    parts = parts_of(field)
    if not part and not parts:
        if isinstance(field, ChoixMultiple):
            chosen = target.setdefault(key, [])
            if isinstance(chosen, list):
                chosen.append(value)
                return True
            return False
        _add(target, key, value)
        return True
    if part in parts:
        grouped = target.setdefault(key, {})
        if isinstance(grouped, dict):
            grouped[part] = value
            return True
    return False


def _put_item(bloc: BlocRepetable, rest: str, value: str, found: dict[int, dict[str, object]]) -> bool:
    index_text, _, inner = rest.partition(".")
    if not index_text.isdigit() or int(index_text) >= REPEAT_CAP or len(index_text) > 2:
        return False  # a forged index must not make the server build thousands of items
    item = found.setdefault(int(index_text), {})
    if not inner:
        return True
    sub_id, _, part = inner.partition(".")
    sub = next((sub for sub in bloc.champs if sub.id == sub_id), None)
    if sub is None or not _put(item, sub, sub_id, part, value):
        if not (isinstance(sub, Fichier) and not part):
            _add(item, inner, value)  # unknown inside an item: validation names it ``bloc.N.name``
    return True


def parse_page(page: Page, form: Form, items: Sequence[tuple[str, str]]) -> tuple[dict[str, object], str]:
    """Raw answers for forms.validation from the pairs a step posted, and the button's action.

    Names no field of the page produces are returned unchanged, so validation refuses them (tampering); the CSRF
    token and the action are not answers. Files are not read here: the upload layer stores them and passes their
    references. ``form`` is the version of the form the draft is on; the page alone is enough today."""
    fields = {field.id: field for field in page.champs}
    raw: dict[str, object] = {}
    blocs: dict[str, dict[int, dict[str, object]]] = {}
    action = CONTINUER
    for name, value in items:
        if name in _IGNORED:
            action = (value or CONTINUER) if name == "action" else action
            continue
        head, _, rest = name.partition(".")
        field = fields.get(head)
        if isinstance(field, BlocRepetable):
            if rest and _put_item(field, rest, value, blocs.setdefault(head, {})):
                continue
        elif isinstance(field, Fichier) and not rest:
            continue
        elif field is not None and _put(raw, field, head, rest, value):
            continue
        _add(raw, name, value)
    for bloc_id, found in blocs.items():
        if found:
            raw[bloc_id] = [found[index] for index in sorted(found)]
    return raw, action


def parse_pieces(
    requests: Sequence[PieceRequest], items: Sequence[tuple[str, str]]
) -> tuple[dict[str, Mapping[str, str]], str]:
    """The dates of documents posted on the « Vos justificatifs » page, by pièce key, and the action."""
    wanted = {f"{request.key}.{DOCUMENT_DATE}": request.key for request in requests}
    dates: dict[str, dict[str, str]] = {}
    action = CONTINUER
    for name, value in items:
        if name == "action":
            action = value or CONTINUER
            continue
        prefix, _, part = name.rpartition(".")
        if prefix in wanted and part in DATE_PARTS:
            dates.setdefault(wanted[prefix], {})[part] = value
    return dict(dates), action
