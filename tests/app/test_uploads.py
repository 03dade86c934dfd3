"""Pièces: recognised by content, never by name; stored under generated keys; kept in step with the transaction."""

import hashlib
import io
import zipfile

import pytest

from engine.db import session_scope
from engine.errors import NotFound, UploadError
from engine.files import LocalFileStore, check_upload, clean_filename, sniff
from engine.services import add_piece, get_owned, pieces_of, remove_piece, start_draft

MO = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ENCRYPTED_PDF = b"%PDF-1.6\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(10)


def archive(entries, *, stored_first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        if stored_first:
            zipped.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1])
        for name, content in entries:
            zipped.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPG, "jpg"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "heic"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (archive([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>")]), "docx"),
        (archive([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<x/>")]), "xlsx"),
        (archive([], stored_first=("mimetype", "application/vnd.oasis.opendocument.text")), "odt"),
        (archive([], stored_first=("mimetype", "application/vnd.oasis.opendocument.spreadsheet")), "ods"),
        (archive([("notes.txt", "bonjour")]), "zip"),
        (b"nom;montant\nDupont;12 000\n", "csv"),
        (b"PK\x03\x04 broken archive", None),
        (b"MZ\x90\x00\x03\x00\x00\x00", None),
        (b"\x00\x01\x02binary", None),
        ("caf\xe9".encode("latin-1"), None),
    ],
    ids=[
        "pdf",
        "png",
        "jpg",
        "heic",
        "heif-mif1",
        "tiff-le",
        "tiff-be",
        "docx",
        "xlsx",
        "odt",
        "ods",
        "zip",
        "csv",
        "broken-zip",
        "exe",
        "binary",
        "latin-1-text",
    ],  # fmt: skip
)
def test_sniff_reads_the_content(data, expected):
    assert sniff(data) == expected


def test_a_pdf_named_png_is_accepted_as_a_pdf():
    assert check_upload(PDF, "scan.png", ("pdf", "jpg", "png"), 5 * MO) == ("pdf", "scan.png")


def test_a_png_named_pdf_is_refused_when_only_pdf_is_allowed():
    with pytest.raises(UploadError) as refused:
        check_upload(PNG, "avis.pdf", ("pdf",), 5 * MO)
    assert refused.value.message == "Le fichier doit être au format PDF"


def test_the_message_lists_the_accepted_formats():
    with pytest.raises(UploadError) as refused:
        check_upload(b"MZ\x90\x00", "virus.pdf", ("pdf", "jpg", "png"), 5 * MO)
    assert refused.value.message == "Le fichier doit être au format PDF, JPG ou PNG"


def test_an_empty_file_is_refused():
    with pytest.raises(UploadError) as refused:
        check_upload(b"", "vide.pdf", ("pdf",), 5 * MO)
    assert refused.value.message == "Le fichier sélectionné est vide"


def test_a_file_too_big_is_refused():
    with pytest.raises(UploadError) as refused:
        check_upload(PDF + bytes(5 * MO), "gros.pdf", ("pdf",), 5 * MO)
    assert refused.value.message == "Le fichier doit peser moins de 5 Mo"


def test_an_encrypted_pdf_is_refused():
    with pytest.raises(UploadError) as refused:
        check_upload(ENCRYPTED_PDF, "protege.pdf", ("pdf",), 5 * MO)
    assert refused.value.message == "Le fichier est protégé par un mot de passe : enregistrez-le sans mot de passe"


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\marie\\avis d'imposition.pdf", "avis d'imposition.pdf"),
        ("  .bashrc", "bashrc"),
        ("a\x00b\nc<d>.pdf", "a_b_c_d_.pdf"),
        ("", "fichier"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),  # 120 characters, extension kept
    ],
    ids=["traversal", "windows", "hidden", "control", "empty", "long"],
)
def test_filenames_are_cleaned(name, clean):
    assert clean_filename(name) == clean


def test_the_local_store_refuses_keys_that_are_paths(tmp_path):
    store = LocalFileStore(tmp_path / "pieces")
    for key in ("../x", "a/b", "", ".hidden", "a" * 200):
        with pytest.raises(ValueError):
            store.put(key, b"x")
    store.put("abcdef", b"contenu")
    assert store.get("abcdef") == b"contenu"
    assert (tmp_path / "pieces" / "ab" / "abcdef").read_bytes() == b"contenu"
    store.delete("abcdef")
    store.delete("abcdef")
    with pytest.raises(NotFound):
        store.get("abcdef")


@pytest.fixture
def store(tmp_path):
    return LocalFileStore(tmp_path / "pieces")


def stored_files(store):
    return sorted(path.name for path in store.root.rglob("*") if path.is_file())


def test_a_piece_is_stored_with_its_checksum(db_engine, minimal, store):
    with session_scope(db_engine) as session:
        dossier = start_draft(session, minimal, "usager-a", prefill={})
        piece = add_piece(session, store, dossier, "rib", PDF, "../RIB.png", ("pdf", "png"), 2 * MO)
    assert (piece.format, piece.filename, piece.size) == ("pdf", "RIB.png", len(PDF))
    assert piece.sha256 == hashlib.sha256(PDF).hexdigest()
    assert store.get(piece.storage_key) == PDF and piece.storage_key != piece.id
    with session_scope(db_engine) as session:
        assert [p.id for p in pieces_of(session, get_owned(session, dossier.id, "usager-a"))] == [piece.id]


def test_a_rolled_back_upload_leaves_no_file(db_engine, minimal, store):
    with session_scope(db_engine) as session:
        dossier = start_draft(session, minimal, "usager-a", prefill={})
    with pytest.raises(RuntimeError), session_scope(db_engine) as session:
        add_piece(session, store, get_owned(session, dossier.id, "usager-a"), "rib", PDF, "rib.pdf", ("pdf",), MO)
        assert len(stored_files(store)) == 1
        raise RuntimeError("the request failed after the upload")
    assert stored_files(store) == []


def test_a_removed_piece_loses_its_file_on_commit_only(db_engine, minimal, store):
    with session_scope(db_engine) as session:
        dossier = start_draft(session, minimal, "usager-a", prefill={})
        piece = add_piece(session, store, dossier, "rib", PDF, "rib.pdf", ("pdf",), MO)
    with pytest.raises(RuntimeError), session_scope(db_engine) as session:
        remove_piece(session, store, get_owned(session, dossier.id, "usager-a"), piece.id)
        raise RuntimeError("rolled back: the file must stay")
    assert stored_files(store) == [piece.storage_key]
    with session_scope(db_engine) as session:
        loaded = get_owned(session, dossier.id, "usager-a")
        remove_piece(session, store, loaded, piece.id)
        assert stored_files(store) == [piece.storage_key]
    assert stored_files(store) == []
    with session_scope(db_engine) as session, pytest.raises(NotFound):
        remove_piece(session, store, get_owned(session, dossier.id, "usager-a"), piece.id)


def test_a_piece_of_another_dossier_cannot_be_removed(db_engine, minimal, store):
    with session_scope(db_engine) as session:
        mine = start_draft(session, minimal, "usager-a", prefill={})
        theirs = start_draft(session, minimal, "usager-b", prefill={})
        piece = add_piece(session, store, theirs, "rib", PDF, "rib.pdf", ("pdf",), MO)
    with session_scope(db_engine) as session, pytest.raises(NotFound):
        remove_piece(session, store, get_owned(session, mine.id, "usager-a"), piece.id)


def test_the_number_of_files_per_piece_is_capped(db_engine, minimal, store):
    with session_scope(db_engine) as session:
        dossier = start_draft(session, minimal, "usager-a", prefill={})
        add_piece(session, store, dossier, "avis.0", PDF, "a.pdf", ("pdf",), MO, nombre_max=1)
        add_piece(session, store, dossier, "avis.1", PDF, "b.pdf", ("pdf",), MO, nombre_max=1)
        with pytest.raises(UploadError) as refused:
            add_piece(session, store, dossier, "avis.0", PDF, "c.pdf", ("pdf",), MO, nombre_max=1)
    assert "un seul fichier" in refused.value.message
    assert len(stored_files(store)) == 2
