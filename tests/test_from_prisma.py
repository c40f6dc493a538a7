"""`csvimport new FEATURE --from-prisma MODEL`: the project's Prisma schema read by the shipped
reader (@mrleebo/prisma-ast, run by node) and turned into the feature's fields.

The reader runs on the real schemas of the fixture projects and of the example app; the
command runs on a copy of the example app. The fixture matrix (test_fixture_matrix.py) holds
what it generates to each fixture project's own type check.
"""

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.feature_answers import check_model
from csvimport_scaffold.field_dsl import parse_fields
from csvimport_scaffold.prisma_ast import read_schema_ast
from csvimport_scaffold.prisma_fields import derive_fields
from csvimport_scaffold.prisma_schema import read_prisma_schema
from csvimport_scaffold.spec import make_feature_spec

from conftest import EXAMPLE_APP, REPO, run_cli, tree_snapshot

PROJECTS = [*sorted((REPO / "tests/fixtures/projects").glob("*/fixture.json")), EXAMPLE_APP]
PROJECTS = [path if path.is_dir() else path.parent for path in PROJECTS]
SCHEMA = "prisma/schema.prisma"


def feature_of(parsed: dict, model: str):
    """The feature `new --from-prisma MODEL` makes, without rendering it."""
    derived = derive_fields(parsed, model)
    fields, key_flags = parse_fields(list(derived.fields))
    return make_feature_spec("feature", fields, key_flags=key_flags, model=derived.delegate)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_every_model_of_a_real_schema_becomes_a_feature(project: Path, csvimport_cache: Path):
    parsed = read_schema_ast(project, SCHEMA, csvimport_cache)
    line_read = read_prisma_schema(project / SCHEMA)  # the reader `init` detects with
    assert [(m["name"], [f["name"] for f in m["fields"]]) for m in parsed["models"]] == [
        (m.name, [f.name for f in m.fields]) for m in line_read.models
    ]
    for model in parsed["models"]:
        spec = feature_of(parsed, model["name"])
        check_model(spec, line_read)  # `new` holds every feature to the schema this way


@pytest.mark.parametrize(
    "project", [p for p in PROJECTS if p != EXAMPLE_APP], ids=lambda path: path.name
)
def test_each_fixtures_contact_model_gives_the_matrix_contact_feature(
    project: Path, csvimport_cache: Path
):
    spec = feature_of(read_schema_ast(project, SCHEMA, csvimport_cache), "Contact")
    by_name = {f.name: f for f in spec.fields}
    assert spec.key == "email" and by_name["email"].type == "email" and by_name["email"].unique
    assert by_name["fullName"].required and not by_name["age"].required
    assert by_name["active"].default == "true"  # @default(true)
    assert {"id", "updatedAt"}.isdisjoint(by_name)  # the database and Prisma set those
    if "company" in project.joinpath(SCHEMA).read_text():
        assert "companyId" in by_name and "company" not in by_name


def test_a_multi_file_schema_is_read_whole(tmp_path: Path, csvimport_cache: Path):
    folder = tmp_path / "prisma" / "schema"
    (folder / "models").mkdir(parents=True)
    (folder / "schema.prisma").write_text(
        'generator client {\n  provider = "prisma-client"\n  output   = "../generated"\n}\n\n'
        'datasource db {\n  provider = "postgresql"\n}\n\nenum Plan {\n  FREE\n  PRO\n}\n'
    )
    (folder / "models" / "account.prisma").write_text(
        "model Account {\n  id     String @id @default(uuid())\n  handle String @unique\n"
        "  plan   Plan   @default(FREE)\n  owner  User   @relation(fields: [ownerId], "
        "references: [id])\n  ownerId Int\n}\n"
    )
    (folder / "models" / "user.prisma").write_text(
        "model User {\n  id       Int       @id @default(autoincrement())\n"
        "  accounts Account[]\n}\n"
    )
    parsed = read_schema_ast(tmp_path, "prisma/schema", csvimport_cache)
    assert [(m["name"], m["file"]) for m in parsed["models"]] == [
        ("Account", "models/account.prisma"),
        ("User", "models/user.prisma"),
    ]
    derived = derive_fields(parsed, "Account")  # its enum is in another file
    assert derived.fields == (
        "handle:string:unique,key",
        "plan:enum(FREE|PRO):default=FREE",
        "ownerId:int",
    )


