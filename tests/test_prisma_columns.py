"""Each field against its Prisma column, before anything is written: `new` never generates code
that does not compile, nor code that quietly stores something else than the CSV said.

The table of which field types fit which Prisma types is `prisma_columns`; these tests read it
as examples, hold the mistakes found in use to one-line errors (through the real CLI too), and
prove the table's "fits" in a real project: every fitting pair is generated into the example
app and type-checked with its own `tsc`.
"""

import itertools
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.feature_answers import check_model
from csvimport_scaffold.field_dsl import parse_fields
from csvimport_scaffold.field_rules import FIELD_TYPES
from csvimport_scaffold.prisma_columns import (
    FIELD_TYPE_FOR,
    FITTING_TYPES,
    PRISMA_SCALARS,
    derived_field_type,
    fitting_types,
    type_problem,
)
from csvimport_scaffold.prisma_schema import parse_prisma_schema, read_project_schema
from csvimport_scaffold.spec import make_feature_spec

from conftest import link_node_modules, run_cli, tree_snapshot

# ---- the table --------------------------------------------------------------------------

# Which field types each Prisma type takes, written out: the table in prisma_columns must say
# the same.
FITS = {
    "String": {"string", "email", "url", "uuid", "enum"},
    "Int": {"int"},
    "BigInt": {"int"},
    "Float": {"int", "float"},
    "Decimal": {"int", "float"},
    "Boolean": {"boolean"},
    "DateTime": {"date", "datetime"},
    "Json": set(),
    "Bytes": set(),
    "Unsupported": set(),
}


@pytest.mark.parametrize(
    ("field_type", "prisma_type"), list(itertools.product(FIELD_TYPES, PRISMA_SCALARS))
)
def test_which_field_types_fit_which_prisma_types(field_type: str, prisma_type: str):
    problem = type_problem(field_type, prisma_type, values=("a", "b"))
    if field_type in FITS[prisma_type]:
        assert problem is None
    else:
        assert problem is not None and problem.endswith(")"), problem  # (use int), ...


@pytest.mark.parametrize(
    ("field_type", "prisma_type", "why"),
    [
        ("float", "Int", "a float would be truncated (use int)"),
        ("float", "BigInt", "a float would be truncated (use int)"),
        ("string", "Int", "the generated code passes text, which Int does not take (use int)"),
        ("date", "String", "passes a Date, which String does not take (use string)"),
        ("boolean", "String", "passes a boolean, which String does not take (use string)"),
        ("int", "Boolean", "passes a number, which Boolean does not take (use boolean)"),
        ("string", "DateTime", "text is not validated as a date, so the database would reject"),
        ("email", "Decimal", "text is not validated as a number, so the database would reject"),
        ("int", "DateTime", "passes a number, which DateTime does not take (use datetime)"),
        ("string", "Json", "a cell would be stored as a JSON string, not parsed"),
        ("int", "Bytes", "no CSV type holds bytes (leave the field out)"),
        ("string", "Unsupported", "Prisma Client cannot write an Unsupported column"),
    ],
)
def test_a_refusal_says_why_and_what_to_use(field_type: str, prisma_type: str, why: str):
    assert why in (type_problem(field_type, prisma_type) or "")


@pytest.mark.parametrize(
    ("field_type", "values", "problem"),
    [
        ("enum", ("ADMIN", "MEMBER"), None),
        ("enum", ("MEMBER",), None),  # a part of the enum is fine
        ("enum", ("ADMIN", "admin"), "admin is not a Role value (use enum(ADMIN|MEMBER|GUEST))"),
        ("enum", ("admin", "member"), "admin, member are not Role values"),
        ("string", (), "text is not a Role value (use enum(ADMIN|MEMBER|GUEST))"),
        ("int", (), "a number is not a Role value"),
    ],
)
def test_a_prisma_enum_takes_an_enum_of_its_own_values(field_type, values, problem):
    found = type_problem(
        field_type, "Role", values=values, enum_values=("ADMIN", "MEMBER", "GUEST")
    )
    if problem is None:
        assert found is None
    else:
        assert problem in (found or "")


def test_a_date_column_takes_a_date_not_a_datetime():
    assert fitting_types("DateTime", native="Date") == ("date",)
    assert type_problem("date", "DateTime", native="Date") is None
    assert type_problem("datetime", "DateTime", native="Date") == (
        "the column is @db.Date: a datetime would lose its time (use date)"
    )


