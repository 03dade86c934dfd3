"""E-mails to the usager: the receipt of a submission, and how any message leaves the server.

With ``SMTP_URL`` set, messages go to that server; without it they are written as ``.eml`` files under
``var/courriels/``, so a developer reads them in any mail client without running a mail server. The receipt uses the
editor's ``courriel`` of the depot transition when there is one (rendered in the text sandbox), else a plain French
receipt; either way it carries the number, the date and the link (a récépissé must, even if a template breaks)."""

import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email import headerregistry
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import TemplateError

from engine.answers_json import from_json
from engine.catalogue import Entry
from engine.errors import MailError
from engine.mime import POLICY, content, header, subject as subject_header
from engine.settings import LOCAL_TIME, Settings
from engine.storage import Dossier, PieceFile, new_id, utcnow
from forms.evaluation import evaluate
from forms.fields import BlocRepetable, Choix, ChoixMultiple, Email
from forms.scalars import format_taille
from renderers.texts import Code, render_text
from workflows.definition import USAGER

__all__ = ["Mailer", "receipt_message", "recipient"]


Outgoing = EmailMessage | bytes
"""A message ready to go: its bytes (the usual case), or an EmailMessage for an address beyond ASCII, which the
stdlib sends with SMTPUTF8."""


@dataclass(frozen=True)
class Mailer:
    """Sends plain-text e-mails from ``mail_from``, through SMTP or into a folder."""

    mail_from: str
    smtp_url: str | None = None
    mail_dir: Path = Path("var/courriels")
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "Mailer":
        """The mailer the settings describe."""
        return cls(settings.mail_from, settings.smtp_url, settings.mail_dir)

    @cached_property
    def _from(self) -> headerregistry.BaseHeader:
        """The From header, parsed once (an already parsed header is stored as it is)."""
        parsed: headerregistry.BaseHeader = POLICY.header_factory("From", self.mail_from)
        return parsed

    @cached_property
    def _sender(self) -> str:
        """The envelope's sender: the From address."""
        return parseaddr(self.mail_from)[1]

    @cached_property
    def _domain(self) -> str | None:
        return self._sender.rpartition("@")[2] or None

    @cached_property
    def _from_line(self) -> bytes:
        """The From header as the stdlib folds it, made once."""
        return self._from.fold(policy=POLICY).encode("ascii")

    def message(self, to: str, subject: str, body: str) -> EmailMessage:
        """The message as it will be sent."""
        _check_recipient(to)
        message = EmailMessage(policy=POLICY)
        message["From"] = self._from
        message["To"] = to
        message["Subject"] = " ".join(subject.split())  # a template's line break must not start a new header
        message["Date"] = utcnow()  # formatted by the header as format_datetime would, without parsing it back
        message["Message-ID"] = make_msgid(domain=self._domain)
        message.set_content(body)
        return message

    def outgoing(self, to: str, subject: str, body: str) -> Outgoing:
        """The message to hand over: for ASCII addresses, the bytes ``message(…).as_bytes()`` would give (same
        headers and content, read back alike by any mail reader), written here directly — building an EmailMessage
        and flattening it was two thirds of the postman's time per receipt; these bytes cost a twelfth of that."""
        if not (to.isascii() and self._sender.isascii()):
            return self.message(to, subject, body)
        _check_recipient(to)
        head = b"".join(
            (
                self._from_line,
                header("To", to),
                subject_header(subject),
                b"Date: " + format_datetime(utcnow()).encode("ascii") + b"\n",
                b"Message-ID: " + make_msgid(domain=self._domain).encode("ascii") + b"\n",
            )
        )
        return head + content(body)

    def send(self, to: str, subject: str, body: str) -> None:
        """Hand the message over for delivery; MailError if the server refuses it or cannot be reached."""
        message = self.outgoing(to, subject, body)
        if self.smtp_url is None:
            self._write(message)
            return
        try:
            self._deliver(message, _address(to), self.smtp_url)
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(f"envoi du courriel impossible par {urlsplit(self.smtp_url).hostname} : {error}") from error

    def _deliver(self, message: Outgoing, to: str, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        if parts.scheme == "smtps":
            context = ssl.create_default_context()
            with smtplib.SMTP_SSL(host, parts.port or 465, timeout=self.timeout, context=context) as server:
                self._login_and_send(server, message, to, parts.username, parts.password)
            return
        with smtplib.SMTP(host, parts.port or 25, timeout=self.timeout) as server:
            if parts.scheme == "smtp+starttls":
                server.starttls(context=ssl.create_default_context())
            self._login_and_send(server, message, to, parts.username, parts.password)

    def _login_and_send(
        self, server: smtplib.SMTP, message: Outgoing, to: str, user: str | None, password: str | None
    ) -> None:
        if user:
            server.login(unquote(user), unquote(password or ""))
        if isinstance(message, bytes):  # SMTP ends lines with CRLF (smtplib doubles leading dots itself)
            server.sendmail(self._sender, [to], message.replace(b"\n", b"\r\n"))
        else:
            server.send_message(message)

    def _write(self, message: Outgoing) -> None:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        data = message if isinstance(message, bytes) else message.as_bytes()
        (self.mail_dir / f"{stamp}-{new_id()[:8]}.eml").write_bytes(data)


_BARE_ADDRESS = re.compile(r"[^\s@<>()\[\]\\,;:\"]+@[^\s@<>()\[\]\\,;:\"]+")
"""An address alone (``marie@exemple.nc``), which parseaddr would give back as it is."""


def _address(to: str) -> str:
    """The address part of a recipient (``Marie <marie@exemple.nc>`` → ``marie@exemple.nc``)."""
    return to if _BARE_ADDRESS.fullmatch(to) else parseaddr(to)[1]


def _check_recipient(to: str) -> None:
    if "@" not in _address(to) or any(c in to for c in "\r\n"):
        raise MailError(f"adresse de destination incorrecte : {to!r}")


def recipient(entry: Entry, dossier: Dossier, usager: Mapping[str, object] | None = None) -> str | None:
    """Where the usager's e-mails go: the first e-mail answer of the form, else the register's address."""
    for field in entry.dispositif.questions():
        value = dossier.answers.get(field.id)
        if isinstance(field, Email) and isinstance(value, str) and value:
            return value
    address = (usager or {}).get("email")
    return address if isinstance(address, str) and address else None


def _shown(value: object) -> object:
    """Values as the e-mail shows them: an absent answer is blank, not « None »."""
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return tuple(_shown(item) for item in value)
    if isinstance(value, Mapping):
        return {key: _shown(item) for key, item in value.items()}
    return value


def _labelled(entry: Entry, values: Mapping[str, object]) -> dict[str, object]:
    """The values with list codes wrapped in Code, so ``{{ motif | libelle }}`` needs no list name."""
    form = entry.dispositif

    def wrap(field: object, value: object) -> object:
        if isinstance(field, Choix) and isinstance(value, str):
            return Code(value, form.options(field.liste).get(value, value))
        if isinstance(field, ChoixMultiple) and isinstance(value, tuple | list):
            options = form.options(field.liste)
            return tuple(Code(code, options.get(code, code)) for code in value if isinstance(code, str))
        if isinstance(field, BlocRepetable) and isinstance(value, tuple | list):
            subs = {sub.id: sub for sub in field.champs}
            return tuple(
                {name: wrap(subs.get(name), item_value) for name, item_value in item.items()}
                if isinstance(item, Mapping)
                else item
                for item in value
            )
        return value

    return {name: wrap(form.fields.get(name), value) for name, value in values.items()}


def _depot_day(dossier: Dossier) -> datetime:
    return (dossier.submitted_at or utcnow()).astimezone(LOCAL_TIME)


def _piece_labels(entry: Entry, answers: Mapping[str, object], day: date) -> dict[str, str]:
    form = entry.dispositif
    labels = {piece.id: piece.libelle for piece in form.pieces}
    labels.update({field.id: field.libelle for field in form.questions()})
    labels.update({request.key: request.libelle for request in evaluate(entry.rules, answers, today=day).pieces})
    return labels


def receipt_message(
    entry: Entry,
    dossier: Dossier,
    pieces: Sequence[PieceFile],
    settings: Settings,
    *,
    lien: str | None = None,
    usager: Mapping[str, object] | None = None,
) -> tuple[str, str]:
    """The subject and body of the receipt sent when the dossier is submitted.

    ``lien`` is the dossier's page as the web layer routes it (default: ``{base_url}/dossiers/{id}``)."""
    form = entry.dispositif
    workflow = form.instruction
    submitted = _depot_day(dossier)
    etat = workflow.etats.get(dossier.etat)
    record = {
        "numero": dossier.numero or "",
        "date_depot": submitted.date(),
        "date_creation": dossier.created_at.astimezone(LOCAL_TIME).date(),
        "etat": Code(dossier.etat, (etat.libelle_usager or etat.libelle) if etat else dossier.etat),
        "lien": lien or f"{settings.base_url}/dossiers/{dossier.id}",
        "canal": dossier.canal,
        "jours_dans_etat": 0,
    }
    answers = from_json(dossier.answers, form)
    depot = workflow.depot()
    courriel = form.courriels.get(depot.courriel) if depot and depot.courriel else None
    if courriel is not None:
        situation = evaluate(
            entry.rules, answers, today=submitted.date(), reference_date=submitted.date(), usager=usager, dossier=record
        )
        values = _labelled(entry, situation.values)
        values.update(dossier=record, usager=dict(usager or {}))
        values["transition"] = {"commentaire": "", "date_limite": None, "auteur": USAGER}
        shown = {name: _shown(value) for name, value in values.items()}
        try:
            return render_text(courriel.objet, shown).strip(), render_text(courriel.corps, shown)
        except TemplateError:
            pass  # the load-time checks make this rare; a receipt without the editor's wording beats no receipt
    labels = _piece_labels(entry, answers, submitted.date()) if pieces else {}  # evaluating costs: only to label
    return _default_receipt(entry, record, submitted, pieces, labels)


def _default_receipt(
    entry: Entry,
    record: Mapping[str, object],
    submitted: datetime,
    pieces: Sequence[PieceFile],
    labels: Mapping[str, str],
) -> tuple[str, str]:
    meta = entry.dispositif.dispositif
    numero = record["numero"]
    lines = [
        "Bonjour,",
        "",
        f"Votre demande « {meta.titre} » a bien été reçue le {submitted:%d/%m/%Y} à {submitted:%H:%M}.",
        "",
        f"Numéro de dossier : {numero}",
        "Rappelez ce numéro pour toute question sur votre demande.",
        "",
    ]
    if meta.fiche.delai:
        lines += [f"Délai habituel de traitement : {meta.fiche.delai}.", ""]
    if pieces:
        lines.append("Pièces justificatives reçues :")
        for piece in pieces:
            label = labels.get(piece.piece_key, piece.piece_key)
            lines.append(f"- {label} : {piece.filename} ({piece.format.upper()}, {format_taille(piece.size)})")
    else:
        lines.append("Aucune pièce justificative n'a été jointe.")
    lines += [
        "",
        f"Suivre votre demande : {record['lien']}",
        "",
        meta.service,
        meta.contact,
        "",
        "Ce message vaut accusé de réception. Il est envoyé automatiquement : merci de ne pas y répondre.",
    ]
    return f"Demande {numero} reçue : {meta.titre}", "\n".join(lines) + "\n"
