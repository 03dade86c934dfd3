"""The bytes of an e-mail, written directly by ``Mailer.outgoing``: any mail reader must read them exactly as it reads
the stdlib's EmailMessage (``Mailer.message``) for the same recipient, subject and body."""

from email import message_from_bytes, policy

import pytest
from hypothesis import example, given, settings, strategies as st

from engine.errors import MailError
from engine.mail import Mailer

MAILER = Mailer("Province Sud <ne-pas-repondre@province-sud.nc>")
TO = "marie.wakolo@exemple.nc"

# Text as templates and usagers write it: accents, punctuation, spaces and line breaks of every kind, a few symbols.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
WORDS = st.lists(
    st.sampled_from(
        ["Demande", "reçue", "n°", "PS-2026-000123", "«", "»", ":", "Été", "=?utf-8?q?x?=", "€", "🙂", "a"]
    ),
    max_size=40,
).map(" ".join)


def read(data):
    return message_from_bytes(data, policy=policy.default)


def same_reading(subject, body, to=TO):
    written = read(MAILER.outgoing(to, subject, body))
    reference = read(MAILER.message(to, subject, body).as_bytes())
    for name in ("From", "To", "MIME-Version", "Content-Type"):
        assert written[name] == reference[name], name
    # The subject exactly as written, whitespace collapsed. Not compared with the stdlib's: its folding sometimes
    # loses a space between two encoded words (« « reçue → « «reçue), and it takes "=?…?=" typed in a subject for an
    # encoded word and decodes it.
    assert written["Subject"] == " ".join(subject.split())
    assert written.get_content() == reference.get_content()
    assert written["Date"].datetime.tzinfo is not None and written["Message-ID"].endswith("@province-sud.nc>")
    return written


@settings(max_examples=300, deadline=None)
@given(subject=st.one_of(TEXT, WORDS), body=st.one_of(TEXT, WORDS))
@example(subject="Demande PS-2026-000123 reçue : Aide exceptionnelle au logement des familles", body="Bonjour,\n")
@example(subject="", body="")
@example(subject="x" * 200, body="é" * 200 + "\n" + "a" * 100)
@example(subject="Demande\nBcc: b@exemple.nc", body="Corps\r\nsans fin de ligne")
def test_the_bytes_read_as_the_stdlib_message(subject, body):
    same_reading(subject, body)


@settings(max_examples=100, deadline=None)
@given(subject=st.one_of(TEXT, WORDS))
def test_header_lines_are_folded_at_78_characters(subject):
    head = MAILER.outgoing(TO, subject, "Corps").split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        assert line.isascii()
        assert len(line) <= 78 or b" " not in line.strip(), line  # only a word too long to cut stays long


def test_a_usual_receipt_is_sent_as_it_reads():
    data = MAILER.outgoing(TO, "Demande PS-2026-000123 reçue", "Bonjour Léa,\n\nNuméro : PS-2026-000123\n")
    assert b"Subject: Demande PS-2026-000123 =?utf-8?q?re=C3=A7ue?=\n" in data
    assert data.endswith(b"Content-Transfer-Encoding: 8bit\n\nBonjour L\xc3\xa9a,\n\nNum\xc3\xa9ro : PS-2026-000123\n")


def test_long_lines_go_quoted_printable_and_come_back_whole():
    body = "Votre demande « Aide exceptionnelle au logement des familles » a bien été reçue le 01/09/2026.\n" * 3
    written = same_reading("Objet", body)
    assert written["Content-Transfer-Encoding"] == "quoted-printable" and written.get_content() == body
    assert all(len(line) <= 76 for line in MAILER.outgoing(TO, "Objet", body).split(b"\n"))


@pytest.mark.parametrize("to", ["Marie Wakolo <marie@exemple.nc>", '"Wakolo, Marie" <marie@exemple.nc>'])
def test_an_address_with_a_name_reads_the_same(to):
    assert same_reading("Objet", "Corps\n", to)["To"].addresses[0].addr_spec == "marie@exemple.nc"


def test_an_address_beyond_ascii_goes_through_the_stdlib():
    assert not isinstance(MAILER.outgoing("Léa <léa@exemple.nc>", "Objet", "Corps"), bytes)


@pytest.mark.parametrize("to", ["a@exemple.nc\r\nBcc: b@exemple.nc", "personne", ""])
def test_a_bad_address_is_refused(to):
    with pytest.raises(MailError, match="adresse de destination incorrecte"):
        MAILER.outgoing(to, "Objet", "Corps")
