"""Load a catalogue YAML file strictly (YAML 1.2 core schema, no duplicate keys, no anchors), keeping every position.

PyYAML alone follows YAML 1.1: ``non`` becomes False, ``0123`` becomes 83 and a repeated key silently wins. Editors
write « oui »/« non », codes with leading zeros and long files where a repeated key is a real mistake, so the C parser
only composes nodes here, and this module builds the data itself. The composed node tree is kept as the source map:
positions cost nothing at load time and are computed only when a message needs one.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.diagnostics import Diagnostic, split_lines

__all__ = ["Loc", "SourceMap", "Span", "YamlError", "load_yaml"]

Loc = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
# Given by our resolver to untagged plain scalars: the only ones the core schema may turn into something else than text.
_PLAIN_TAG = "tag:guichet,2024:plain"

_CONSTANTS: dict[str, object] = {
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_MAY_RESOLVE = frozenset("0123456789+-.~nNtTfF")
_TYPED = re.compile(
    r"(?P<int>[-+]?(?P<first>[0-9])[0-9_]*)"
    r"|(?P<decimal>[-+]?(?:[0-9][0-9_]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
)
# Anchors and aliases need a second pass over the events; this cheap test skips it for the files that cannot have any.
_MAYBE_ANCHOR = re.compile(r"(?:\A|[\s\[{,])[&*][^\s,\[\]{}]")


def _resolve(self: object, kind: type[Node], value: str | None, implicit: tuple[bool, bool]) -> str:
    """Tag an untagged node; plain scalars get a private tag so that ``!!str 12`` can still be told from ``12``."""
    if kind is ScalarNode:
        return _PLAIN_TAG if implicit[0] else _STR_TAG
    return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


if yaml.__with_libyaml__:

    class _Loader(yaml.CBaseLoader):
        resolve = _resolve

else:  # pragma: no cover - libyaml is missing: same result, slower

    class _Loader(yaml.BaseLoader):  # type: ignore[no-redef]
        resolve = _resolve


@dataclass(frozen=True)
class Span:
    """Where a node is in the file (1-based, end exclusive) and how: None (plain), ', ", |, >, map or seq."""

    line: int
    column: int
    end_line: int
    end_column: int
    style: str | None


