"""`csvimport check` (for CI), `list` and `remove`, on a fresh copy of the example app with a
generated `user` feature. Type checking has its own tests; these run with --no-typecheck."""

import json
import re
from pathlib import Path

import pytest

from conftest import USER_FIELDS, run_cli, tree_snapshot

ROUTE_DIR = "src/app/api/user/import/progress"
HOOK = "src/app/[lang]/dashboard/user/hooks/use-user-import.ts"
PAGE = "src/app/[lang]/dashboard/user/page.tsx"


@pytest.fixture
def with_user(initialized_project: Path) -> Path:
    result = run_cli(
        "new", "user", "--no-check", "--mount", PAGE, "--project", str(initialized_project),
        "--fields", *USER_FIELDS,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return initialized_project


def check(project: Path, *args: str):
    return run_cli("check", "--no-typecheck", "--project", str(project), *args)


def test_a_fresh_feature_checks_clean(with_user: Path):
    result = check(with_user)
    assert result.returncode == 0, result.stdout
    assert "check: clean" in result.stdout


def test_an_edited_managed_file_is_drift_with_its_diff(with_user: Path):
    types = with_user / ROUTE_DIR / "types.ts"
    types.write_text(types.read_text().replace("export interface", "export  interface", 1))
    result = check(with_user)
    assert result.returncode == 1
    assert re.search(
        rf"^{ROUTE_DIR}/types\.ts:\d+: drift: differs from the rendering", result.stdout, re.M
    )
    assert f"+++ {ROUTE_DIR}/types.ts" in result.stdout and "+export  interface" in result.stdout


def test_owned_files_may_change_but_must_keep_the_rules(with_user: Path):
    processor = with_user / ROUTE_DIR / "functions/process-user-items.ts"
    text = processor.read_text()
    processor.write_text(text + "\n// our own notes: edits to owned files are fine\n")
    assert check(with_user).returncode == 0

    text = text.replace('import "server-only";\n', "")
    text += "\nexport function loose(value: any): unknown {\n  return value;\n}\n"
    processor.write_text(text)
    hook = with_user / HOOK
    hook.write_text(hook.read_text() + '\nlet lastImport = "";\nconsole.log(lastImport);\n')
    result = check(with_user)
    assert result.returncode == 1
    path = f"{ROUTE_DIR}/functions/process-user-items.ts"
    assert f'{path}:1: server-only: server file lacks import "server-only"' in result.stdout
    assert re.search(rf"^{path}:\d+: no-any: ", result.stdout, re.M)
    assert re.search(rf"^{re.escape(HOOK)}:\d+: global-state: ", result.stdout, re.M)
    assert re.search(rf"^{re.escape(HOOK)}:\d+: no-console: ", result.stdout, re.M)


def test_missing_and_extra_files_are_findings(with_user: Path):
    (with_user / HOOK).unlink()
    (with_user / ROUTE_DIR / "functions/helper.ts").write_text("export const x = 1;\n")
    result = check(with_user, "--format", "json")
    assert result.returncode == 1
    findings = {(f["file"], f["rule"]) for f in json.loads(result.stdout)["findings"]}
    assert (HOOK, "missing-file") in findings
    assert (f"{ROUTE_DIR}/functions/helper.ts", "extra-file") in findings


def test_check_of_an_unknown_feature_is_a_usage_error(with_user: Path):
    result = check(with_user, "nope")
    assert result.returncode == 2 and "no feature 'nope'" in result.stderr


def test_list_shows_versions_files_and_their_state(with_user: Path):
    (with_user / HOOK).unlink()
    processor = with_user / ROUTE_DIR / "functions/process-user-items.ts"
    processor.write_text(processor.read_text() + "// edited\n")
    result = run_cli("list", "--project", str(with_user))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^user  v[\w.+-]+  /api/user/import/progress$", result.stdout, re.M)
    assert f"  missing  {HOOK}" in result.stdout
    assert f"  edited   {ROUTE_DIR}/functions/process-user-items.ts" in result.stdout
    assert f"  clean    {ROUTE_DIR}/route.ts" in result.stdout


def test_remove_refuses_edited_files_unless_forced(with_user: Path):
    processor = with_user / ROUTE_DIR / "functions/process-user-items.ts"
    processor.write_text(processor.read_text() + "// our logic\n")
    before = tree_snapshot(with_user)
    refused = run_cli("remove", "user", "--project", str(with_user))
    assert refused.returncode == 1 and "were edited since generation" in refused.stderr
    assert tree_snapshot(with_user) == before

    removed = run_cli("remove", "user", "--force", "--project", str(with_user))
    assert removed.returncode == 0, removed.stderr
    assert not (with_user / ROUTE_DIR).exists()
    assert not (with_user / HOOK).exists()
    assert not (with_user / ".csvimport/user.yml").exists()
    page = (with_user / PAGE).read_text()
    assert "UserImport" not in page and "{/* csvimport:mount */}" in page
    assert (
        with_user / "src/app/functions/server/services/csv-import/csv-import.service.ts"
    ).exists()
    assert check(with_user).returncode == 0  # the core alone is still clean


def test_remove_of_an_unknown_feature_or_the_core_is_refused(with_user: Path):
    assert run_cli("remove", "nope", "--project", str(with_user)).returncode == 2
    core = run_cli("remove", "core", "--project", str(with_user))
    assert core.returncode == 2 and "shared by every feature" in core.stderr