def test_the_table_says_the_same_as_the_written_out_one():
    for prisma_type, fitting in FITTING_TYPES.items():
        assert set(fitting) == FITS[prisma_type]
        assert set(fitting_types(prisma_type)) == FITS[prisma_type]


def test_what_from_prisma_derives_for_a_column_fits_it():
    """`--from-prisma` takes its types from the same table: each derived type fits."""
    for prisma_type, field_type in FIELD_TYPE_FOR.items():
        assert field_type in FITS[prisma_type]
    for prisma_type, native in (("DateTime", "Date"), ("String", "Uuid")):
        derived = derived_field_type(prisma_type, native)
        assert derived is not None
        assert type_problem(derived, prisma_type, native=native) is None
    assert derived_field_type("Role", enum_values=("A", "B")) == "enum(A|B)"
    assert {derived_field_type(t) for t in ("Json", "Bytes", "Unsupported")} == {None}


def test_the_readme_shows_the_table():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", readme, re.M))
    for prisma_type in FITTING_TYPES:
        if fitting_types(prisma_type):
            listed = re.findall(r"`(\w+)`", rows[prisma_type].split(" (")[0])
            assert listed == list(fitting_types(prisma_type)), prisma_type


# ---- a feature against its model ----------------------------------------------------------

SCHEMA_TEXT = """
enum Role {
  ADMIN  @map("admin")
  MEMBER // members
  @@map("roles")
}

model User {
  id       Int       @id @default(autoincrement())
  fullName String
  email    String    @unique
  age      Int?
  score    Int
  role     Role      @default(MEMBER)
  joinedOn DateTime?
  posts    Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  author    User     @relation(fields: [authorId],
                              references: [id])
  authorId  Int
  body      Json?
  tags      String[]
  location  Unsupported("geometry(Point, 4326)")?
  legacy    String   @ignore
  updatedAt DateTime @updatedAt
}

model Event {
  id      Int    @id @default(autoincrement())
  name    String
  payload Json
}

model Audit {
  id   Int    @id
  note String

  @@ignore
}

model Shape {
  id   Int                      @id @default(autoincrement())
  area Unsupported("polygon")
}
"""
SCHEMA = parse_prisma_schema(SCHEMA_TEXT)
USER = ["fullName:string", "email:email:unique,key", "score:int"]  # what a User needs


def problem(model: str, *fields: str, mode: str | None = None) -> str | None:
    """The error `new` gives for these `--fields` into `model`, None when there is none."""
    parsed, key_flags = parse_fields(list(fields))
    spec = make_feature_spec("feature", parsed, key_flags=key_flags, model=model, mode=mode)
    try:
        check_model(spec, SCHEMA)
    except UsageError as error:
        return str(error)
    return None


def test_the_schema_reader_reads_enums_by_their_client_names():
    assert SCHEMA.find_enum("Role").values == ("ADMIN", "MEMBER")  # not @map's "admin"


def test_the_schema_reader_takes_no_attribute_line_for_a_field():
    post = SCHEMA.find_model("Post")
    assert [f.name for f in post.fields] == [
        "id", "title", "author", "authorId", "body", "tags", "location", "legacy", "updatedAt",
    ]  # fmt: skip
    assert post.find_field("location").base_type == "Unsupported"
    assert SCHEMA.find_model("Audit").ignored


def test_fields_that_fit_their_columns_pass():
    assert problem("user", *USER) is None
    assert problem("user", *USER, "age:int:optional,min=0", "role:enum(ADMIN|MEMBER)") is None
    assert problem("user", *USER, "joinedOn:date:optional", "role:enum(MEMBER):optional") is None
    assert problem("post", "title:string", "authorId:int", "updatedAt:datetime") is None


def test_age_string_on_an_int_column_is_refused():
    """Found in use: the generated processor passed a string where Prisma wants a number."""
    assert problem("user", *USER, "age:string:optional") == (
        "field 'age' is string but column User.age is Int?: the generated code passes text, "
        "which Int does not take (use int)"
    )


def test_full_name_date_on_a_string_column_is_refused():
    assert problem("user", "fullName:date", "email:email", "score:int") == (
        "field 'fullName' is date but column User.fullName is String: the generated code "
        "passes a Date, which String does not take (use string)"
    )


def test_age_float_on_an_int_column_is_refused_as_it_would_be_truncated():
    """Found in use: it compiled, and 4.5 was stored as 4 while the import reported success."""
    assert problem("user", *USER, "age:float:optional") == (
        "field 'age' is float but column User.age is Int?: a float would be truncated (use int)"
    )


