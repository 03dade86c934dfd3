"""From source text to Python's ast: one expression even over several lines, every position mapped back to the
editor's line and column, and the French words for syntax errors (E001) and for constructs the language leaves out
(E002)."""

from __future__ import annotations

import ast
import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from forms.expressions.types import ExpressionError


class Positions:
    """Maps offsets in the parsed text back to (line, column) in the source.

    The parsed text is the source on one line (newlines and comments blanked, leading blanks dropped), so that a
    multi-line source reads as one expression, exactly as if wrapped in parentheses, while every character keeps its
    offset and Python's own error positions stay right (wrapping shifts them onto the added parentheses)."""

    __slots__ = ("_ascii", "_lines", "_shift", "_starts", "text")

    def __init__(self, source: str, text: str, shift: int) -> None:
        self.text = text
        self._shift = shift
        self._ascii = text.isascii()
        self._lines = source.split("\n")
        self._starts = [0]
        for line in self._lines[:-1]:
            self._starts.append(self._starts[-1] + len(line) + 1)

    def _char(self, byte_offset: int) -> int:
        # ast counts columns in UTF-8 bytes; the editor counts characters (« é » is one).
        if self._ascii:
            return byte_offset
        return len(self.text.encode()[:byte_offset].decode(errors="ignore"))

    def locate(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based column) of a character offset of the parsed text."""
        offset += self._shift
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index]

    def span(self, node: ast.AST) -> tuple[int, int, int]:
        """(line, column, end column) of a node, the end clipped to the node's first line."""
        line, column = self.locate(self._char(node.col_offset))  # type: ignore[attr-defined]
        end_line, end_column = self.locate(self._char(node.end_col_offset))  # type: ignore[attr-defined]
        if end_line != line:
            end_column = len(self._lines[line - 1])
        return line, column, end_column

    def segment(self, node: ast.AST) -> str:
        """The source text of a node."""
        start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        if self._ascii:
            return self.text[start:end]
        return self.text.encode()[start:end].decode()

    def end(self) -> tuple[int, int]:
        """Where the last non-blank character of the source ends: where an incomplete expression is reported."""
        return self.locate(len(self.text.rstrip()))


@dataclass(frozen=True, slots=True)
class Parsed:
    """Python's ast of a source, or its syntax error."""

    tree: ast.expr | None
    error: ExpressionError | None
    positions: Positions


def _blank_comments(source: str) -> str:
    """The source with each ``# comment`` replaced by blanks, so that flattening lines cannot swallow what follows."""
    out = list(source)
    quote: str | None = None
    index = 0
    while index < len(out):
        char = out[index]
        if quote is not None:
            if char == "\\":
                index += 1
            elif char == quote or char == "\n":
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            while index < len(out) and out[index] != "\n":
                out[index] = " "
                index += 1
            continue
        index += 1
    return "".join(out)


@lru_cache(maxsize=8192)
def parse(source: str) -> Parsed:
    """The ast of ``source``; cached because the same condition recurs across dispositifs and parsing is the
    dearest step of a compilation."""
    text = _blank_comments(source) if "#" in source else source
    if "\n" in text or "\r" in text:
        text = text.replace("\r", " ").replace("\n", " ")
    stripped = text.lstrip()
    positions = Positions(source, stripped, len(text) - len(stripped))
    if not stripped.strip():
        return Parsed(None, ExpressionError("E001", "l'expression est vide", 1, 0, 0), positions)
    try:
        if "\\" in stripped:  # an invalid escape is only a warning to Python: make it an error whatever the filters
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                tree = ast.parse(stripped, mode="eval")
        else:
            tree = ast.parse(stripped, mode="eval")
    except SyntaxError as error:
        return Parsed(None, _syntax_error(error, positions), positions)
    except (ValueError, RecursionError, MemoryError):
        return Parsed(None, ExpressionError("E001", "expression illisible ou trop imbriquée", 1, 0, 1), positions)
    return Parsed(tree.body, None, positions)


_INVALID_CHARACTER = re.compile(r"invalid (?:non-printable )?character '?(.)'?")


def _syntax_error(error: SyntaxError, positions: Positions) -> ExpressionError:
    text = positions.text
    message = error.msg or ""
    start = (error.offset or 0) - 1
    if error.lineno != 1 or start < 0 or start >= len(text.rstrip()):
        line, column = positions.end()
        return ExpressionError(
            "E001", "expression incomplète : il manque quelque chose à la fin", line, column, column + 1
        )
    end = (error.end_offset or 0) - 1 if error.end_lineno == 1 else start + 1
    line, column = positions.locate(start)
    end_line, end_column = positions.locate(max(end, start + 1))
    if end_line != line:
        end_column = column + 1
    return ExpressionError("E001", _french(message, text, start), line, column, end_column)


