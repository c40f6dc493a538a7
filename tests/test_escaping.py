"""Values a user writes (labels, found file names) reach generated comments escaped: a label
can never close a comment and put code of its choice into the project."""

import re
from pathlib import Path

from conftest import run_cli

HOSTILE_LABEL = "Email */ process.exit(1); /*"
# String literals first, so that a `/*` inside a string does not start a comment.
STRINGS_AND_COMMENTS = re.compile(
    r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.DOTALL
)


def code_outside_strings_and_comments(text: str) -> str:
    return STRINGS_AND_COMMENTS.sub("", text)


def test_a_label_that_closes_a_comment_stays_inside_it(initialized_project: Path):
    result = run_cli(
        "new", "user", "--no-check", "--project", str(initialized_project),
        "--fields", f"email:email:unique,key,label={HOSTILE_LABEL}", "name:string",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    generated = [
        path
        for path in initialized_project.rglob("*.ts*")
        if "node_modules" not in path.parts and HOSTILE_LABEL[:5] in path.read_text()
    ]
    assert generated, "the label reaches the generated code"
    for path in generated:
        assert "process.exit" not in code_outside_strings_and_comments(path.read_text()), path
    types = next(path for path in generated if path.name == "types.ts")
    assert "/** Email *\\/ process.exit(1); /* as found in the file" in types.read_text()
