"""Run the project's own checks on generated code and turn their output into findings.

Type errors come from `next typegen` + `tsc --noEmit` (plain tsc misses route-handler types in
Next 16); lint and format findings come from the project's eslint and prettier, limited to the
files csvimport wrote. Tools are taken from the project's node_modules, never downloaded.
"""

import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import CsvImportError
from .findings import Finding

TSC_LINE = re.compile(
    r"^(?P<file>[^\s(][^(]*)\((?P<line>\d+),\d+\): error (?P<code>TS\d+): (?P<message>.*)$"
)
CHECK_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class CheckResult:
    name: str
    findings: tuple[Finding, ...]
    ran: bool = True
    note: str = ""


def parse_tsc_output(output: str) -> list[Finding]:
    findings = []
    for line in output.splitlines():
        match = TSC_LINE.match(line.strip())
        if match:
            findings.append(
                Finding(match["file"], int(match["line"]), match["code"], match["message"].strip())
            )
    return findings


def parse_eslint_json(output: str, root: Path) -> list[Finding]:
    try:
        reports = json.loads(output or "[]")
    except ValueError:
        return [
            Finding(
                "eslint",
                0,
                "eslint",
                output.strip().splitlines()[-1] if output.strip() else "no output",
            )
        ]
    findings = []
    for report in reports:
        path = Path(report.get("filePath", ""))
        relative = (
            path.relative_to(root).as_posix()
            if path.is_absolute() and path.is_relative_to(root)
            else str(path)
        )
        for message in report.get("messages", []):
            if message.get("severity", 0) < 2:
                continue
            findings.append(
                Finding(
                    relative,
                    int(message.get("line") or 0),
                    message.get("ruleId") or "eslint",
                    message.get("message", ""),
                )
            )
    return findings


def parse_prettier_check(output: str) -> list[Finding]:
    findings = []
    for line in output.splitlines():
        match = re.match(r"^\[warn\]\s+(?P<file>\S.*)$", line.strip())
        if match and not match["file"].startswith("Code style issues"):
            findings.append(
                Finding(match["file"], 1, "prettier", "not formatted (run prettier --write)")
            )
    return findings


def run_checks(
    root: Path,
    files: list[str],
    *,
    formatter: str | None,
    linter: str | None,
    on_step: Callable[[str], None] = lambda _name: None,
) -> list[CheckResult]:
    """Type-check the project, then lint and format-check `files` where the project has tools."""
    results = [typecheck(root, on_step)]
    source_files = [f for f in files if f.endswith((".ts", ".tsx"))]
    if linter == "eslint" and source_files:
        on_step("eslint")
        results.append(_eslint(root, source_files))
    if formatter == "prettier" and source_files:
        on_step("prettier --check")
        results.append(_prettier(root, source_files))
    return results


def typecheck(root: Path, on_step: Callable[[str], None] = lambda _name: None) -> CheckResult:
    tsc = _tool(root, "tsc", "typescript")
    next_bin = root / "node_modules" / ".bin" / "next"
    if next_bin.exists():
        on_step("next typegen")
        typegen = _run([str(next_bin), "typegen"], root)
        if typegen.returncode != 0:
            last = (typegen.stdout + typegen.stderr).strip().splitlines()[-1:] or ["failed"]
            return CheckResult("tsc", (Finding("next typegen", 0, "typegen", last[0]),))
    on_step("tsc --noEmit")
    completed = _run([str(tsc), "--noEmit", "--pretty", "false"], root)
    findings = parse_tsc_output(completed.stdout + completed.stderr)
    if completed.returncode != 0 and not findings:
        findings = [Finding("tsc", 0, "tsc", (completed.stdout + completed.stderr).strip()[:500])]
    return CheckResult("tsc", tuple(findings))


def _eslint(root: Path, files: list[str]) -> CheckResult:
    eslint = _tool(root, "eslint", "eslint")
    completed = _run([str(eslint), "--format", "json", "--no-warn-ignored", *files], root)
    return CheckResult("eslint", tuple(parse_eslint_json(completed.stdout, root.resolve())))


def _prettier(root: Path, files: list[str]) -> CheckResult:
    prettier = _tool(root, "prettier", "prettier")
    completed = _run([str(prettier), "--check", *files], root)
    return CheckResult("prettier", tuple(parse_prettier_check(completed.stdout + completed.stderr)))


def _tool(root: Path, name: str, package: str) -> Path:
    path = root / "node_modules" / ".bin" / name
    if not path.exists():
        raise CsvImportError(
            f"{name} is not installed in {root} (install the project's dependencies, e.g. "
            f"`npm install`, or add {package}); use --no-check to skip checks"
        )
    return path


def _run(command: list[str], root: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=CHECK_TIMEOUT_SECONDS,
            env=_environment(),
        )
    except subprocess.TimeoutExpired:
        raise CsvImportError(
            f"{Path(command[0]).name} took longer than {CHECK_TIMEOUT_SECONDS} s"
        ) from None
    except OSError as error:
        raise CsvImportError(f"could not run {command[0]}: {error.strerror}") from None


def _environment() -> dict[str, str]:
    return {**os.environ, "NEXT_TELEMETRY_DISABLED": "1", "NO_COLOR": "1", "FORCE_COLOR": "0"}
