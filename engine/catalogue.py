"""Load the catalogue: every ``catalogue/*.yaml`` file, checked whole, with its version.

A file either loads cleanly (no ``erreur``; warnings allowed) or not at all; on a reload a broken file keeps the
last version that loaded cleanly (DESIGN 1), and every version ever loaded stays retrievable by its hash, because
dossiers keep the version they were filled under (DESIGN 2)."""

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pydantic

from engine.checks import check_dispositif
from engine.diagnostics import Diagnostic, Severity
from engine.dispositif import FORMAT_VERSION, Dispositif
from engine.pydantic_errors import diagnostics_from_validation_error
from engine.yaml_source import SourceMap, YamlError, load_yaml
from forms.problems import AVERTISSEMENT, Problem
from forms.rules import Rules


@dataclass(frozen=True)
class Entry:
    """One loaded version of a dispositif."""

    dispositif: Dispositif
    rules: Rules
    version: str
    """SHA-256 of the normalised content: comments, spacing and key order do not make a new version."""
    path: str
    source: str

    @property
    def slug(self) -> str:
        """The dispositif's id."""
        return self.dispositif.slug


@dataclass(frozen=True)
class FileResult:
    """What loading one file gave: the entry when it loaded cleanly, and every diagnostic."""

    path: str
    source: str
    entry: Entry | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        """Loaded with no error (warnings allowed)."""
        return self.entry is not None


def content_version(data: object) -> str:
    """The hash of what the file says, not of how it is written: the loaded data with keys sorted, so comments,
    spacing, quoting and key order do not count. The data as written, not the models' dump: a default added to a
    model in a later release must not give every dispositif a new version."""
    normalised = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(normalised.encode()).hexdigest()


def _diagnostic(problem: Problem, source_map: SourceMap, path: str) -> Diagnostic:
    severity = Severity.AVERTISSEMENT if problem.severity == AVERTISSEMENT else Severity.ERREUR
    end_column = None
    if problem.span is not None:
        line, start, end = problem.span
        file_line, file_column = source_map.inside(problem.loc, line, start)
        end_column = file_column + max(end - start, 1)
    else:
        span = (source_map.key(problem.loc) if problem.key else None) or source_map.locate(problem.loc)
        file_line, file_column = span.line, span.column
        if span.end_line == span.line:
            end_column = span.end_column
    return Diagnostic(
        path, file_line, file_column, problem.code, problem.message, severity, end_column, problem.suggestion
    )


def _structure(data: object, source_map: SourceMap, path: str) -> Diagnostic | None:
    """Problems that make the models meaningless: not a mapping, or a grammar version the engine does not read."""
    if not isinstance(data, dict):
        return Diagnostic(path, 1, 1, "S001", "le fichier doit être une table de clés (format:, dispositif:, pages:…)")
    version = data.get("format")
    if version is None:
        return Diagnostic(
            path, 1, 1, "S004", f"il manque la clé « format » : écrivez « format: {FORMAT_VERSION} » en tête du fichier"
        )
    if version != FORMAT_VERSION:
        span = source_map.locate(("format",))
        if isinstance(version, str):
            message = f"« format » attend un nombre : écrivez « format: {version} » sans guillemets"
            return Diagnostic(path, span.line, span.column, "S005", message, end_column=span.end_column)
        return Diagnostic(
            path,
            span.line,
            span.column,
            "S007",
            f"format {version} non pris en charge : ce moteur lit le format {FORMAT_VERSION}",
            end_column=span.end_column,
        )
    return None


def load_source(source: str, path: str, *, today: date) -> FileResult:
    """Load and check one dispositif from its text; ``path`` names it in diagnostics and gives its expected id."""
    try:
        data, source_map = load_yaml(source, path)
    except YamlError as error:
        return FileResult(path, source, None, error.diagnostics)
    problem = _structure(data, source_map, path)
    if problem is not None:
        return FileResult(path, source, None, (problem,))
    try:
        dispositif = Dispositif.model_validate(data)
    except pydantic.ValidationError as error:
        found = diagnostics_from_validation_error(error, Dispositif, data, source_map, path)
        return FileResult(path, source, None, tuple(sorted(found, key=Diagnostic.sort_key)))
    rules, problems = check_dispositif(dispositif, today=today)
    diagnostics = [_diagnostic(p, source_map, path) for p in problems]
    stem = Path(path).stem
    if stem != dispositif.slug:
        span = source_map.locate(("dispositif", "id"))
        diagnostics.append(
            Diagnostic(
                path,
                span.line,
                span.column,
                "I005",
                f"le fichier s'appelle « {stem}.yaml » "
                f"mais l'id est « {dispositif.slug} » : ils doivent être identiques",
                end_column=span.end_column,
            )
        )
    diagnostics.sort(key=Diagnostic.sort_key)
    failed = any(d.severity == Severity.ERREUR for d in diagnostics)
    entry = None if failed else Entry(dispositif, rules, content_version(data), path, source)
    return FileResult(path, source, entry, tuple(diagnostics))


def load_file(path: Path, *, today: date) -> FileResult:
    """Load and check one dispositif file."""
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raw = path.read_bytes()
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1 : error.start].decode("utf-8", "replace")) + 1
        message = "caractère qui n'est pas de l'UTF-8 : enregistrez le fichier en UTF-8"
        diagnostic = Diagnostic(str(path), line, column, "S001", message, end_column=column + 1)
        return FileResult(str(path), "", None, (diagnostic,))
    return load_source(source, str(path), today=today)


def catalogue_files(paths: Iterable[Path]) -> list[Path]:
    """The dispositif files named by these paths: files as given, folders' ``*.yaml``, sorted."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return found


@dataclass
class Catalogue(Mapping[str, Entry]):
    """The dispositifs being served, by slug, and every version ever loaded."""

    current: dict[str, Entry] = field(default_factory=dict)
    versions: dict[tuple[str, str], Entry] = field(default_factory=dict)
    results: tuple[FileResult, ...] = ()

    def __getitem__(self, slug: str) -> Entry:
        return self.current[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self.current)

    def __len__(self) -> int:
        return len(self.current)

    def version(self, slug: str, version: str) -> Entry | None:
        """A given version of a dispositif, current or not."""
        return self.versions.get((slug, version))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic of the last load, in file order."""
        return [d for result in self.results for d in result.diagnostics]

    @property
    def ok(self) -> bool:
        """Every file loaded cleanly."""
        return all(result.ok for result in self.results)


def load_catalogue(paths: Iterable[Path], *, today: date, previous: Catalogue | None = None) -> Catalogue:
    """Load every file; a file that fails keeps its previous good version, if any."""
    results = tuple(load_file(path, today=today) for path in catalogue_files(paths))
    versions = dict(previous.versions) if previous else {}
    current: dict[str, Entry] = {}
    for result in results:
        entry = result.entry
        if entry is None and previous is not None:
            entry = next((e for e in previous.current.values() if e.path == result.path), None)
        if entry is not None:
            current[entry.slug] = entry
            versions.setdefault((entry.slug, entry.version), entry)
    return Catalogue(current, versions, results)