def test_required_columns_no_field_fills_are_named_together():
    """Found in use: leaving out a required column without a default did not compile."""
    assert problem("user", "email:email:unique,key") == (
        "Prisma model User needs fullName, score, which no field fills (required columns "
        "without @default): add the fields fullName:string score:int, or --fill "
        "COLUMN=auth.PROPERTY|now|VALUE"
    )
    # a relation's foreign key counts; the relation, lists, @ignore, @updatedAt and ids do not
    assert problem("post", "title:string") == (
        "Prisma model Post needs authorId, which no field fills (required columns without "
        "@default): add the field authorId:int, or --fill COLUMN=auth.PROPERTY|now|VALUE"
    )
    # a column no field type fits is for the schema to change
    assert problem("event", "id:int") == (
        "Prisma model Event needs name, payload, which no field fills (required columns "
        "without @default): add the field name:string, or --fill COLUMN=auth.PROPERTY|now|VALUE; "
        "give payload (Json) a @default or make "
        "it optional in the schema"
    )


def test_enum_values_that_are_not_the_prisma_enums_are_refused():
    assert problem("user", *USER, "role:enum(admin|member)") == (
        "field 'role' is enum but column User.role is Role: admin, member are not Role values "
        "(use enum(ADMIN|MEMBER))"
    )


def test_an_optional_field_needs_a_column_that_may_be_left_out():
    """An empty optional cell is left out of the record (never sent as null): the column
    needs `?` or a @default. A `default=` always sends a value."""
    message = problem("user", "fullName:string:optional", "email:email", "score:int")
    assert message is not None and message.startswith(
        "field 'fullName' is optional but column User.fullName is required without @default: "
        "an empty cell is left out of the record, which Prisma refuses"
    )
    assert problem("user", "fullName:string:default=Anonymous", "email:email", "score:int") is None
    assert problem("user", *USER, "role:enum(ADMIN|MEMBER):optional") is None  # @default


@pytest.mark.parametrize(
    ("model", "fields", "message"),
    [
        ("post", ["title:string", "authorId:int", "author:int"],
         "field 'author': Post.author is a relation to User, not a column (import its foreign "
         "key field instead)"),
        ("post", ["title:string", "authorId:int", "tags:string"],
         "field 'tags': column Post.tags is a list (String[]); a cell holds one value"),
        ("post", ["title:string", "authorId:int", "legacy:string"],
         "field 'legacy': column Post.legacy is @ignore'd, so Prisma Client cannot write it"),
        ("post", ["title:string", "authorId:int", "body:string"],
         "field 'body' is string but column Post.body is Json?: no CSV type holds JSON"),
        ("post", ["title:string", "authorId:int", "location:string:optional"],
         "Prisma Client cannot write an Unsupported column (leave the field out)"),
        ("audit", ["id:int", "note:string"],
         "Prisma model Audit is @@ignore'd: its client cannot write it"),
        ("shape", ["id:int"],
         "Prisma model Shape has required Unsupported columns without @default (area): Prisma "
         "Client cannot create its records"),
    ],
    ids=["relation", "list", "ignored field", "json", "unsupported", "ignored model",
         "required unsupported"],
)  # fmt: skip
def test_what_is_no_column_of_its_own_is_refused(model: str, fields: list[str], message: str):
    assert message in (problem(model, *fields) or "")


def test_a_schema_folder_is_checked_whole(tmp_path: Path):
    """A multi-file schema (prisma/schema/*.prisma): the enum and the model in other files."""
    folder = tmp_path / "prisma" / "schema"
    (folder / "models").mkdir(parents=True)
    (folder / "schema.prisma").write_text('datasource db {\n  provider = "sqlite"\n}\n')
    (folder / "enums.prisma").write_text("enum Plan {\n  FREE\n  PRO\n}\n")
    (folder / "models" / "account.prisma").write_text(
        "model Account {\n  id Int @id @default(autoincrement())\n  plan Plan\n}\n"
    )
    schema = read_project_schema(tmp_path, "prisma/schema")
    fields, _ = parse_fields(["plan:enum(FREE|PRO)"])
    check_model(make_feature_spec("account", fields, model="account"), schema)
    fields, _ = parse_fields(["plan:enum(FREE|TEAM)"])
    with pytest.raises(UsageError, match="TEAM is not a Plan value"):
        check_model(make_feature_spec("account", fields, model="account"), schema)