def _french(message: str, text: str, start: int) -> str:
    if message.startswith("unterminated string"):
        return "texte non terminé : il manque le guillemet fermant"
    if message.endswith("was never closed"):
        return f"« {text[start]} » ouvert ici n'est jamais fermé"
    if message.startswith("unmatched"):
        return f"« {text[start]} » fermant en trop"
    if message.startswith("closing parenthesis"):
        return f"« {text[start]} » ne ferme pas la parenthèse ou le crochet ouvert avant"
    if text[start] == "=" and text[start + 1 : start + 2] != "=":
        return "un seul « = » ne compare pas : écrivez « == »"
    if message.startswith("invalid decimal literal"):
        return "nombre mal écrit (les décimales s'écrivent avec un point : 0.5)"
    if message.startswith("invalid escape sequence"):
        return "barre oblique inverse « \\ » mal employée dans un texte"
    if match := _INVALID_CHARACTER.match(message):
        return f"caractère « {match.group(1)} » non permis ici"
    if "forgot a comma" in message:
        return "syntaxe invalide : il manque sans doute un opérateur (and, or, ==, +…) ou une virgule"
    return "syntaxe invalide"


_OPERATORS: dict[type[ast.AST], str] = {
    ast.Pow: "l'opérateur « ** » (puissance) n'est pas permis",
    ast.Mod: "l'opérateur « % » (modulo) n'est pas permis",
    ast.FloorDiv: "l'opérateur « // » (division entière) n'est pas permis : utilisez arrondi(a / b)",
    ast.MatMult: "l'opérateur « @ » n'est pas permis",
    ast.BitAnd: "l'opérateur « & » n'est pas permis : utilisez and",
    ast.BitOr: "l'opérateur « | » n'est pas permis : utilisez or",
    ast.BitXor: "l'opérateur « ^ » n'est pas permis",
    ast.LShift: "l'opérateur « << » n'est pas permis",
    ast.RShift: "l'opérateur « >> » n'est pas permis",
    ast.Invert: "l'opérateur « ~ » n'est pas permis : utilisez not",
    ast.Is: "« is » n'est pas permis : utilisez « == »",
    ast.IsNot: "« is not » n'est pas permis : utilisez « != »",
}

_COMPREHENSION = (
    "les compréhensions (« … for … in … ») ne sont pas permises : utilisez existe, tous, compte, somme "
    "ou une projection comme membres.champ"
)

_CONSTRUCTS: dict[type[ast.AST], str] = {
    ast.IfExp: "« … if … else … » n'est pas permis : utilisez si(condition, valeur_si_vrai, valeur_si_faux)",
    ast.Subscript: "l'indexation « x[…] » n'est pas permise",
    ast.Lambda: "« lambda » n'est pas permis",
    ast.ListComp: _COMPREHENSION,
    ast.SetComp: _COMPREHENSION,
    ast.DictComp: _COMPREHENSION,
    ast.GeneratorExp: _COMPREHENSION,
    ast.JoinedStr: "les f-strings ne sont pas permises : assemblez les textes avec +",
    ast.NamedExpr: "l'affectation « := » n'est pas permise",
    ast.Dict: "les dictionnaires « {clé: valeur} » ne sont pas permis",
    ast.Set: "les ensembles « {…} » ne sont pas permis : écrivez une liste entre crochets [a, b]",
    ast.Tuple: "les tuples « a, b » ne sont pas permis : écrivez une liste [a, b] (et 0.5 pour un nombre décimal)",
    ast.Starred: "l'étoile « * » n'est pas permise",
    ast.Slice: "les tranches « a:b » ne sont pas permises",
    ast.Await: "« await » n'est pas permis",
    ast.Yield: "« yield » n'est pas permis",
    ast.YieldFrom: "« yield » n'est pas permis",
}


def rejected(node: ast.AST) -> str:
    """Why a construct outside the language is refused (E002), with the alternative when there is one."""
    return (
        _CONSTRUCTS.get(type(node))
        or _OPERATORS.get(type(node))
        or f"construction « {type(node).__name__} » non permise"
    )


def rejected_operator(op: ast.AST) -> str | None:
    """Why an operator is refused (E002), or None when the language has it."""
    return _OPERATORS.get(type(op))


def checkable_children(node: ast.AST) -> list[ast.expr]:
    """Sub-expressions of a refused construct still worth checking, so that their own errors are reported too (a
    lambda's or a comprehension's are not: their names are their own)."""
    if isinstance(node, ast.IfExp):
        return [node.test, node.body, node.orelse]
    if isinstance(node, ast.Subscript):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.Set):
        return list(node.elts)
    return []


def refused_call_parts(node: ast.Call) -> list[tuple[ast.AST, str]]:
    """The parts of a call the language refuses (E002): a method call, keyword arguments."""
    parts: list[tuple[ast.AST, str]] = []
    if isinstance(node.func, ast.Attribute):
        parts.append((node, f"les appels de méthode comme « .{node.func.attr}(…) » ne sont pas permis"))
    elif not isinstance(node.func, ast.Name):
        parts.append((node, "seules les fonctions du langage peuvent être appelées, par leur nom"))
    for keyword in node.keywords:
        reason = f"les arguments nommés (« {keyword.arg}= ») ne sont pas permis : donnez les arguments dans l'ordre"
        parts.append((keyword, reason))
    return parts
