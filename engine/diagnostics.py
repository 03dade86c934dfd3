"""Diagnostics about a catalogue file, and their compiler-style French rendering.

Every check of a dispositif (YAML syntax, structure, expressions, workflow) reports through one ``Diagnostic`` shape, so
that editors read one format and a future web editor gets the same data as JSON.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Diagnostic", "Severity", "format_diagnostic", "format_report", "split_lines"]

# The line breaks libyaml knows (YAML 1.1): splitting on the same ones keeps line numbers in step with the parser's
# marks, which str.splitlines() would not do (it also breaks on \v, \f and \x1c-\x1e).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_TAB_SIZE = 4


class Severity(StrEnum):
    """How bad a diagnostic is: an ``erreur`` blocks publication, an ``avertissement`` does not."""

    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a file, at a 1-based line and column, with a stable code and a French message."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERREUR
    end_column: int | None = None
    suggestion: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order of a report: by file, then position, then code."""
        return (self.path, self.line, self.column, self.code)

    def to_json(self) -> dict[str, object]:
        """The diagnostic as JSON-ready data, for tools rather than people."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_column": self.end_column,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "suggestion": self.suggestion,
        }


def split_lines(source: str) -> list[str]:
    """The lines of ``source`` as the YAML parser counts them: ``split_lines(text)[mark.line]`` is the marked line."""
    return _LINE_BREAK.split(source)


def format_diagnostic(d: Diagnostic, source: str | None) -> str:
    """A diagnostic as an editor reads it: ``fichier:ligne:colonne: erreur CODE : message``, line, caret, hint."""
    out = [f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} : {d.message}"]
    lines = split_lines(source) if source is not None else []
    text = lines[d.line - 1] if 1 <= d.line <= len(lines) else None
    number = str(d.line)
    margin = " " * (len(number) + 3)
    if text is not None:
        # Tabs are widened for display, so the caret is placed under the widened text, not under the raw column.
        shown = text.rstrip().expandtabs(_TAB_SIZE)
        start = min(max(d.column, 1), len(text) + 1)
        end = d.end_column if d.end_column is not None and d.end_column > start else start + 1
        end = max(min(end, len(text) + 1), start + 1)
        before = len(text[: start - 1].expandtabs(_TAB_SIZE))
        width = max(len(text[: end - 1].expandtabs(_TAB_SIZE)) - before, 1)
        out.append(f"  {number} | {shown}".rstrip())
        out.append(f"{margin}| {' ' * before}{'^' * width}")
    if d.suggestion:
        out.append(f"{margin}{d.suggestion}")
    return "\n".join(out)


def _count(n: int, singular: str, plural: str) -> str:
    """French agreement: 0 and 1 take the singular, 2 and more the plural."""
    return f"{n} {singular if n < 2 else plural}"


def format_report(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]) -> str:
    """All diagnostics of a check, sorted by position, then a summary line such as « 2 erreurs, 1 avertissement »."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    errors = sum(1 for d in ordered if d.severity is Severity.ERREUR)
    warnings = len(ordered) - errors
    summary = _count(errors, "erreur", "erreurs") if errors else "aucune erreur"
    if warnings:
        summary += ", " + _count(warnings, "avertissement", "avertissements")
    blocks = [format_diagnostic(d, sources.get(d.path)) for d in ordered]
    return "\n\n".join([*blocks, summary])
