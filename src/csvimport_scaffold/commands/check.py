"""`csvimport check`: what CI asks of generated code: managed files match their rendering,
owned files keep the architecture rules, no file is missing or extra, the template version is
current, and the project type-checks."""

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..architecture import check_rules
from ..checks import Finding, typecheck
from ..config import load_config
from ..rendering import current_revision
from ..subprojects import Subproject, is_managed, read_subprojects, render_recorded
from ..workspace import read_text_or_none
from .update import select_subprojects

UPDATE_AVAILABLE_EXIT = 3


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
            findings += _compare(root, subproject, rendered, diffs)
            findings += _extra_files(root, subproject, rendered)
            for path in rendered:
                text = read_text_or_none(root / path)
                if text is not None and path.endswith((".ts", ".tsx")):
                    findings += check_rules(path, text, auth_function=config.auth_function)
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
    root: Path, subproject: Subproject, rendered: dict[str, str], diffs: dict[str, str]
) -> list[Finding]:
    findings = []
    for path, expected in sorted(rendered.items()):
        actual = read_text_or_none(root / path)
        if actual is None:
            message = f"missing (part of {subproject.answers_file}; `csvimport new` renders it)"
            findings.append(Finding(path, 0, "missing-file", message))
        elif is_managed(path) and actual != expected and not path.endswith(".yml"):
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


def _extra_files(root: Path, subproject: Subproject, rendered: dict[str, str]) -> list[Finding]:
    """Files in a feature's own folders that its template does not produce."""
    if subproject.is_core:
        return []
    answers = subproject.answers
    route_dir = f"{answers['app_dir']}{answers['api_path']}"
    hooks_dir = f"{answers['dashboard_dir']}/{answers['feature']}/hooks"
    findings = []
    for folder in (route_dir, hooks_dir):
        base = root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in rendered:
                message = f"not part of feature '{subproject.name}' (its template has no such file)"
                findings.append(Finding(relative, 1, "extra-file", message))
    return findings


def _first_difference(expected: str, actual: str) -> int:
    for number, (left, right) in enumerate(
        zip(expected.splitlines(), actual.splitlines(), strict=False), start=1
    ):
        if left != right:
            return number
    return min(len(expected.splitlines()), len(actual.splitlines())) + 1
