"""`--from-prisma`'s mapping from a parsed Prisma model to `--fields` definitions, on models
written here in the JSON shape the schema reader prints (prisma_reader/read-prisma-schema.mjs).
"""

import re
import shlex

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.field_dsl import parse_fields
from csvimport_scaffold.prisma_fields import derive_fields
from csvimport_scaffold.spec import make_feature_spec

# ---- the reader's JSON, written the way a schema reads --------------------------------------


def lit(word: str) -> dict:
    return {"literal": word}


def text(value: str) -> dict:
    return {"string": value}


def call(name: str, *args: dict) -> dict:
    return {"function": name, "args": [{"key": None, "value": a} for a in args]}


def names(*words: str) -> dict:
    return {"array": [lit(w) for w in words]}


def attr(name: str, *args: dict, **keyed: dict) -> dict:
    return {
        "name": name,
        "args": [{"key": None, "value": a} for a in args]
        + [{"key": k, "value": v} for k, v in keyed.items()],
    }


def field(name: str, type: str, *attributes: dict, optional=False, list=False) -> dict:
    return {
        "name": name, "type": type, "optional": optional, "list": list,
        "attributes": [*attributes],
    }  # fmt: skip


def model(name: str, *fields: dict, attributes=()) -> dict:
    return {"name": name, "file": "schema.prisma", "fields": [*fields], "attributes": [*attributes]}


def schema(*models: dict, enums=None, types=()) -> dict:
    enum_list = [{"name": n, "values": [*v]} for n, v in (enums or {}).items()]
    return {"models": [*models], "enums": enum_list, "types": [*types]}


CONTACT = model(
    "Contact",
    field("id", "Int", attr("id"), attr("default", call("autoincrement"))),
    field("email", "String", attr("unique"), attr("map", text("e_mail"))),
    field("fullName", "String", attr("db.VarChar", lit("120"))),
    field("age", "Int", optional=True),
    field("born", "DateTime", attr("db.Date"), optional=True),
    field("role", "Role", attr("default", lit("MEMBER"))),
    field("active", "Boolean", attr("default", lit("true"))),
    field("balance", "Decimal", attr("default", lit("0.5"))),
    field("visits", "BigInt", attr("default", lit("0"))),
    field("nickname", "String", attr("default", text(""))),
    field("companyId", "Int"),
    field(
        "company", "Company", attr("relation", fields=names("companyId"), references=names("id"))
    ),
    field("tags", "String", list=True),
    field("profile", "Json", optional=True),
    field("createdAt", "DateTime", attr("default", call("now"))),
    field("updatedAt", "DateTime", attr("updatedAt")),
)
COMPANY = model(
    "Company",
    field("id", "Int", attr("id"), attr("default", call("autoincrement"))),
    field("code", "String"),
    field("name", "String"),
    field("contacts", "Contact", list=True),
    attributes=[attr("unique", names("code")), attr("unique", names("name", "id"))],
)
SCHEMA = schema(CONTACT, COMPANY, enums={"Role": ["ADMIN", "MEMBER"]})


def test_a_model_becomes_fields_a_user_could_have_typed():
    derived = derive_fields(SCHEMA, "Contact")
    assert derived.fields == (
        "email:email:unique,key",  # named email; the required unique field is the key
        "fullName:string:max=120",  # @db.VarChar(120)
        "age:int:optional",
        "born:date:optional",  # @db.Date
        "role:enum(ADMIN|MEMBER):default=MEMBER",  # literal defaults are carried
        "active:boolean:default=true",
        "balance:float:default=0.5",
        "visits:int:default=0",
        "nickname:string:optional",  # an empty default: the database fills it
        "companyId:int",  # the foreign key stays, the relation field goes
        "createdAt:datetime:optional",  # now() is the database's: optional
    )
    assert derived.notes == (
        "tags: a list (a CSV cell holds one value)",
        "profile: type Json has no CSV column type",
    )
    assert (derived.model, derived.delegate) == ("Contact", "contact")


