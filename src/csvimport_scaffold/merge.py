"""A 3-way merge of one generated file with `git merge-file`: the project's copy, the rendering
it was generated from, and the new rendering. Conflicts are marked inline, as copier marks
them (`<<<<<<< before updating` ... `>>>>>>> after updating`)."""

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import CsvImportError

CONFLICT_LABELS = ("before updating", "last update", "after updating")


@dataclass(frozen=True)
class Merge:
    text: str | None  # None: the file goes
    state: str  # unchanged | updated | merged | conflict | added | removed


def merge_file(ours: str | None, base: str | None, theirs: str | None) -> Merge:
    """What becomes of a file the project has as `ours`, rendered `base` before and `theirs`
    now (None: absent)."""
    if theirs == base or ours == theirs:
        return Merge(ours, "unchanged")
    if ours == base:  # not edited since generated: take the new rendering
        if theirs is None:
            return Merge(None, "removed")
        return Merge(theirs, "added" if ours is None else "updated")
    if ours is None:  # deleted by the team: keep it deleted
        return Merge(None, "unchanged")
    if theirs is None:  # edited, and no longer generated: keep it for the team to decide
        return Merge(ours, "conflict")
    text, conflicts = _git_merge_file(ours, base or "", theirs)
    return Merge(text, "conflict" if conflicts else "merged")


def _git_merge_file(ours: str, base: str, theirs: str) -> tuple[str, bool]:
    with tempfile.TemporaryDirectory(prefix="csvimport-merge-") as scratch:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(scratch) / name
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        labels = [arg for label in CONFLICT_LABELS for arg in ("-L", label)]
        try:
            completed = subprocess.run(
                ["git", "merge-file", "-p", *labels, *paths],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as error:
            raise CsvImportError(f"git merge-file failed: {error}") from None
    if completed.returncode < 0 or completed.returncode > 127:
        raise CsvImportError(f"git merge-file failed: {completed.stderr.strip()}")
    return completed.stdout, completed.returncode > 0