@pytest.mark.parametrize(
    ("relative", "setup", "message"),
    [
        (None, None, "checking the fields against their Prisma columns needs the project's "
         "Prisma schema: set prismaSchema in csvimport.json (e.g. prisma/schema.prisma, or a "
         "folder of .prisma files)"),
        ("prisma/schema.prisma", None, "Prisma schema not found: prisma/schema.prisma "
         "(prismaSchema in csvimport.json; checking the fields against their Prisma columns "
         "needs it): restore it, or set prismaSchema in csvimport.json to the schema's path"),
        ("prisma/schema", lambda root: (root / "prisma/schema").mkdir(parents=True),
         "Prisma schema has no .prisma file: prisma/schema (prismaSchema in csvimport.json;"),
    ],
    ids=["not configured", "deleted", "empty folder"],
)  # fmt: skip
def test_a_missing_schema_is_an_error_not_a_skipped_check(
    tmp_path: Path, relative: str | None, setup, message: str
):
    if setup is not None:
        setup(tmp_path)
    with pytest.raises(UsageError) as raised:
        read_project_schema(tmp_path, relative)
    assert str(raised.value).startswith(message)


# ---- through the CLI --------------------------------------------------------------------

EXAMPLE_USER = ["name:string", "email:email:unique,key"]  # what the example's User needs


def use_role_enum(project: Path) -> None:
    """The example's `role String` column made a Prisma enum."""
    schema = project / "prisma/schema.prisma"
    text = schema.read_text().replace('role      String    @default("member")',
                                      "role      Role      @default(MEMBER)")  # fmt: skip
    assert "Role " in text
    schema.write_text(text + "\nenum Role {\n  ADMIN\n  MEMBER\n}\n")


def forget_schema(project: Path) -> None:
    config = json.loads((project / "csvimport.json").read_text())
    (project / "csvimport.json").write_text(json.dumps({**config, "prismaSchema": None}))


@pytest.mark.parametrize(
    ("fields", "setup", "message"),
    [
        ([*EXAMPLE_USER, "age:string:optional"], None,
         "field 'age' is string but column User.age is Int?: the generated code passes text, "
         "which Int does not take (use int)"),
        (["name:date", "email:email"], None,
         "field 'name' is date but column User.name is String: the generated code passes a "
         "Date, which String does not take (use string)"),
        (["email:email", "age:int:optional"], None,
         "Prisma model User needs name, which no field fills (required columns without "
         "@default): add the field name:string"),
        ([*EXAMPLE_USER, "age:float:optional"], None,
         "field 'age' is float but column User.age is Int?: a float would be truncated "
         "(use int)"),
        ([*EXAMPLE_USER, "role:enum(admin|member)"], use_role_enum,
         "field 'role' is enum but column User.role is Role: admin, member are not Role values "
         "(use enum(ADMIN|MEMBER))"),
        (EXAMPLE_USER, lambda project: (project / "prisma/schema.prisma").unlink(),
         "Prisma schema not found: prisma/schema.prisma (prismaSchema in csvimport.json;"),
        (EXAMPLE_USER, forget_schema,
         "checking the fields against their Prisma columns needs the project's Prisma "
         "schema: set prismaSchema in csvimport.json"),
    ],
    ids=["age string on Int", "name date on String", "required column left out",
         "age float on Int", "enum values not the Prisma enum's", "schema deleted",
         "no schema configured"],
)  # fmt: skip
def test_new_refuses_fields_that_do_not_fit_and_writes_nothing(
    initialized_project: Path, fields: list[str], setup, message: str
):
    if setup is not None:
        setup(initialized_project)
    before = tree_snapshot(initialized_project)
    result = run_cli("new", "user", "--project", ".", "--fields", *fields, cwd=initialized_project)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), lines
    assert tree_snapshot(initialized_project) == before


# ---- every fitting pair compiles ----------------------------------------------------------

SAMPLE_ENUM = ("LOW", "HIGH")


def fitting_pairs() -> list[tuple[str, str, str]]:
    """(column name, Prisma type, field type) for every pair the table says fits."""
    pairs = [
        (f"{field_type}In{prisma_type}", prisma_type, field_type)
        for prisma_type in FITTING_TYPES
        for field_type in fitting_types(prisma_type)
    ]
    return [*pairs, ("enumInLevel", "Level", "enum")]