class YamlError(Exception):
    """The file is not acceptable YAML for a dispositif; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        super().__init__(f"{len(diagnostics)} erreur(s) YAML")
        self.diagnostics = diagnostics


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode):
        style = node.style or None
    else:
        style = "map" if isinstance(node, MappingNode) else "seq"
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1, style)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class _Builder:
    """Turns composed nodes into Python data, collecting every problem instead of stopping at the first."""

    def __init__(self, path: str, aliased: bool) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        # With aliases a node can be reached many times (« billion laughs ») or from itself: each is built once.
        self.seen: set[int] | None = set() if aliased else None

    def error(self, node: Node, code: str, message: str, suggestion: str | None = None) -> None:
        span = _span(node)
        end = span.end_column if span.end_line == span.line else None
        diagnostic = Diagnostic(self.path, span.line, span.column, code, message, end_column=end, suggestion=suggestion)
        self.diagnostics.append(diagnostic)

    def build(self, node: Node) -> object:
        cls = node.__class__
        if cls is ScalarNode:
            tag = node.tag
            if tag is _PLAIN_TAG:
                return self.plain(node)
            if tag != _STR_TAG:
                self.bad_tag(node)
            text: str = node.value
            return text
        if self.seen is not None:
            if id(node) in self.seen:
                return None
            self.seen.add(id(node))
        if cls is MappingNode:
            if node.tag != _MAP_TAG:
                self.bad_tag(node)
            return self.mapping(node)
        if node.tag != _SEQ_TAG:
            self.bad_tag(node)
        return [self.build(item) for item in node.value]

    def mapping(self, node: Node) -> dict[str, object]:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                self.error(key_node, "S001", "une clé doit être un simple nom, pas une liste ni une table")
                continue
            key: str = key_node.value
            if key_node.tag is _PLAIN_TAG:
                if key == "<<":
                    self.error(
                        key_node, "S001", "clé de fusion « << » interdite : recopiez les clés voulues à cet endroit"
                    )
                    continue
            elif key_node.tag != _STR_TAG:
                self.bad_tag(key_node)
            if key in result:
                self.duplicate(node, key_node)
            result[key] = self.build(value_node)
        return result

    def duplicate(self, mapping: Node, second: Node) -> None:
        first = next(k for k, _ in mapping.value if k.__class__ is ScalarNode and k.value == second.value)
        message = f"clé « {second.value} » en double (déjà ligne {first.start_mark.line + 1})"
        self.error(second, "S002", message, "Gardez une seule de ces clés, ou renommez l'une d'elles.")

    def bad_tag(self, node: Node) -> None:
        self.error(node, "S001", f"étiquette YAML « {_short_tag(node.tag)} » non prise en charge : retirez-la")

    def plain(self, node: Node) -> object:
        """YAML 1.2 core schema, minus floats (amounts must stay exact) and octal/hex (a leading zero is a code)."""
        text: str = node.value
        if not text:
            return None
        if text[0] not in _MAY_RESOLVE:
            return text
        if text in _CONSTANTS:
            return _CONSTANTS[text]
        match = _TYPED.fullmatch(text)
        if match is None:
            return text
        if match["int"] is not None:
            if match["first"] == "0" and len(text.lstrip("+-")) > 1:
                return text
            return int(text.replace("_", ""))
        if match["decimal"] is not None:
            return Decimal(text.replace("_", ""))
        try:
            return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            self.error(node, "S005", f"date impossible « {text} »", "Vérifiez le jour et le mois : AAAA-MM-JJ.")
            return text


def _anchor_diagnostics(text: str, path: str) -> list[Diagnostic]:
    found = []
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if not anchor:
            continue
        mark = event.start_mark
        if mark is None:  # pragma: no cover - the parser marks every event
            continue
        if isinstance(event, yaml.AliasEvent):
            message = f"alias « *{anchor} » interdit : recopiez ici la valeur de l'ancre « &{anchor} »"
        else:
            message = f"ancre « &{anchor} » interdite : recopiez la valeur à chaque endroit où elle sert"
        column = mark.column + 1
        found.append(Diagnostic(path, mark.line + 1, column, "S001", message, end_column=column + len(anchor) + 1))
    return found


def _syntax_diagnostic(error: yaml.YAMLError, text: str, path: str) -> Diagnostic:
    """A parser error explained in the editor's words, at the place the editor has to fix."""
    if isinstance(error, yaml.reader.ReaderError):
        before = split_lines(text[: error.position])
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        return Diagnostic(path, len(before), len(before[-1]) + 1, "S001", f"caractère interdit {char} : supprimez-le")
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return Diagnostic(path, 1, 1, "S001", f"erreur de syntaxe YAML : {error}")
    problem, context = error.problem or "", error.context or ""
    mark, opened = error.problem_mark, error.context_mark
    lines = split_lines(text)
    line_text = lines[mark.line] if mark.line < len(lines) else ""
    char = line_text[mark.column] if mark.column < len(line_text) else ""
    since = f" (bloc commencé ligne {opened.line + 1})" if opened is not None else ""
    if char == "\t" or "tab" in problem:
        message = "tabulation interdite : indentez avec des espaces"
    elif "quoted scalar" in context and ("end of stream" in problem or "document" in problem) and opened is not None:
        mark = opened
        quote = lines[mark.line][mark.column] if mark.column < len(lines[mark.line]) else '"'
        message = f"guillemet non fermé : ajoutez le {quote} fermant à la fin de la valeur"
    elif "mapping values are not allowed" in problem:
        message = (
            "« : » inattendu ici : mettez la valeur entre guillemets si elle contient « : », ou corrigez l'indentation"
        )
    elif "expected key" in problem or "expected <block end>" in problem:
        message = f"indentation incohérente : alignez cette ligne sur les clés de son bloc{since}"
    elif "expected '-' indicator" in problem:
        message = f"indentation incohérente : alignez cet élément sur les « - » de sa liste{since}"
    elif "cannot start any token" in problem:
        message = f"une valeur ne peut pas commencer par « {char} » : mettez-la entre guillemets"
    elif "could not find expected ':'" in problem and opened is not None:
        mark = opened
        message = "il manque « : » après cette clé (une clé s'écrit « nom: valeur »)"
    elif "undefined alias" in problem:
        message = "alias interdit : recopiez la valeur elle-même à cet endroit"
    elif "another document" in problem:
        message = (
            "un seul document par fichier : retirez la ligne « --- » et ce qui la suit, ou faites-en un autre fichier"
        )
    elif "unknown escape" in problem:
        message = (
            "séquence « \\ » inconnue entre guillemets doubles : écrivez « \\\\ » ou utilisez des guillemets simples"
        )
    elif "expected ',' or ']'" in problem:
        message = f"crochet « [ » non fermé, ou virgule manquante entre deux éléments{since}"
    elif "expected ',' or '}'" in problem:
        message = f"accolade « {{ » non fermée, ou virgule manquante entre deux éléments{since}"
    else:
        message = f"erreur de syntaxe YAML : {problem or context}"
    return Diagnostic(path, mark.line + 1, mark.column + 1, "S001", message, end_column=mark.column + 2)


