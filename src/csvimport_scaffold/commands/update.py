"""`csvimport update`: move features (and the core) to this csvimport's template version with
copier's 3-way update, keeping local edits, and report what happened to every file."""

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import copier

from ..config import load_config
from ..errors import CsvImportError, UsageError
from ..feature_answers import decide_feature, flag_source, recorded_source
from ..git_repo import changed_paths, commit_all, dirty_paths, require_repository
from ..plan import Plan
from ..prisma_schema import read_project_schema
from ..rendering import PROJECT_BUNDLE, current_revision, plan_bundle
from ..subprojects import Subproject, read_subprojects, render_recorded, select_subprojects
from ..workspace import read_text_or_none
from ..writer import apply_plan

CONFLICT_MARKER = "<<<<<<< before updating"


@dataclass(frozen=True)
class FileOutcome:
    path: str
    state: str  # unchanged | updated | merged | conflict | added | removed


@dataclass(frozen=True)
class SubprojectUpdate:
    name: str
    from_version: str | None
    to_version: str
    files: tuple[FileOutcome, ...]
    commit: str | None  # the commit csvimport made after it, if any

    @property
    def conflicts(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.state == "conflict")


@dataclass(frozen=True)
class UpdateResult:
    bundle_commit: str | None
    updates: tuple[SubprojectUpdate, ...]
    up_to_date: tuple[str, ...]
    pending: tuple[str, ...]  # not updated because a conflict stopped the run


def run_update(
    root: Path,
    names: list[str],
    *,
    field_texts: Sequence[str] = (),
    on_step: Callable[[str], None] = lambda _m: None,
) -> UpdateResult:
    """Update the named subprojects (all when `names` is empty), one at a time. With
    `field_texts`, the one feature named gets these fields on the way."""
    require_repository(root)
    subprojects = select_subprojects(read_subprojects(root), names)
    new_answers = _answers_with_fields(root, subprojects, names, field_texts)

    def data_for(subproject: Subproject) -> dict[str, Any]:
        return new_answers.get(subproject.name, {})

    dirty = dirty_paths(root)
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise CsvImportError(
            f"uncommitted changes in {shown}: copier's 3-way merge needs a clean tree. Commit "
            "them (or `git stash -u`), then run `csvimport update` again"
        )

    with current_revision(root) as revision:
        bundle_commit = None
        bundle = plan_bundle(root, revision)
        if bundle.status.writes:
            apply_plan(root, Plan((bundle,)))
            bundle_commit = commit_all(root, f"csvimport: template history {revision.version}")
        todo = [s for s in subprojects if s.commit != revision.version or data_for(s)]
        done: list[SubprojectUpdate] = []
        for index, subproject in enumerate(todo):
            on_step(f"updating {subproject.name} to {revision.version}")
            outcome = _update_one(
                root, subproject, revision.ref, revision.version, data_for(subproject)
            )
            more = index + 1 < len(todo)
            if outcome.conflicts:
                done.append(outcome)
                pending = tuple(s.name for s in todo[index + 1 :])
                return UpdateResult(bundle_commit, tuple(done), (), pending)
            if more:  # copier needs a clean tree for the next subproject
                commit = commit_all(
                    root, f"csvimport: update {subproject.name} to {revision.version}"
                )
                outcome = replace(outcome, commit=commit)
            done.append(outcome)
    up_to_date = tuple(s.name for s in subprojects if s not in todo)
    return UpdateResult(bundle_commit, tuple(done), up_to_date, ())


def _answers_with_fields(
    root: Path, subprojects: list[Subproject], names: list[str], field_texts: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """{feature: its answers with the new fields}, decided and checked as `new` does."""
    if not field_texts:
        return {}
    if len(names) != 1:
        raise UsageError(
            "--fields needs exactly one feature: csvimport update FEATURE --fields ..."
        )
    [subproject] = subprojects
    config = load_config(root)
    spec = decide_feature(
        [flag_source({"feature": subproject.name}, field_texts)],
        recorded_for=lambda _feature: recorded_source(subproject),
        provider=config.prisma_provider,
        schema=read_project_schema(root, config.prisma_schema),
    )
    return {subproject.name: spec.to_answers()}


def _update_one(
    root: Path, subproject: Subproject, ref: str, version: str, data: dict[str, Any]
) -> SubprojectUpdate:
    before = render_recorded(root, subproject)
    edited = {path for path, text in before.items() if _read(root / path) not in (None, text)}
    try:
        with contextlib.chdir(root):  # copier resolves the recorded relative _src_path here
            copier.run_update(
                ".",
                data=data,
                answers_file=subproject.answers_file,
                vcs_ref=ref,
                defaults=True,
                overwrite=True,
                quiet=True,
                conflict="inline",
                unsafe=False,
                skip_answered=True,
            )
    except Exception as error:  # copier's own failure: report it, the tree is git's to restore
        raise CsvImportError(f"copier update of {subproject.name} failed: {error}") from error
    changes = changed_paths(root)
    after = {p for p in changes if p not in before and p != PROJECT_BUNDLE}
    files = []
    for path in sorted(set(before) | after):
        files.append(FileOutcome(path, _state(root, path, changes.get(path), path in edited)))
    return SubprojectUpdate(subproject.name, subproject.commit, version, tuple(files), None)


def _state(root: Path, path: str, status: str | None, edited: bool) -> str:
    if status is None:
        return "unchanged"
    if "D" in status:
        return "removed"
    if status in ("??", "A "):
        return "added"
    text = _read(root / path) or ""
    if CONFLICT_MARKER in text or "U" in status:
        return "conflict"
    return "merged" if edited else "updated"


def _read(path: Path) -> str | None:
    """The file's text; None when absent or unreadable (a conflict can leave odd bytes)."""
    try:
        return read_text_or_none(path)
    except CsvImportError:
        return None
