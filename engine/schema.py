"""The JSON Schema of the dispositif format, generated from the models so it can never drift from them.

Editors get completion, hover help and inline errors from it in VS Code (``# yaml-language-server: $schema=…``);
a test regenerates it and fails when the committed copy is stale."""

import json
from pathlib import Path
from typing import Any

from engine.dispositif import Dispositif

SCHEMA_PATH = Path("catalogue/schema.json")
SCHEMA_ID = "https://guichet.province-sud.nc/schema/dispositif-v1.json"


def format_schema() -> dict[str, Any]:
    """The schema of one dispositif file (Draft 2020-12)."""
    schema = Dispositif.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Dispositif Guichet (format 1)",
        **schema,
    }


def schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(format_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