def test_the_derived_fields_make_a_feature_as_the_command_line_would():
    derived = derive_fields(SCHEMA, "contact")  # the client delegate names it too
    fields, key_flags = parse_fields(shlex.split(derived.fields_option())[1:])
    spec = make_feature_spec("contact", fields, key_flags=key_flags, model=derived.delegate)
    assert spec.key == "email"
    assert spec.model == "contact"
    by_name = {f.name: f for f in spec.fields}
    assert by_name["role"].values == ("ADMIN", "MEMBER")
    assert by_name["role"].default == "MEMBER" and not by_name["role"].required
    assert by_name["companyId"].required and not by_name["age"].required


def test_a_one_field_unique_constraint_makes_a_unique_key():
    derived = derive_fields(SCHEMA, "Company")
    # @@unique([code]) alone makes code unique; @@unique([name, id]) makes nothing unique
    assert derived.fields == ("code:string:unique,key", "name:string")
    assert derived.notes == ()


def test_an_email_is_the_key_before_other_unique_fields():
    member = model(
        "Member",
        field("badge", "String", attr("unique")),
        field("workEmail", "String", attr("unique")),
    )
    assert derive_fields(schema(member), "Member").fields == (
        "badge:string:unique",
        "workEmail:email:unique,key",
    )


def test_a_key_given_on_the_command_line_marks_no_field():
    derived = derive_fields(SCHEMA, "Contact", key="fullName")
    assert "email:email:unique" in derived.fields
    assert not any(d.endswith(",key") or d.endswith(":key") for d in derived.fields)


def test_without_a_required_unique_field_no_field_is_the_key():
    tag = model(
        "Tag", field("label", "String"), field("slug", "String", attr("unique"), optional=True)
    )
    assert derive_fields(schema(tag), "Tag").fields == (
        "label:string",
        "slug:string:optional,unique",
    )


def test_an_id_the_user_supplies_is_kept_as_the_unique_key():
    country = model("Country", field("code", "String", attr("id")), field("name", "String"))
    assert derive_fields(schema(country), "Country").fields == (
        "code:string:unique,key",
        "name:string",
    )


def test_names_and_types_csvimport_has_no_column_for():
    account = model(
        "Account",
        field("userId", "String", attr("db.Uuid")),
        field("refresh_token", "String", optional=True),  # csvimport field names are camelCase
        field("avatar", "Bytes", optional=True),
        field("area", "Unsupported", optional=True),
        field("legacy", "String", attr("ignore"), optional=True),
        field("title", "String", attr("db.VarChar", lit("Max")), optional=True),
    )
    derived = derive_fields(schema(account), "Account")
    assert derived.fields == ("userId:uuid", "title:string:optional")
    assert [note.split(":")[0] for note in derived.notes] == [
        "refresh_token", "avatar", "area", "legacy",
    ]  # fmt: skip


def test_a_default_the_field_language_cannot_hold_leaves_the_field_optional():
    note = model("Note", field("body", "String", attr("default", text("a,max=3"))))
    assert derive_fields(schema(note), "Note").fields == ("body:string:optional",)


@pytest.mark.parametrize(
    ("document", "name", "message"),
    [
        (
            SCHEMA,
            "Student",
            "no model 'Student' in the Prisma schema (its models: Contact, Company)",
        ),
        (
            schema(model("Doc", field("body", "Json"))),
            "Doc",
            "Prisma model Doc needs field 'body', which cannot come from CSV: type Json",
        ),
        (
            schema(model("Log", field("id", "Int"), attributes=[attr("ignore")])),
            "Log",
            "Prisma model Log is @@ignore'd",
        ),
        (
            schema(model("Join", field("id", "Int", attr("id"), attr("default", call("cuid"))))),
            "Join",
            "Prisma model Join has no field to import from CSV",
        ),
    ],
    ids=["unknown model", "required Json", "ignored model", "nothing to import"],
)
def test_models_that_cannot_be_imported_say_why(document, name, message):
    with pytest.raises(UsageError, match="^" + re.escape(message)):
        derive_fields(document, name)


def test_the_fields_option_quotes_for_the_shell():
    survey = model("Survey", field("answer", "String", attr("default", text("it's fine"))))
    derived = derive_fields(schema(survey), "Survey")
    assert shlex.split(derived.fields_option()) == ["--fields", "answer:string:default=it's fine"]
