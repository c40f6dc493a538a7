"""Hostile text in labels, aliases, enum values and defaults reaches generated TypeScript as
data, never as code: a feature rendered from them type-checks, lints and formats, and holds
exactly the statements of the same feature rendered from plain words (compared on the
TypeScript parser's tree, so no string or comment can hide a statement)."""

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from test_generate_into_projects import prisma_generate

from conftest import EXAMPLE_APP, copy_project, link_node_modules, run_cli, tree_snapshot

pytestmark = pytest.mark.node

STATEMENT_KINDS = Path(__file__).with_name("statement-kinds.mjs")
# What ends a comment, a string, a template, a script or a JSX expression, and what starts one.
HOSTILE = [
    "*/ process.exit(1); /*",
    '"); process.exit(1); //',
    "'); process.exit(1); //",
    "`; process.exit(1); `",
    "${process.exit(1)}",
    "</script><script>alert(1)</script>",
    "break\nprocess.exit(1)",
    "carriage\rreturn",
    "line\u2028separator\u2029paragraph",
    "{process.exit(1)}",
    '\\"; process.exit(1); \\',
    "{{ 7*7 }} {% raw %}",
    "<!-- --> ]]>",
    "\u202eright-to-left",
    "tab\there",
]


def feature_spec(words: list[str]) -> dict:
    """The user feature with `words` as its labels, aliases, enum values and default (the
    first is the key's label, which a doc comment of the generated types quotes)."""
    return {
        "feature": "user",
        "fields": [
            {"name": "email", "type": "email", "unique": True, "key": True, "label": words[0]},
            {"name": "name", "type": "string", "label": words[5],
             "alias": [f"{w} (alias)" for w in words[1:5]]},
            {"name": "role", "type": "enum", "values": words, "default": words[6],
             "label": words[7]},
            {"name": "age", "type": "int", "required": False, "label": words[8]},
            {"name": "joinedOn", "type": "date", "required": False, "label": words[9]},
        ],
    }  # fmt: skip


def render_feature(project: Path, words: list[str]) -> list[str]:
    """Generate the feature from `words`; the TypeScript files it wrote."""
    (project / "spec.yml").write_text(yaml.safe_dump(feature_spec(words), allow_unicode=True))
    before = tree_snapshot(project)
    result = run_cli("new", "--spec", "spec.yml", "--no-check", "--project", ".", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    after = tree_snapshot(project)
    return sorted(p for p in after if p.endswith((".ts", ".tsx")) and before.get(p) != after[p])


def statement_kinds(project: Path, files: list[str]) -> dict[str, list[str]]:
    completed = subprocess.run(
        ["node", str(STATEMENT_KINDS)], input=json.dumps({"root": str(project), "files": files}),
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return json.loads(completed.stdout)


@pytest.fixture
def two_projects(tmp_path: Path) -> tuple[Path, Path]:
    projects = []
    for name in ("hostile", "plain"):
        project = copy_project(EXAMPLE_APP, tmp_path / name)
        link_node_modules(project)
        assert run_cli("init", "--project", str(project)).returncode == 0
        projects.append(project)
    prisma_generate(projects[0])
    return projects[0], projects[1]


def test_hostile_words_render_the_statements_plain_words_render(two_projects):
    hostile, plain = two_projects
    hostile_files = render_feature(hostile, HOSTILE)
    plain_files = render_feature(plain, [f"Plain word {n}" for n in range(len(HOSTILE))])
    assert hostile_files == plain_files and len(hostile_files) >= 6

    hostile_kinds = statement_kinds(hostile, hostile_files)
    assert hostile_kinds == statement_kinds(plain, plain_files)
    assert not any("ParseError" in kinds for kinds in hostile_kinds.values())

    # the hostile project is a real project that compiles, lints and formats
    check = run_cli("check", "--project", str(hostile))
    assert check.returncode == 0, check.stdout + check.stderr
    # unchanged files, then the project's own tsc, eslint and prettier
    checks = run_cli("new", "--spec", "spec.yml", "--project", ".", cwd=hostile)
    assert checks.returncode == 0, checks.stdout + checks.stderr
    assert all(f"{tool}: ok" in checks.stdout for tool in ("tsc", "eslint", "prettier"))
