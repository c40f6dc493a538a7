"""`csvimport update`: move features (and the core) to this csvimport's template version with
copier's 3-way update, keeping local edits, and report what happened to every file."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import load_config
from ..errors import CsvImportError, UsageError
from ..feature_answers import decide_feature, flag_source, recorded_source
from ..git_repo import commit_all, dirty_paths, require_repository
from ..js_regex import check_js_regexes
from ..merge import Merge, merge_file
from ..plan import Plan
from ..prisma_schema import read_project_schema
from ..rendering import TemplateRevision, current_revision, plan_bundle, render
from ..subprojects import Subproject, read_subprojects, render_recorded, select_subprojects
from ..workspace import read_text_or_none
from ..writer import apply_plan


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
            outcome = _update_one(root, subproject, revision, data_for(subproject))
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
    check_js_regexes(spec.fields, root)
    return {subproject.name: spec.to_answers()}


def _update_one(
    root: Path, subproject: Subproject, revision: TemplateRevision, data: dict[str, Any]
) -> SubprojectUpdate:
    """copier's 3-way update, on renderings in the project's own style: the base is the
    recorded version's rendering and the other side the new one, both formatted as the
    project formats, so a project with its own quotes or indents merges only real changes."""
    formatter = load_config(root).formatter
    before = render_recorded(root, subproject)
    after = render(
        {**subproject.answers, **data},
        subproject.answers_file,
        revision,
        project=root,
        formatter=formatter,
    )
    files = []
    for path in sorted(set(before) | set(after)):
        ours = _read(root / path)
        merge = merge_file(ours, before.get(path), after.get(path))
        if path == subproject.answers_file:  # copier's record: always the new one
            merge = Merge(after[path], "updated" if ours != after[path] else "unchanged")
        _write(root / path, ours, merge.text)
        files.append(FileOutcome(path, merge.state))
    return SubprojectUpdate(
        subproject.name, subproject.commit, revision.version, tuple(files), None
    )


def _write(path: Path, current: str | None, text: str | None) -> None:
    if text == current:
        return
    if text is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _read(path: Path) -> str | None:
    """The file's text; None when absent or unreadable (a conflict can leave odd bytes)."""
    try:
        return read_text_or_none(path)
    except CsvImportError:
        return None
