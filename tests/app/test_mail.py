"""The receipt e-mail, through a real SMTP server (aiosmtpd on loopback) and through the .eml folder fallback; and the
same receipt written at delivery by the postman from the outbox (delivered by a direct call: nothing to wait for)."""

from datetime import date
from email import message_from_bytes, policy

import pytest

from engine.db import session_scope
from engine.errors import MailError
from engine.files import LocalFileStore
from engine.mail import Mailer, receipt_message, recipient
from engine.postman import Delivery, Postman
from engine.services import add_piece, get_owned, pieces_of, save_page, start_draft, submit
from engine.settings import LOCAL_TIME, Settings
from tests.app.smtp import free_port

TODAY = date(2026, 9, 1)
PDF = b"%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
BOURSE_ANSWERS = {
    "reside_province_sud": True,
    "inscrit_superieur": True,
    "nom": "WAMYTAN",
    "prenoms": "Léa",
    "email": "lea@exemple.nc",
    "situation_familiale": "celibataire",
    "lieu_etudes": "nc",
    "revenus_demandeur": 0,
    "membres": [{"membre_prenom": "Marie", "membre_lien": "parent", "membre_a_revenus": False}],
}


def submitted_dossier(engine, entry, answers, tmp_path):
    store = LocalFileStore(tmp_path / "pieces")
    with session_scope(engine) as session:
        dossier = start_draft(session, entry, "usager-a", prefill={})
        save_page(session, dossier, answers, None)
        add_piece(session, store, dossier, "rib", PDF, "mon rib.pdf", ("pdf",), 2 * 1024 * 1024)
        dossier = submit(session, dossier, entry, today=TODAY, actor="usager-a")
        return dossier, pieces_of(session, dossier)


def settings(tmp_path, smtp_url=None):
    return Settings(secret_key="test", smtp_url=smtp_url, mail_dir=tmp_path / "courriels")


