"""What an upload input tells the usager before they choose a file, and the files already sent.

DSFR makes the constraints text mandatory next to every upload (formats, size, number), and the same sentence is
used for a ``fichier`` field and a pièce justificative so the same function reads the same everywhere (RGAA 11.3)."""

from collections.abc import Sequence
from dataclasses import dataclass

from forms.scalars import format_taille

FORMATS = {
    "pdf": (".pdf", "application/pdf"),
    "jpg": (".jpg", ".jpeg", "image/jpeg"),
    "png": (".png", "image/png"),
    "heic": (".heic", "image/heic"),
    "tiff": (".tif", ".tiff", "image/tiff"),
    "odt": (".odt", "application/vnd.oasis.opendocument.text"),
    "ods": (".ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (".csv", "text/csv"),
    "zip": (".zip", "application/zip"),
}


@dataclass(frozen=True)
class UploadedFile:
    """A file the usager already sent, with the owner-only links the web layer built."""

    nom: str
    taille: int
    """In bytes."""
    url: str
    """Download or preview, for the owner only."""
    delete_url: str
    """Where the « Supprimer » button posts (through the enclosing form, so the CSRF token goes with it)."""

    @property
    def taille_texte(self) -> str:
        """The size as people read it (« 1,2 Mo »)."""
        return format_taille(self.taille)


def upload_hint(formats: Sequence[str], taille_max: int, nombre_max: int) -> str:
    """« Formats acceptés : PDF, JPG, PNG. Taille maximale : 5 Mo. » and, when several files are allowed, how many."""
    text = f"Formats acceptés : {', '.join(name.upper() for name in formats)}. Taille maximale : "
    text += f"{format_taille(taille_max)}{' par fichier' if nombre_max > 1 else ''}."
    if nombre_max > 1:
        text += f" {nombre_max} fichiers au maximum."
    return text


def accept(formats: Sequence[str]) -> str:
    """The ``accept`` attribute, so a phone's file picker offers the right documents; the server still checks."""
    return ",".join(token for name in formats for token in FORMATS.get(name, (f".{name}",)))
