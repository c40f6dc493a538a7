"""`--fill COLUMN=VALUE`: columns the processor fills itself on every row, not from the CSV: a
property of the signed-in user, the time of the import, or a literal. A required column no
field fills can then be imported without a default in the schema."""

from pathlib import Path

import pytest
from test_cli_bad_input import assert_one_line_usage_error
from test_generate_into_projects import prisma_generate

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.field_dsl import parse_fields
from csvimport_scaffold.prisma_columns import check_columns
from csvimport_scaffold.prisma_schema import parse_prisma_schema
from csvimport_scaffold.spec import Fill, make_feature_spec, parse_fill
from csvimport_scaffold.spec_file import parse_spec_text

from conftest import link_node_modules, run_cli


@pytest.mark.parametrize(
    ("text", "fill"),
    [
        ("ownerId=auth.user.id", Fill("ownerId", "auth", "user.id")),
        ("importedAt=now", Fill("importedAt", "now", "")),
        ("active=true", Fill("active", "boolean", "true")),
        ("batch=-7", Fill("batch", "number", "-7")),
        ("price=2.5", Fill("price", "number", "2.5")),
        ("source=csv upload", Fill("source", "text", "csv upload")),
        ('code="42"', Fill("code", "text", "42")),
        ('note=*/ "; process.exit(1)', Fill("note", "text", '*/ "; process.exit(1)')),
    ],
)
def test_a_fill_is_a_column_and_what_it_takes(text: str, fill: Fill):
    assert parse_fill(text) == fill


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ownerId", "needs a value"),
        ("ownerId=auth.user-id", "is not a auth value"),
        ("ownerId=auth.user.id; process.exit(1)", "is not a auth value"),
        ("owner id=auth.id", "the column must be a Prisma field name"),
        ("ownerId=" + "x" * 501, "is not a text value"),
    ],
)
def test_a_fill_that_cannot_be_written_is_refused(text: str, message: str):
    with pytest.raises(UsageError, match=message):
        parse_fill(text)


def test_a_column_is_a_field_or_filled_not_both():
    fields, _ = parse_fields(["email:email"])
    with pytest.raises(UsageError, match="'email' is both a field and filled"):
        make_feature_spec("user", fields, fill=["email=a@b.c"])
    with pytest.raises(UsageError, match="filled twice"):
        make_feature_spec("user", fields, fill=["a=1", "a=2"])


def test_a_spec_file_fills_with_a_mapping():
    spec = parse_spec_text(
        "feature: user\nfill:\n  ownerId: auth.user.id\n  active: true\n  batch: 7\n"
        "fields:\n  - name:string\n",
        "s.yml",
    )
    assert spec["fill"] == {"ownerId": "auth.user.id", "active": True, "batch": 7}
    made = make_feature_spec("user", spec["fields"], fill=spec["fill"])
    assert made.fill == (
        Fill("ownerId", "auth", "user.id"),
        Fill("active", "boolean", "true"),
        Fill("batch", "number", "7"),
    )
    # recorded answers read back as the same fills
    again = make_feature_spec("user", spec["fields"], fill=made.to_answers()["fill"])
    assert again.fill == made.fill


SCHEMA = """
enum Origin { CSV API }
model Team { id Int @id }
model Entry {
  id        Int      @id @default(autoincrement())
  title     String
  ownerId   String
  at        DateTime
  count     Int
  origin    Origin
  team      Team     @relation(fields: [teamId], references: [id])
  teamId    Int?
}
"""


@pytest.mark.parametrize(
    ("fills", "message"),
    [
        (["ownerId=auth.id", "at=now", "count=1", "origin=CSV"], None),
        (["ownerId=auth.id", "at=now", "count=1.5", "origin=CSV"], "Int, which does not take"),
        (["ownerId=now", "at=now", "count=1", "origin=CSV"], "String, which does not take a now"),
        (["ownerId=auth.id", "at=now", "count=1", "origin=XML"], "the enum Origin"),
        (["ownerId=auth.id", "at=now", "count=1", "origin=CSV", "team=1"], "not a column"),
        (["ownerId=auth.id", "at=now", "count=1", "origin=CSV", "nope=1"], "has no such column"),
        (["ownerId=auth.id", "at=now"], "needs count, origin, which no field fills"),
    ],
)
def test_fills_are_held_to_their_columns(fills: list[str], message: str | None):
    schema = parse_prisma_schema(SCHEMA)
    model = schema.find_model("Entry")
    assert model is not None
    fields, _ = parse_fields(["title:string"])
    spec = make_feature_spec("entry", fields, fill=fills)
    if message is None:
        check_columns(spec, model, schema)
        return
    with pytest.raises(UsageError, match=message):
        check_columns(spec, model, schema)


@pytest.mark.node
@pytest.mark.parametrize("mode", ["create", "upsert"])
def test_filled_columns_are_written_by_code_that_type_checks(initialized_project: Path, mode: str):
    project = initialized_project
    schema = project / "prisma/schema.prisma"
    schema.write_text(
        schema.read_text().replace(
            "  createdAt DateTime  @default(now())\n}",
            "  createdAt DateTime  @default(now())\n  importedBy String\n"
            "  importedAt DateTime\n  source String?\n  batch Int?\n}",
            1,
        )
    )
    link_node_modules(project)
    prisma_generate(project)
    fields = ["name:string", "email:email:unique,key"]
    refused = run_cli("new", "user", "--fields", *fields, "--project", str(project))
    assert_one_line_usage_error(refused, "needs importedBy, importedAt, which no field fills")

    result = run_cli(
        "new", "user", "--mode", mode, "--fields", *fields, "--project", str(project),
        "--fill", "importedBy=auth.user.id", "--fill", "importedAt=now",
        "--fill", 'source="csv */ upload"', "--fill", "batch=7",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(f"{tool}: ok" in result.stdout for tool in ("tsc", "eslint", "prettier"))
    processor = (
        project / "src/app/api/user/import/progress/functions/process-user-items.ts"
    ).read_text()
    assert "importedBy: context.auth.user.id," in processor
    assert "importedAt: new Date()," in processor
    assert 'source: "csv */ upload",' in processor and "batch: 7," in processor

    # a property the signed-in user does not have fails the project's type check
    wrong = run_cli(
        "new", "user", "--mode", mode, "--fields", *fields, "--project", str(project),
        "--fill", "importedBy=auth.user.nickname", "--fill", "importedAt=now", "--force",
    )  # fmt: skip
    assert wrong.returncode == 1
    assert "tsc: 1 finding" in wrong.stdout and "'nickname' does not exist" in wrong.stdout
