"""Generated files in the project's own style: its formatter (prettier with its config, or
biome) formats every rendering before it is compared or written, so `new`, `check` and
`list` all compare like with like, whatever the project's quotes, semicolons or indents."""

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path

from .errors import CsvImportError

FORMATTED_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".json")
# Stylesheets too where prettier formats them (its quote style reaches CSS strings); biome's
# CSS formatting depends on its version and settings, so those are left as rendered.
PRETTIER_SUFFIXES = (*FORMATTED_SUFFIXES, ".css")
PRETTIER_SCRIPT = Path(__file__).with_name("format-with-prettier.mjs")
FORMAT_TIMEOUT_SECONDS = 300


def format_rendering(
    root: Path, rendering: Mapping[str, str], formatter: str | None
) -> dict[str, str]:
    """`rendering` with its source files formatted as the project formats them. A project
    whose formatter is not installed gets the rendering as it is (the templates are written
    in prettier's default style)."""
    suffixes = PRETTIER_SUFFIXES if formatter == "prettier" else FORMATTED_SUFFIXES
    sources = {p: t for p, t in rendering.items() if p.endswith(suffixes)}
    if not sources or not is_installed(root, formatter):
        return dict(rendering)
    if formatter == "prettier":
        formatted = _with_prettier(root, sources)
    else:
        formatted = {path: _with_biome(root, path, text) for path, text in sources.items()}
    return {**rendering, **formatted}


def is_installed(root: Path, formatter: str | None) -> bool:
    return formatter in ("prettier", "biome") and (_binary(root, formatter)).exists()


def _binary(root: Path, formatter: str) -> Path:
    return root / "node_modules" / ".bin" / formatter


def _with_prettier(root: Path, sources: Mapping[str, str]) -> dict[str, str]:
    request = json.dumps({"root": str(root.resolve()), "files": dict(sources)})
    completed = _run(["node", str(PRETTIER_SCRIPT)], root, request)
    try:
        return json.loads(completed.stdout)["files"]
    except (ValueError, KeyError, TypeError):
        raise CsvImportError("prettier gave no result for the generated files") from None


def _with_biome(root: Path, path: str, text: str) -> str:
    # `check --write` without the linter formats and applies the project's assists (sorted
    # imports), which its `biome check` holds files to as well.
    command = [
        str(_binary(root, "biome")),
        "check",
        "--write",
        "--linter-enabled=false",
        f"--stdin-file-path={path}",
    ]
    return _run(command, root, text).stdout


def _run(command: list[str], root: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    try:
        completed = subprocess.run(
            command, cwd=root, input=stdin, capture_output=True, text=True,
            timeout=FORMAT_TIMEOUT_SECONDS,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CsvImportError(f"could not format the generated files: {error}") from None
    if completed.returncode != 0:
        last = completed.stderr.strip().splitlines()[-1:] or ["failed"]
        raise CsvImportError(f"formatting the generated files failed: {last[0]}")
    return completed
