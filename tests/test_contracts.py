"""Contracts with the outside: the catalogue loads, the published schema is current and valid, and each package
exports exactly what it says."""

from datetime import date
from pathlib import Path

import jsonschema
import pytest

import engine.schema
import forms
from engine.catalogue import catalogue_files, load_file
from engine.diagnostics import Severity, format_report
from engine.yaml_source import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue"


@pytest.mark.parametrize("path", catalogue_files([CATALOGUE]), ids=lambda p: p.stem)
def test_every_catalogue_file_loads_without_error(path):
    result = load_file(path, today=date(2026, 6, 1))
    errors = [d for d in result.diagnostics if d.severity == Severity.ERREUR]
    assert errors == [], format_report(errors, {result.path: result.source})
    assert result.entry is not None


def test_the_catalogue_has_at_least_eight_dispositifs():
    assert len(catalogue_files([CATALOGUE])) >= 8


def test_committed_schema_is_current():
    committed = (ROOT / engine.schema.SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == engine.schema.schema_text(), "lancez « guichet schema »"


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(engine.schema.format_schema())


def test_catalogue_files_validate_against_the_schema():
    validator = jsonschema.Draft202012Validator(engine.schema.format_schema())
    for path in catalogue_files([CATALOGUE]):
        data, _ = load_yaml(path.read_text(encoding="utf-8"), str(path))
        errors = sorted(validator.iter_errors(_jsonable(data)), key=lambda e: e.path)
        assert errors == [], f"{path.name}: {errors[0].message} at {list(errors[0].path)}"


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return value
    return value


def test_every_catalogue_file_points_editors_to_the_schema():
    for path in catalogue_files([CATALOGUE]):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema.json"), path.name


def test_forms_public_surface_is_exact():
    assert sorted(forms.__all__) == sorted(
        [
            "AnyField",
            "CasDeTest",
            "Form",
            "Page",
            "Piece",
            "PieceRequest",
            "Rules",
            "Situation",
            "ValidationResult",
            "check_form",
            "compile_rules",
            "evaluate",
            "run_cases",
            "validate",
        ]
    )
    for name in forms.__all__:
        assert hasattr(forms, name), name
