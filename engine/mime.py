"""The bytes of a plain-text e-mail, written directly: headers folded and encoded as RFC 5322 and RFC 2047 want
them, the body in 7bit, 8bit or quoted-printable as ``EmailMessage.set_content`` would choose.

The stdlib's EmailMessage parses every header it is given and refolds it when flattened: for a receipt that was two
thirds of the postman's time. The writer here reads back, in any mail reader, as the stdlib's message does (the
tests compare them on random text); the stdlib still folds what this module does not handle (a very long word)."""

import binascii
from email import headerregistry, policy

__all__ = ["POLICY", "content", "header", "subject"]


class _HeaderClasses(headerregistry.HeaderRegistry):
    """The stdlib's registry of header kinds, except that it makes each header's class once, not at every header of
    every message (that alone was a third of the time spent writing a message)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[headerregistry.BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[headerregistry.BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


POLICY = policy.default.clone(header_factory=_HeaderClasses())
"""``email.policy.default`` (same headers, same bytes), with the header classes made once."""

_MIME = b'MIME-Version: 1.0\nContent-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: '
_FOLD = 78
"""Characters a header line should hold at most (RFC 5322 2.1.1), as the stdlib folds them."""
_Q_LITERAL = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
"""Bytes written as they are in a Q-encoded word (RFC 2047 5.3); a space is ``_``, any other byte ``=XX``."""
_Q = {byte: chr(byte) if byte in _Q_LITERAL else "_" if byte == 0x20 else f"={byte:02X}" for byte in range(256)}
_WORD = _FOLD - len("Subject: =?utf-8?q??=")
"""Encoded text an encoded word may hold: it fits a line after "Subject: " (and the 75 characters of RFC 2047 2)."""


def header(name: str, value: str) -> bytes:
    """One header as the stdlib writes it: as it is when short and plain ASCII, else folded by the stdlib (encoded
    words for accents, lines of 78 characters at most)."""
    if _plain(value) and len(name) + 2 + len(value) <= _FOLD and value.strip() == value:
        return f"{name}: {value}\n".encode("ascii")
    folded: str = POLICY.header_factory(name, value).fold(policy=POLICY)
    return folded.encode("ascii")


def subject(text: str) -> bytes:
    """The Subject header, read back as the stdlib's would be: whitespace collapsed (a template's line
    break must not start a new header), words beyond ASCII as UTF-8 encoded words, folded at 78 characters."""
    words = text.split()
    if any(len(word) > _WORD for word in words if _plain(word)):  # a very long word: the stdlib knows best
        return header("Subject", " ".join(words))
    atoms: list[str] = []
    run: list[str] = []  # words to encode together: the spaces between them are encoded text too
    for word in words:
        if _plain(word):
            if run:
                atoms += _encoded(" ".join(run))
                run = []
            atoms.append(word)
        else:
            run.append(word)
    if run:
        atoms += _encoded(" ".join(run))
    lines = ["Subject:"]
    for atom in atoms:
        if len(lines[-1]) + 1 + len(atom) > _FOLD and lines[-1] != "Subject:":
            lines.append("")
        lines[-1] += " " + atom
    if not atoms:
        lines[0] += " "
    return ("\n".join(lines) + "\n").encode("ascii")


def _plain(text: str) -> bool:
    """Text a header may carry as it is: printable ASCII that cannot be read as an encoded word."""
    return text.isascii() and text.isprintable() and "=?" not in text


def _encoded(text: str) -> list[str]:
    """``text`` as UTF-8 Q-encoded words, split between characters; a reader joins adjacent ones without a space."""
    words: list[str] = []
    current = ""
    for char in text:
        piece = "".join(_Q[byte] for byte in char.encode("utf-8"))
        if len(current) + len(piece) > _WORD:
            words.append(f"=?utf-8?q?{current}?=")
            current = ""
        current += piece
    words.append(f"=?utf-8?q?{current}?=")
    return words


def content(body: str) -> bytes:
    """The MIME headers and the body of a plain-text message, as EmailMessage.set_content chooses them: each line
    ending with a newline, sent as it is when every line fits in 78 characters, else quoted-printable."""
    lines = body.encode("utf-8").splitlines()
    text = b"\n".join(lines) + b"\n"
    if all(len(line) <= _FOLD for line in lines):
        return _MIME + (b"7bit" if text.isascii() else b"8bit") + b"\n\n" + text
    return _MIME + b"quoted-printable\n\n" + binascii.b2a_qp(text, istext=True)