def load_yaml(text: str, path: str) -> tuple[object, "SourceMap"]:
    """The data of one YAML document and where each value came from; raises YamlError listing every problem."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        raise YamlError((_syntax_diagnostic(error, text, path),)) from None
    source_map = SourceMap(root, text)
    if root is None:
        return None, source_map
    diagnostics = _anchor_diagnostics(text, path) if _MAYBE_ANCHOR.search(text) else []
    builder = _Builder(path, aliased=bool(diagnostics))
    data = builder.build(root)
    diagnostics += builder.diagnostics
    if diagnostics:
        raise YamlError(tuple(sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)))
    return data, source_map


@dataclass(frozen=True)
class _Segment:
    """A run of source text that gives consecutive characters of a scalar's value."""

    value_line: int  # 1-based line in the value
    value_column: int  # 0-based
    line: int  # 1-based file position of the run's first character
    column: int
    raw: str
    style: str | None


class SourceMap:
    """Positions of the values of a loaded file, addressed by the same ``loc`` paths pydantic uses."""

    def __init__(self, root: Node | None, text: str) -> None:
        self._root = root
        self._text = text
        self._lines: list[str] | None = None

    def _trail(self, loc: Loc) -> list[tuple[Node | None, Node]]:
        """(key node, value node) from the root down to the deepest node that exists along ``loc``."""
        if self._root is None:
            return []
        trail: list[tuple[Node | None, Node]] = [(None, self._root)]
        node = self._root
        for part in loc:
            step: tuple[Node | None, Node] | None = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                pairs = reversed(node.value)
                step = next(((k, v) for k, v in pairs if isinstance(k, ScalarNode) and k.value == part), None)
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                step = (None, node.value[part])
            if step is None:
                break
            trail.append(step)
            node = step[1]
        return trail

    def value(self, loc: Loc) -> Span | None:
        """The span of the node at ``loc``, if there is one."""
        trail = self._trail(loc)
        return _span(trail[-1][1]) if len(trail) == len(loc) + 1 else None

    def key(self, loc: Loc) -> Span | None:
        """The span of the mapping key whose value is at ``loc`` (None for list items and the root)."""
        trail = self._trail(loc)
        key = trail[-1][0] if len(trail) == len(loc) + 1 else None
        return _span(key) if key is not None else None

    def scalar_text(self, loc: Loc) -> str | None:
        """The text of the scalar at ``loc`` as written (``0123``, ``1.10``), before any conversion."""
        trail = self._trail(loc)
        node = trail[-1][1] if len(trail) == len(loc) + 1 else None
        return node.value if isinstance(node, ScalarNode) else None

    def locate(self, loc: Loc) -> Span:
        """Where to report about ``loc``: its value, else its nearest existing ancestor; the root is at 1:1."""
        trail = self._trail(loc)
        if len(trail) <= 1:
            return Span(1, 1, 1, 1, _span(self._root).style if self._root is not None else None)
        return _span(trail[-1][1])

    def inside(self, loc: Loc, line: int, column: int) -> tuple[int, int]:
        """The 1-based file (line, column) of a place given in the scalar's own text (1-based line, 0-based column)."""
        trail = self._trail(loc)
        node = trail[-1][1] if len(trail) == len(loc) + 1 else None
        if not isinstance(node, ScalarNode):
            span = self.locate(loc)
            return span.line, span.column
        if node.style == "|":
            return node.start_mark.line + 1 + line, self._block_indent(node) + column + 1
        segments = self._segments(node)
        if not segments:
            return node.start_mark.line + 1, node.start_mark.column + 1
        before = [s for s in segments if (s.value_line, s.value_column) <= (line, column)]
        segment = before[-1] if before else segments[0]
        if segment.value_line != line:  # a line the source does not show (folded away): end of the previous run
            return segment.line, segment.column + len(segment.raw)
        return segment.line, segment.column + _raw_offset(segment.raw, column - segment.value_column, segment.style)

    def _source_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self._text)
        return self._lines

    def _block_indent(self, node: ScalarNode) -> int:
        """Indentation of a block scalar's content: explicit (``|2``) or that of its first non-blank line."""
        lines = self._source_lines()
        header = lines[node.start_mark.line]
        explicit = re.match(r"[|>][-+]?([1-9])", header[node.start_mark.column :])
        if explicit:
            return len(header) - len(header.lstrip(" ")) + int(explicit[1])
        for text in lines[node.start_mark.line + 1 : node.end_mark.line + 1]:
            if text.strip():
                return len(text) - len(text.lstrip(" "))
        return len(header) - len(header.lstrip(" ")) + 2

    def _segments(self, node: ScalarNode) -> list[_Segment]:
        """How the value of a flow or folded scalar is laid out in the source, one run per source line."""
        lines = self._source_lines()
        start, end, style = node.start_mark, node.end_mark, node.style or None
        pieces: list[tuple[int, int, str]] = []  # (0-based line, 0-based column, text), trimmed as YAML folds them
        if style == ">":
            indent = self._block_indent(node)
            last = end.line if end.column > 0 else end.line - 1
            for index in range(start.line + 1, min(last, len(lines) - 1) + 1):
                pieces.append((index, indent, lines[index][indent:].rstrip(" \t")))
        else:
            quote = 1 if style in ("'", '"') else 0
            for index in range(start.line, end.line + 1):
                text = lines[index]
                first = start.column + quote if index == start.line else 0
                stop = end.column - quote if index == end.line else len(text)
                raw = text[first:stop]
                stripped = raw if index == start.line else raw.lstrip(" \t")
                first += len(raw) - len(stripped)
                pieces.append((index, first, stripped if index == end.line else stripped.rstrip(" \t")))
        return _fold(pieces, style)


