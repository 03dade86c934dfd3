"""The direction of dependencies (STYLE §2.2), checked by reading every import of every module."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "forms": {"workflows", "renderers", "engine", "starlette", "sqlmodel", "sqlalchemy", "jinja2", "yaml", "uvicorn"},
    "workflows": {"forms", "renderers", "engine", "starlette", "sqlmodel", "sqlalchemy", "jinja2", "yaml", "uvicorn"},
    "renderers": {"engine", "starlette", "sqlmodel", "sqlalchemy", "alembic", "uvicorn"},
}


def imported_roots(path: Path) -> set[str]:
    """Top-level names of every module a file imports, wherever the import stands."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_inwards(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
        if imported_roots(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_nothing_imports_engine():
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("forms", "workflows", "renderers")
        for path in (ROOT / package).rglob("*.py")
        if "engine" in imported_roots(path)
    ]
    assert offenders == []


def test_the_check_itself_sees_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import sqlalchemy.orm\nfrom jinja2 import Template\n\ndef f():\n    import starlette\n")
    assert imported_roots(sample) == {"sqlalchemy", "jinja2", "starlette"}
