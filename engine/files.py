"""Uploaded files: what their content is, whether a pièce accepts them, and where their bytes are kept.

The name and the Content-Type of an upload come from the usager's machine and prove nothing: the format is read
from the first bytes, and the name is only cleaned to be shown back. Bytes go to a ``FileStore`` under keys the
engine generates, so a local folder today can become an S3-compatible bucket without touching the use cases."""

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import Protocol

from engine.errors import NotFound, UploadError
from forms.scalars import format_taille

__all__ = ["FileStore", "LocalFileStore", "check_upload", "clean_filename", "sniff"]

_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")


class FileStore(Protocol):
    """Where the bytes of pièces live, by opaque key."""

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (replacing nothing: keys are fresh)."""

    def get(self, key: str) -> bytes:
        """The bytes stored under ``key``; NotFound if there are none."""

    def delete(self, key: str) -> None:
        """Forget ``key``; nothing happens if it is already gone."""


class LocalFileStore:
    """A FileStore in a local folder, two levels of sub-folders deep so no folder grows too large."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"invalid storage key {key!r}")
        path = (self.root / key[:2] / key).resolve()
        if not path.is_relative_to(self.root):  # unreachable with the pattern above; kept as the last line
            raise ValueError(f"invalid storage key {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        """Write the file whole or not at all: a crash mid-write leaves no half file under the key."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        """The file's bytes."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFound(f"no stored file {key!r}") from None

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self._path(key).unlink(missing_ok=True)


_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def _zip_kind(data: bytes) -> str | None:
    """What a zip holds; only its directory and the tiny ``mimetype`` entry are read, never the bulk (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if entries and entries[0].filename == "mimetype" and entries[0].file_size <= 100:
                kind = _OPENDOCUMENT.get(archive.read(entries[0]).strip())
                if kind:
                    return kind
            names = [entry.filename for entry in entries]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError):
        return None  # a zip signature on a broken archive: not a zip anyone can open
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
    return "zip"


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff(data: bytes) -> str | None:
    """The format of a file by its content, among forms.fields.PieceFormat; None when it is none of them."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if data and _is_text(data):
        return "csv"
    return None


# An encrypted PDF names its encryption dictionary in the trailer (or in the cross-reference stream's dictionary,
# PDF 1.5+), as a reference ``/Encrypt 12 0 R`` or inline ``/Encrypt <<``. Linearised files have a second trailer
# near the start, and incremental updates append more, so the whole file is searched: one pass over bytes is cheap.
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")


def _is_encrypted_pdf(data: bytes) -> bool:
    return _ENCRYPT.search(data) is not None


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_MAX_NAME = 120


def clean_filename(filename: str) -> str:
    """The usager's file name made safe to show and to offer in a download: no folders, no control characters."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", _UNSAFE.sub("_", name)).strip().lstrip(".").strip()
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 10 else ""
        name = name[: _MAX_NAME - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return name or "fichier"


def _listed(formats: Collection[str]) -> str:
    shown = [item.upper() for item in formats]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " ou " + shown[-1]


def check_upload(data: bytes, filename: str, formats: Collection[str], taille_max: int) -> tuple[str, str]:
    """The sniffed format and the cleaned name of an acceptable upload; UploadError with the message otherwise."""
    if not data:
        raise UploadError("Le fichier sélectionné est vide")
    if len(data) > taille_max:
        raise UploadError(f"Le fichier doit peser moins de {format_taille(taille_max)}")
    found = sniff(data)
    if found is None or found not in formats:
        raise UploadError(f"Le fichier doit être au format {_listed(formats)}")
    if found == "pdf" and _is_encrypted_pdf(data):
        raise UploadError("Le fichier est protégé par un mot de passe : enregistrez-le sans mot de passe")
    return found, clean_filename(filename)