def _fold(pieces: list[tuple[int, int, str]], style: str | None) -> list[_Segment]:
    """Apply YAML line folding to the source runs: one break becomes a space, each blank line a newline."""
    segments: list[_Segment] = []
    value_line, value_column, blanks = 1, 0, 0
    previous_indented = False
    for index, column, text in pieces:
        if not text:
            blanks += 1
            continue
        indented = style == ">" and text[0] in " \t"
        if segments:
            breaks = blanks + 1 if style == ">" and (indented or previous_indented) else blanks
            if breaks:
                value_line, value_column = value_line + breaks, 0
            else:
                value_column += 1
        segments.append(_Segment(value_line, value_column, index + 1, column + 1, text, style))
        value_column += _value_length(text, style)
        blanks, previous_indented = 0, indented
    return segments


def _steps(raw: str, style: str | None) -> list[int]:
    """Source offset where each value character of ``raw`` starts, stepping over quote escapes (best effort)."""
    if style not in ("'", '"'):
        return list(range(len(raw)))
    starts, position = [], 0
    while position < len(raw):
        starts.append(position)
        if style == "'" and raw.startswith("''", position):
            position += 2
        elif style == '"' and raw[position] == "\\" and position + 1 < len(raw):
            position += {"x": 4, "u": 6, "U": 10}.get(raw[position + 1], 2)
        else:
            position += 1
    return starts


def _value_length(raw: str, style: str | None) -> int:
    return len(_steps(raw, style)) if style in ("'", '"') else len(raw)


def _raw_offset(raw: str, wanted: int, style: str | None) -> int:
    """Source offset of the ``wanted``-th value character of ``raw``; past the end, counts on from the end."""
    starts = _steps(raw, style)
    return starts[wanted] if 0 <= wanted < len(starts) else len(raw) + max(wanted - len(starts), 0)
