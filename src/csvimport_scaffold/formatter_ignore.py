"""Keep the project's formatter off csvimport's answers files: they are copier's YAML, which
copier rewrites in its own style, so `prettier --check .` or `biome check .` must skip them."""

import json
from pathlib import Path

from .formatting import format_rendering
from .plan import FileChange, Status, plan_edit
from .rendering import ANSWERS_DIR
from .workspace import read_text_or_none

PRETTIER_IGNORE = ".prettierignore"
BIOME_CONFIGS = ("biome.json", "biome.jsonc")


def formatter_ignore_changes(root: Path, formatter: str | None) -> tuple[list[FileChange], str]:
    """The edits that make the formatter skip the answers files, and a note when csvimport
    cannot make them itself ("" otherwise)."""
    if formatter == "prettier":
        return [prettier_ignore_change(root)], ""
    if formatter == "biome":
        return biome_ignore_change(root)
    return [], ""


def prettier_ignore_change(root: Path) -> FileChange:
    current = read_text_or_none(root / PRETTIER_IGNORE)
    if current is None:
        return FileChange(PRETTIER_IGNORE, f"{ANSWERS_DIR}/\n", None, Status.CREATE)
    if any(line.strip().strip("/") == ANSWERS_DIR for line in current.splitlines()):
        return plan_edit(PRETTIER_IGNORE, current, current)
    separator = "" if current.endswith("\n") or not current else "\n"
    return plan_edit(PRETTIER_IGNORE, current, f"{current}{separator}{ANSWERS_DIR}/\n")


def biome_ignore_change(root: Path) -> tuple[list[FileChange], str]:
    """Biome 2 lists what it checks in `files.includes` (`!folder` leaves one out); Biome 1
    in `files.ignore`. A config with comments is not rewritten: the note says what to add."""
    name = next((n for n in BIOME_CONFIGS if (root / n).is_file()), None)
    if name is None:
        return [], ""
    current = read_text_or_none(root / name) or ""
    manual = f'add "!{ANSWERS_DIR}" to files.includes in {name} (or {ANSWERS_DIR} to files.ignore)'
    try:
        config = json.loads(current)
    except ValueError:  # JSONC: csvimport would lose the comments
        return [], manual
    files = config.setdefault("files", {})
    if not isinstance(files, dict):
        return [], manual
    if "ignore" in files or _biome_major(root) == 1:
        listed, entry = files.setdefault("ignore", []), ANSWERS_DIR
    else:
        listed, entry = files.setdefault("includes", ["**"]), f"!{ANSWERS_DIR}"
    if not isinstance(listed, list):
        return [], manual
    if entry in listed:
        return [plan_edit(name, current, current)], ""
    listed.append(entry)
    updated = format_rendering(root, {name: json.dumps(config, indent=2) + "\n"}, "biome")[name]
    return [plan_edit(name, current, updated)], ""


def _biome_major(root: Path) -> int | None:
    package = root / "node_modules" / "@biomejs" / "biome" / "package.json"
    try:
        version = json.loads(package.read_text(encoding="utf-8")).get("version", "")
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return int(version.split(".")[0]) if version[:1].isdigit() else None