def sample_model() -> str:
    """A model with a required and an optional column for every fitting pair, and a column of
    every Prisma type no field fits."""
    lines = ["model Sample {", "  id Int @id @default(autoincrement())"]
    for column, prisma_type, _ in fitting_pairs():
        unique = " @unique" if column == "stringInString" else ""
        lines += [f"  {column} {prisma_type}{unique}", f"  {column}Opt {prisma_type}?"]
    lines += ["  json Json?", "  bytes Bytes?", '  other Unsupported("circle")?', "}"]
    enum = ["enum Level {", *(f"  {value}" for value in SAMPLE_ENUM), "}"]
    return "\n".join(["", *enum, "", *lines, ""])


def sample_fields() -> list[str]:
    fields = []
    for column, prisma_type, field_type in fitting_pairs():
        if field_type == "enum":
            values = SAMPLE_ENUM if prisma_type == "Level" else ("small", "large")
            field_type = f"enum({'|'.join(values)})"
        key = ":unique,key" if column == "stringInString" else ""
        fields += [f"{column}:{field_type}{key}", f"{column}Opt:{field_type}:optional"]
    return fields


def prisma_generate(project: Path) -> None:
    env = {**os.environ, "PRISMA_SCHEMA_ENGINE_BINARY": "/bin/true",
           "PRISMA_HIDE_UPDATE_MESSAGE": "1"}  # fmt: skip
    subprocess.run(
        [str(project / "node_modules/.bin/prisma"), "generate"],
        cwd=project, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def tsc(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(project / "node_modules/.bin/tsc"), "--noEmit", "--pretty", "false"],
        cwd=project, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


@pytest.mark.node
def test_every_fitting_pair_type_checks_in_a_real_project(initialized_project: Path):
    """The table's "fits" are true: one feature per write mode (createMany, upsert) fills a
    column of every Prisma type from every field type the table lets into it, required and
    optional, and the example app's own `tsc --noEmit` accepts the generated processors. The
    same check rejects a value the table refuses, so it does look at Prisma's input types."""
    project = initialized_project
    schema = project / "prisma/schema.prisma"
    schema.write_text(schema.read_text() + sample_model())
    link_node_modules(project)
    prisma_generate(project)
    fields = sample_fields()
    for feature, mode in (("sample", "create"), ("sample-upsert", "upsert")):
        new = run_cli(
            "new", feature, "--model", "Sample", "--mode", mode, "--no-check",
            "--project", str(project), "--fields", *fields,
        )  # fmt: skip
        assert new.returncode == 0, new.stdout + new.stderr
    processor = project / "src/app/api/sample/import/progress/functions/process-sample-items.ts"
    assert "prisma.sample.createMany(" in processor.read_text()

    checked = tsc(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # the control: what is refused for not compiling is a type error here (lines 7 to 10), and
    # the record they start from is not (line 6)
    refused = project / "src/app/refused-pairs.ts"
    refused.write_text(
        'import type { Prisma } from "@/src/generated/prisma/client";\n\n'
        f"const REQUIRED = {{ {REQUIRED_SAMPLE} }};\n\n"
        "export const refused: Prisma.SampleCreateManyInput[] = [\n"
        "  { ...REQUIRED },\n"
        '  { ...REQUIRED, intInIntOpt: "42" },\n'  # age:string on an Int column
        "  { ...REQUIRED, stringInStringOpt: new Date() },\n"  # name:date on a String column
        '  { ...REQUIRED, enumInLevelOpt: "low" as "low" | "high" },\n'  # not Level's values
        '  { stringInString: "a" },\n'  # required columns left out
        "];\n"
    )
    checked = tsc(project)
    lines = re.findall(
        r"^src/app/refused-pairs\.ts\((\d+),\d+\): error TS\d+", checked.stdout, re.M
    )
    assert sorted({int(line) for line in lines}) == [7, 8, 9, 10], checked.stdout


# A valid value of every required column of Sample, in TypeScript.
REQUIRED_SAMPLE = ", ".join(
    f"{column}: {value}"
    for column, value in {
        "stringInString": '"a"', "emailInString": '"a"', "urlInString": '"a"',
        "uuidInString": '"a"', "enumInString": '"a"', "intInInt": "1", "intInBigInt": "1",
        "intInFloat": "1", "floatInFloat": "1", "intInDecimal": "1", "floatInDecimal": "1",
        "booleanInBoolean": "true", "dateInDateTime": "new Date()",
        "datetimeInDateTime": "new Date()", "enumInLevel": '"LOW" as const',
    }.items()
)  # fmt: skip
