"""Render the copier template into memory: {relative path: text}.

copier renders into a scratch folder; nothing touches the project until the plan is applied, so a
failure at any point writes nothing, and `--dry-run` can show exactly what would change.
"""

import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import copier

from .errors import CsvImportError

ANSWERS_DIR = ".csvimport"


def template_dir() -> Path:
    """The template shipped in the wheel, or the repository's `templates/` in a checkout."""
    packaged = resources.files("csvimport_scaffold") / "templates"
    if packaged.is_dir() and (Path(str(packaged)) / "copier.yml").is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "copier.yml").is_file():
        return checkout
    raise CsvImportError("csvimport's templates are missing from this installation")


def answers_file_for(name: str) -> str:
    """`.csvimport/core.yml`, `.csvimport/user.yml`: one answers file per subproject."""
    return f"{ANSWERS_DIR}/{name}.yml"


def render(answers: dict[str, Any], answers_file: str) -> dict[str, str]:
    """Render the subproject described by `answers` and return its files as text."""
    with tempfile.TemporaryDirectory(prefix="csvimport-render-") as scratch:
        destination = Path(scratch)
        try:
            copier.run_copy(
                str(template_dir()),
                destination,
                data=answers,
                answers_file=answers_file,
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=False,
            )
        except Exception as error:  # copier raises many types; any of them means a bad render
            raise CsvImportError(f"rendering the template failed: {error}") from error
        return {
            path.relative_to(destination).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(destination.rglob("*"))
            if path.is_file()
        }
