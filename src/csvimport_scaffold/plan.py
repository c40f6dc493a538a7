"""Decide, without touching the disk, what writing a rendering into a project would do."""

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    CREATE = "create"
    IDENTICAL = "identical"
    CONFLICT = "conflict"  # exists with other content; left alone without --force
    OVERWRITE = "overwrite"  # exists with other content; replaced because of --force
    UPDATE = "update"  # an edit csvimport makes to a user's file (e.g. --mount)
    DELETE = "delete"  # a generated file `remove` takes away

    @property
    def writes(self) -> bool:
        return self in (Status.CREATE, Status.OVERWRITE, Status.UPDATE, Status.DELETE)


@dataclass(frozen=True)
class FileChange:
    path: str
    content: str | bytes  # bytes for binary files (the template history bundle)
    current: str | bytes | None
    status: Status

    def diff(self) -> str:
        """A unified diff from what is on disk to what would be written."""
        if isinstance(self.content, bytes) or isinstance(self.current, bytes):
            return f"Binary file {self.path} {self.status.value}\n"
        before = (self.current or "").splitlines(keepends=True)
        deleting = self.status is Status.DELETE
        after = [] if deleting else self.content.splitlines(keepends=True)
        lines = difflib.unified_diff(
            before,
            after,
            fromfile="/dev/null" if self.current is None else f"a/{self.path}",
            tofile="/dev/null" if deleting else f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass(frozen=True)
class Plan:
    changes: tuple[FileChange, ...]

    @property
    def conflicts(self) -> tuple[FileChange, ...]:
        return tuple(c for c in self.changes if c.status is Status.CONFLICT)

    @property
    def writes(self) -> tuple[FileChange, ...]:
        return tuple(c for c in self.changes if c.status.writes)


def plan_files(
    rendered: Mapping[str, str],
    read_current: Callable[[str], str | None],
    *,
    force: bool = False,
) -> Plan:
    """Compare each rendered file with the file on disk (`read_current` gives None if absent)."""
    changes = []
    for path, content in sorted(rendered.items()):
        current = read_current(path)
        if current is None:
            status = Status.CREATE
        elif current == content:
            status = Status.IDENTICAL
        else:
            status = Status.OVERWRITE if force else Status.CONFLICT
        changes.append(FileChange(path, content, current, status))
    return Plan(tuple(changes))


def plan_edit(path: str, current: str, edited: str) -> FileChange:
    """A change csvimport makes inside a file the user owns."""
    status = Status.IDENTICAL if edited == current else Status.UPDATE
    return FileChange(path, edited, current, status)