def test_the_receipt_goes_through_smtp(db_engine, bourse, tmp_path, smtp_server):
    url, inbox = smtp_server
    dossier, pieces = submitted_dossier(db_engine, bourse, BOURSE_ANSWERS, tmp_path)
    config = settings(tmp_path, url)
    subject, body = receipt_message(bourse, dossier, pieces, config, lien="https://guichet.test/d/1")
    to = recipient(bourse, dossier)
    Mailer.from_settings(config).send(to, subject, body)
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["lea@exemple.nc"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["Subject"] == "Demande de bourse BES-2026-00001 reçue"
    assert received["From"] == "Province Sud <ne-pas-repondre@province-sud.nc>"
    text = received.get_content()
    assert "Bonjour Léa," in text
    assert f"le {dossier.submitted_at.astimezone(LOCAL_TIME):%d/%m/%Y}" in text
    assert "https://guichet.test/d/1" in text


def test_without_smtp_the_receipt_is_written_as_an_eml_file(db_engine, minimal, tmp_path):
    dossier, pieces = submitted_dossier(db_engine, minimal, {"motif": "Toiture"}, tmp_path)
    config = settings(tmp_path)
    subject, body = receipt_message(minimal, dossier, pieces, config)
    Mailer.from_settings(config).send("usager@exemple.nc", subject, body)
    [written] = (tmp_path / "courriels").glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Demande PS-2026-000001 reçue : Demande minimale"
    text = message.get_content()
    assert "Numéro de dossier : PS-2026-000001" in text
    assert "- rib : mon rib.pdf (PDF, " in text
    assert f"http://127.0.0.1:8000/dossiers/{dossier.id}" in text


def test_the_default_receipt_names_the_pieces_by_their_label(db_engine, bourse, tmp_path):
    dossier, pieces = submitted_dossier(db_engine, bourse, BOURSE_ANSWERS, tmp_path)
    without_courriel = bourse.dispositif.model_copy(update={"courriels": {}})
    entry = type(bourse)(without_courriel, bourse.rules, bourse.version, bourse.path, bourse.source)
    subject, body = receipt_message(entry, dossier, pieces, settings(tmp_path))
    assert subject == "Demande BES-2026-00001 reçue : Bourse provinciale d'enseignement supérieur"
    assert "- Relevé d'identité bancaire (RIB) à votre nom : mon rib.pdf (PDF, " in body
    assert "Délai habituel de traitement : 2 mois." in body


def test_list_answers_reach_templates_with_their_labels(db_engine, bourse, tmp_path):
    dossier, pieces = submitted_dossier(db_engine, bourse, BOURSE_ANSWERS, tmp_path)
    courriel = bourse.dispositif.courriels["accuse_reception"].model_copy(
        update={"corps": "{{ situation_familiale | libelle }} / {{ lieu_etudes }} / {{ montant_indicatif | montant }}"}
    )
    changed = bourse.dispositif.model_copy(update={"courriels": {"accuse_reception": courriel}})
    entry = type(bourse)(changed, bourse.rules, bourse.version, bourse.path, bourse.source)
    _, body = receipt_message(entry, dossier, pieces, settings(tmp_path))
    assert body == "Célibataire / nc / 360\u202f000\u00a0F\u00a0CFP"


def test_an_unreachable_server_is_a_mail_error(tmp_path):
    mailer = Mailer("Province Sud <ne-pas-repondre@province-sud.nc>", f"smtp://127.0.0.1:{free_port()}")
    with pytest.raises(MailError):
        mailer.send("usager@exemple.nc", "Objet", "Corps")


def test_a_line_break_in_the_address_is_refused(tmp_path):
    mailer = Mailer("Province Sud <ne-pas-repondre@province-sud.nc>", mail_dir=tmp_path)
    with pytest.raises(MailError):
        mailer.send("a@exemple.nc\r\nBcc: b@exemple.nc", "Objet", "Corps")


def test_a_line_break_in_the_subject_stays_in_the_subject(tmp_path):
    mailer = Mailer("Province Sud <ne-pas-repondre@province-sud.nc>", mail_dir=tmp_path)
    message = mailer.message("a@exemple.nc", "Demande\nBcc: b@exemple.nc", "Corps")
    assert message["Subject"] == "Demande Bcc: b@exemple.nc" and message["Bcc"] is None


def test_the_recipient_is_the_first_email_answer_else_the_register(db_engine, minimal, bourse, tmp_path):
    dossier, _ = submitted_dossier(db_engine, minimal, {"motif": "x"}, tmp_path)
    assert recipient(minimal, dossier) is None
    assert recipient(minimal, dossier, {"email": "registre@exemple.nc"}) == "registre@exemple.nc"
    with session_scope(db_engine) as session:
        assert get_owned(session, dossier.id, "usager-a").numero == "PS-2026-000001"


def test_the_receipt_from_the_outbox_is_the_receipt_message(db_engine, bourse, tmp_path, smtp_server):
    url, inbox = smtp_server
    dossier, pieces = submitted_dossier(db_engine, bourse, BOURSE_ANSWERS, tmp_path)
    config = settings(tmp_path, url)
    postman = Postman(db_engine, Mailer.from_settings(config), config, lambda slug, version: bourse)
    assert postman.deliver() == Delivery(sent=1)
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["lea@exemple.nc"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    subject, body = receipt_message(bourse, dossier, pieces, config)  # no link given: the one from BASE_URL
    assert (received["Subject"], received.get_content().replace("\r\n", "\n")) == (subject, body)  # SMTP: CRLF
    assert f"http://127.0.0.1:8000/dossiers/{dossier.id}" in body


def test_without_smtp_the_postman_writes_the_eml_file(db_engine, bourse, tmp_path):
    dossier, _ = submitted_dossier(db_engine, bourse, BOURSE_ANSWERS, tmp_path)
    config = settings(tmp_path)
    postman = Postman(db_engine, Mailer.from_settings(config), config, lambda slug, version: bourse)
    assert postman.deliver() == Delivery(sent=1)
    [written] = (tmp_path / "courriels").glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"] == "lea@exemple.nc" and message["Subject"] == f"Demande de bourse {dossier.numero} reçue"
    assert postman.deliver() == Delivery()  # sent once
    assert len(list((tmp_path / "courriels").glob("*.eml"))) == 1
