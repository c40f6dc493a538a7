"""Apply a plan to disk: every file or none, and nothing while any file is a conflict."""

import contextlib
import os
from pathlib import Path

from .errors import CsvImportError
from .plan import Plan, Status

TEMP_SUFFIX = ".csvimport-tmp"


class ConflictError(CsvImportError):
    """A plan holds files that exist with other content: nothing was written."""

    def __init__(self, paths: list[str]) -> None:
        count = len(paths)
        super().__init__(
            f"{count} file{'s' if count > 1 else ''} already exist{'' if count > 1 else 's'} "
            f"with different content ({', '.join(paths)}); nothing written. Re-run with "
            "--force to overwrite, or edit the spec instead."
        )
        self.paths = paths


def apply_plan(root: Path, plan: Plan) -> list[str]:
    """Write each changed file to a temporary sibling first, then rename them all into place,
    so a failure half-way (disk full, permissions) leaves the project as it was. A plan with a
    conflict is refused whole."""
    if plan.conflicts:
        raise ConflictError([change.path for change in plan.conflicts])
    staged: list[tuple[Path, Path]] = []
    created_dirs: list[Path] = []
    try:
        for change in plan.writes:
            if change.status is Status.DELETE:
                continue
            target = root / change.path
            if target.is_dir():
                raise CsvImportError(
                    f"{change.path} is a directory where csvimport needs to write a file"
                )
            created_dirs += _make_parents(target.parent)
            temporary = target.with_name(target.name + TEMP_SUFFIX)
            staged.append((temporary, target))  # before writing: a failed write leaves it too
            if isinstance(change.content, bytes):
                temporary.write_bytes(change.content)
            else:
                with open(temporary, "w", encoding="utf-8", newline="") as handle:
                    handle.write(change.content)
        for index, (temporary, target) in enumerate(staged):
            os.replace(temporary, target)
            staged[index] = (target, target)  # in place: nothing to clean up
    except BaseException as error:  # an interrupt too: no temporary file is left behind
        for temporary, target in staged:
            if temporary != target:
                with contextlib.suppress(OSError):  # never staged (its folder is a file)
                    temporary.unlink(missing_ok=True)
        for folder in reversed(created_dirs):
            _remove_if_empty(folder)
        if isinstance(error, OSError):
            raise CsvImportError(f"could not write {error.filename}: {error.strerror}") from None
        raise
    for change in plan.writes:
        if change.status is Status.DELETE:
            (root / change.path).unlink(missing_ok=True)
            _remove_empty_parents(root, (root / change.path).parent)
    return [change.path for change in plan.writes]


def _remove_empty_parents(root: Path, folder: Path) -> None:
    """After a delete, take away the folders it left empty (up to the project root)."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _make_parents(folder: Path) -> list[Path]:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