def test_an_invalid_schema_is_one_line_naming_the_file_and_line(
    tmp_path: Path, csvimport_cache: Path
):
    (tmp_path / "schema.prisma").write_text("model A {\n  id Int @id\n  name String @@\n}\n")
    with pytest.raises(UsageError, match=r"^--from-prisma: invalid Prisma schema schema\.prisma:3"):
        read_schema_ast(tmp_path, "schema.prisma", csvimport_cache)


# ---- the command --------------------------------------------------------------------------


@pytest.fixture
def cache_env(csvimport_cache: Path) -> dict[str, str]:
    return {"CSVIMPORT_CACHE_DIR": str(csvimport_cache)}


def printed_fields(stdout: str) -> list[str]:
    """The definitions of the `--fields` line `new --from-prisma` prints."""
    line = next(line for line in stdout.splitlines() if line.strip().startswith("--fields "))
    return shlex.split(line)[1:]


def test_the_printed_fields_rerun_to_the_same_feature(initialized_project: Path, cache_env):
    project = str(initialized_project)
    derived = run_cli(
        "new", "member", "--from-prisma", "User", "--no-check", "--project", project,
        env=cache_env,
    )  # fmt: skip
    assert derived.returncode == 0, derived.stdout + derived.stderr
    fields = printed_fields(derived.stdout)
    assert "email:email:unique,key" in fields
    answers = (initialized_project / ".csvimport/member.yml").read_text()
    assert "model: user" in answers and "key: email" in answers

    edited = run_cli(
        "new", "member", "--model", "user", "--no-check", "--project", project,
        "--fields", *fields,
    )  # fmt: skip
    assert edited.returncode == 0, edited.stdout + edited.stderr
    plan = re.findall(r"^  (\w+) +(\S+)$", edited.stdout, re.M)  # `  identical PATH`
    assert any(path.endswith("route.ts") for _, path in plan), edited.stdout
    statuses = {status for status, _ in plan}
    assert statuses == {"identical"}, edited.stdout


def set_schema(project: Path, schema: str | None) -> None:
    config = json.loads((project / "csvimport.json").read_text())
    (project / "csvimport.json").write_text(json.dumps({**config, "prismaSchema": schema}))


def path_with_node_only(folder: Path) -> str:
    folder.mkdir()
    (folder / "node").symlink_to(shutil.which("node"))
    return str(folder)


@pytest.mark.parametrize(
    ("arguments", "setup", "env", "message"),
    [
        (["--from-prisma", "Student"], None, {}, "no model 'Student' in the Prisma schema (its "
         "models: User, Course)"),
        (["--from-prisma", "User", "--fields", "name:string"], None, {},
         "pass --fields or --from-prisma, not both"),
        (["--from-prisma", "User", "--model", "Course"], None, {},
         "--model Course conflicts with --from-prisma User"),
        (["--from-prisma", "User"], lambda p: set_schema(p, None), {},
         "--from-prisma needs the project's Prisma schema: set prismaSchema in csvimport.json"),
        (["--from-prisma", "User"], lambda p: set_schema(p, "db/schema.prisma"), {},
         "Prisma schema not found: db/schema.prisma"),
        (["--from-prisma", "User"], None, {"PATH": ""},
         "--from-prisma needs Node.js: `node` is not on PATH"),
        (["--from-prisma", "User"], None,
         {"PATH": lambda tmp: path_with_node_only(tmp / "bin"),
          "CSVIMPORT_CACHE_DIR": lambda tmp: str(tmp / "fresh-cache")},
         "--from-prisma needs npm (with Node.js) on PATH"),
    ],
    ids=["unknown model", "with --fields", "with --model", "no schema", "schema missing",
         "no node", "no npm"],
)  # fmt: skip
def test_from_prisma_mistakes_are_one_line(
    initialized_project: Path, cache_env, tmp_path: Path, arguments, setup, env, message
):
    if setup is not None:
        setup(initialized_project)
    env = {name: value(tmp_path) if callable(value) else value for name, value in env.items()}
    before = tree_snapshot(initialized_project)
    result = run_cli(
        "new", "member", *arguments, "--project", str(initialized_project),
        env={**cache_env, **env},
    )  # fmt: skip
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), lines
    assert tree_snapshot(initialized_project) == before
