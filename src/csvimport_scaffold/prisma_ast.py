"""A project's Prisma schema as a real parser reads it: @mrleebo/prisma-ast, run by node from
the reader shipped in `prisma_reader/` (installed into csvimport's cache on first use).

The result is the JSON the reader prints (its script's header says the shape): the models
with their fields' types, modifiers and attributes, the enums with their values, and the
composite types' names.
"""

import json
from pathlib import Path
from typing import Any

from .errors import CsvImportError
from .node_tools import ensure_installed, run_node_script
from .prisma_schema import project_schema_path

READER = Path(__file__).with_name("prisma_reader")
READER_SCRIPT = READER / "read-prisma-schema.mjs"
PURPOSE = "--from-prisma"


def read_schema_ast(root: Path, schema: str | None, cache: Path) -> dict[str, Any]:
    """Parse the schema at `schema` (a file or a folder of .prisma files, relative to the
    project `root`, as csvimport.json's `prismaSchema` records it)."""
    project_schema_path(root, schema, PURPOSE)
    modules = ensure_installed(READER, cache, PURPOSE)
    completed = run_node_script(READER_SCRIPT, [str(modules), schema], root, PURPOSE)
    try:
        parsed = json.loads(completed.stdout)
    except ValueError:
        raise CsvImportError(f"{PURPOSE}: the Prisma schema reader printed no JSON") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("models"), list):
        raise CsvImportError(f"{PURPOSE}: the Prisma schema reader printed no models")
    return parsed
