"""Render the copier template into memory: {relative path: text}.

copier renders from the template history bundle into a scratch folder laid out like the
project (the bundle at `.csvimport/templates.bundle`, cwd at its root), so answers files record
the same relative `_src_path` and version that `copier update` later uses in the project.
Nothing touches the project until the plan is applied, so a failure writes nothing and
`--dry-run` can show exactly what would change.
"""

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import copier

from .errors import CsvImportError, UsageError
from .formatting import format_rendering
from .plan import FileChange, Status
from .template_history import HISTORY_BUNDLE, TemplateRevision, build_revision, same_history

ANSWERS_DIR = ".csvimport"
PROJECT_BUNDLE = f"{ANSWERS_DIR}/templates.bundle"
# Maintainers and tests point csvimport at other template versions with these.
TEMPLATES_ENV = "CSVIMPORT_TEMPLATES"
HISTORY_ENV = "CSVIMPORT_TEMPLATE_HISTORY"


def template_dir() -> Path:
    """The working template: $CSVIMPORT_TEMPLATES, the wheel's copy, or a checkout's."""
    override = os.environ.get(TEMPLATES_ENV)
    if override:
        return Path(override)
    packaged = resources.files("csvimport_scaffold") / "templates"
    if packaged.is_dir() and (Path(str(packaged)) / "copier.yml").is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "copier.yml").is_file():
        return checkout
    raise CsvImportError("csvimport's templates are missing from this installation")


def history_bundle() -> Path:
    return Path(os.environ.get(HISTORY_ENV) or HISTORY_BUNDLE)


def answers_file_for(name: str) -> str:
    """`.csvimport/core.yml`, `.csvimport/user.yml`: one answers file per subproject."""
    return f"{ANSWERS_DIR}/{name}.yml"


def project_bundle(root: Path) -> Path | None:
    """The project's copy of the template history; None when it has none. Anything else at
    its place (a folder, a device) is refused: csvimport neither reads nor replaces it."""
    path = root / PROJECT_BUNDLE
    if not path.exists() and not path.is_symlink():
        return None
    if not path.is_file():
        raise UsageError(
            f"{PROJECT_BUNDLE} is not a file (csvimport keeps its template history there): "
            "move it away and run `csvimport init` again"
        )
    return path


@contextlib.contextmanager
def current_revision(project: Path | None = None) -> Iterator[TemplateRevision]:
    """The templates this csvimport renders, as a revision of the history (kept while open).
    The project's own bundle, if any, stays part of it."""
    keep = project_bundle(project) if project is not None else None
    with tempfile.TemporaryDirectory(prefix="csvimport-history-") as scratch:
        yield build_revision(template_dir(), history_bundle(), Path(scratch), keep)


def render(
    answers: dict[str, Any],
    answers_file: str,
    revision: TemplateRevision,
    ref: str | None = None,
    *,
    project: Path,
    formatter: str | None,
) -> dict[str, str]:
    """Render the subproject described by `answers` at `ref` (default: the revision's own), in
    the style of the project's formatter."""
    with tempfile.TemporaryDirectory(prefix="csvimport-render-") as scratch:
        root = Path(scratch)
        (root / ANSWERS_DIR).mkdir()
        shutil.copyfile(revision.bundle, root / PROJECT_BUNDLE)
        destination = root / "out"
        try:
            with contextlib.chdir(root):
                copier.run_copy(
                    PROJECT_BUNDLE,
                    "out",
                    data=answers,
                    answers_file=answers_file,
                    vcs_ref=ref or revision.ref,
                    defaults=True,
                    overwrite=True,
                    quiet=True,
                    unsafe=False,
                )
        except Exception as error:  # copier raises many types; any of them means a bad render
            raise CsvImportError(f"rendering the template failed: {error}") from error
        rendering = {
            path.relative_to(destination).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(destination.rglob("*"))
            if path.is_file()
        }
    return format_rendering(project, rendering, formatter)


def plan_bundle(root: Path, revision: TemplateRevision) -> FileChange:
    """The project's copy of the template history: written when missing or when it lacks
    commits of this csvimport's templates (it is replaced by a superset, never shrunk)."""
    current = project_bundle(root)
    if current is None:
        return FileChange(PROJECT_BUNDLE, revision.bundle.read_bytes(), None, Status.CREATE)
    if same_history(current, revision.bundle):
        return FileChange(PROJECT_BUNDLE, b"", b"", Status.IDENTICAL)
    return FileChange(PROJECT_BUNDLE, revision.bundle.read_bytes(), b"", Status.UPDATE)
