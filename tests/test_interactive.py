"""`csvimport new` on a terminal asks for what the command line left out."""

import os
import sys
from pathlib import Path

import pexpect

from conftest import EXAMPLE_APP, copy_project, run_cli, tree_snapshot


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "csvimport_scaffold", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
    )


def test_prompts_for_name_and_fields_reasking_on_bad_answers(
    initialized_project: Path, tmp_path: Path
):
    child = spawn("new", "--no-check", cwd=initialized_project)
    child.expect("Feature name")
    child.sendline("Users")
    child.expect("invalid feature name 'Users'")
    child.expect("Feature name")
    child.sendline("user")
    child.expect("Field 1")
    child.sendline("name:strng")
    child.expect("unknown type 'strng'")
    child.expect("Field 1")
    child.sendline("name:string:max=100")
    child.expect("Field 2")
    child.sendline("email:email:unique,key")
    child.expect("Field 3")
    child.sendline("email:string")
    child.expect("duplicate field 'email'")
    child.expect("Field 3")
    child.sendline("age:int:optional,min=0")
    child.expect("Field 4")
    child.sendline("")
    child.expect("API path")
    child.sendline("/api/users/import")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    by_flags = copy_project(EXAMPLE_APP, tmp_path / "by-flags")
    assert run_cli("init", "--project", str(by_flags)).returncode == 0
    result = run_cli(
        "new", "user", "--no-check", "--api-path", "/api/users/import",
        "--fields", "name:string:max=100", "email:email:unique,key", "age:int:optional,min=0",
        "--project", str(by_flags),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert tree_snapshot(initialized_project) == tree_snapshot(by_flags)


def test_without_a_terminal_a_missing_answer_is_an_error_not_a_prompt(initialized_project: Path):
    result = run_cli("new", "--project", str(initialized_project))
    assert result.returncode == 2
    assert "missing feature name" in result.stderr
