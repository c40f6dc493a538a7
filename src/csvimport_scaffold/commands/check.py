"""`csvimport check`: what CI asks of generated code: managed files match their rendering,
every file keeps the rules its rendering follows, no file is missing or extra, the template
version is current, and the project type-checks."""

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..architecture import check_rules
from ..config import load_config
from ..findings import Finding
from ..rendered_files import extra_files, is_managed, own_folders
from ..rendering import current_revision
from ..subprojects import Subproject, read_subprojects, render_recorded, select_subprojects
from ..tool_checks import typecheck
from ..workspace import read_text_or_none

UPDATE_AVAILABLE_EXIT = 3
SOURCE_SUFFIXES = (".ts", ".tsx")


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]  # anything wrong
    updates: tuple[Finding, ...]  # template versions newer than the recorded ones
    diffs: dict[str, str]  # path -> unified diff, for drifted managed files

    @property
    def exit_code(self) -> int:
        if self.findings:
            return 1
        return UPDATE_AVAILABLE_EXIT if self.updates else 0


def run_check(
    root: Path,
    names: list[str],
    *,
    with_typecheck: bool = True,
    on_step: Callable[[str], None] = lambda _m: None,
) -> CheckReport:
    config = load_config(root)
    subprojects = select_subprojects(read_subprojects(root), names)
    findings: list[Finding] = []
    updates: list[Finding] = []
    diffs: dict[str, str] = {}
    with current_revision(root) as revision:
        for subproject in subprojects:
            on_step(f"checking {subproject.name}")
            rendered = render_recorded(root, subproject)
            on_disk = {path: read_text_or_none(root / path) for path in rendered}
            findings += _compare(subproject, rendered, on_disk, diffs)
            findings += _extra_files(root, subproject, rendered)
            for path, text in on_disk.items():
                if text is not None and path.endswith(SOURCE_SUFFIXES):
                    findings += check_rules(
                        path, text, rendered[path], auth_function=config.auth_function
                    )
            if subproject.commit != revision.version:
                command = "csvimport update" + ("" if subproject.is_core else f" {subproject.name}")
                message = (
                    f"template {revision.version} is available (recorded {subproject.commit}): "
                    f"run `{command}`"
                )
                updates.append(Finding(subproject.answers_file, 1, "update-available", message))
    if with_typecheck:
        findings += typecheck(root, on_step).findings
    return CheckReport(tuple(findings), tuple(updates), diffs)


def _compare(
    subproject: Subproject,
    rendered: Mapping[str, str],
    on_disk: Mapping[str, str | None],
    diffs: dict[str, str],
) -> list[Finding]:
    findings = []
    for path, expected in sorted(rendered.items()):
        actual = on_disk[path]
        if actual is None:
            message = f"missing (part of {subproject.answers_file}; `csvimport new` renders it)"
            findings.append(Finding(path, 0, "missing-file", message))
        elif is_managed(expected) and actual != expected:
            line = _first_difference(expected, actual)
            message = (
                f"differs from the rendering of {subproject.answers_file} at "
                f"{subproject.commit}: change the spec and re-run `csvimport new`, not this file"
            )
            findings.append(Finding(path, line, "drift", message))
            diffs[path] = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"rendered/{path}",
                    tofile=path,
                )
            )
    return findings


def _extra_files(root: Path, subproject: Subproject, rendered: Mapping[str, str]) -> list[Finding]:
    """Files in the subproject's own folders that its template does not produce."""
    present = {
        folder: [
            entry.relative_to(root).as_posix()
            for entry in sorted((root / folder).iterdir())
            if entry.is_file()
        ]
        for folder in own_folders(rendered)
        if (root / folder).is_dir()
    }
    message = f"not part of {subproject.name} (its template renders no such file)"
    return [Finding(path, 1, "extra-file", message) for path in extra_files(rendered, present)]


def _first_difference(expected: str, actual: str) -> int:
    for number, (left, right) in enumerate(
        zip(expected.splitlines(), actual.splitlines(), strict=False), start=1
    ):
        if left != right:
            return number
    return min(len(expected.splitlines()), len(actual.splitlines())) + 1
