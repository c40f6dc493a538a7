"""`new --from-prisma MODEL`: a feature's `--fields` derived from a Prisma model, as parsed by
`prisma_ast` (pure: JSON in, field definitions out).

Each column the client may write becomes a definition in the `--fields` language, so what is
printed for the user to edit is exactly what is used:

- The field type `prisma_columns` derives for the column's type (the table of which field
  types fit which columns): String -> string (`uuid` with `@db.Uuid`), Int/BigInt -> int,
  Float/Decimal -> float, Boolean -> boolean, DateTime -> datetime (`date` with `@db.Date`),
  an enum -> enum(A|B); and a String named `email` or `...Email` -> email, `max=N` from
  `@db.VarChar(N)`/`@db.Char(N)`.
- `?` -> optional; `@default(...)` -> `default=VALUE` for a literal, else optional (the
  database fills it); `@unique`, `@id` and a one-field `@@unique`/`@@id` -> unique.
- Left out: ids the database generates, `@updatedAt`, relation fields (their foreign key
  scalars stay), lists, `@ignore`, and Json, Bytes and Unsupported fields (no CSV type
  holds them) - an error if the model cannot be created without one.
- The key: the first required unique field (an email first), unless `--key` names one.
"""

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .field_dsl import parse_field
from .ledger_schema import MODELS as LEDGER_MODELS
from .naming import CAMEL
from .prisma_columns import FIELD_TYPE_FOR, NO_FIELD_TYPE, derived_field_type
from .spec import RESERVED_FIELD_NAMES

# Prisma types with no CSV column type (prisma_columns says why).
UNMAPPED_TYPES = tuple(NO_FIELD_TYPE)
LENGTH_TYPES = ("db.VarChar", "db.Char")


@dataclass(frozen=True)
class DerivedFields:
    model: str  # the Prisma model, as the schema names it
    delegate: str  # its client property: `prisma.contact`
    fields: tuple[str, ...]  # `--fields` definitions
    notes: tuple[str, ...]  # the model's fields that were left out, and why

    def fields_option(self) -> str:
        """`--fields 'email:email:unique,key' ...`, quoted for a POSIX shell."""
        return shlex.join(["--fields", *self.fields])


@dataclass(frozen=True)
class _Column:
    name: str
    type: str
    rules: tuple[str, ...]
    key_candidate: bool  # required and unique

    def definition(self, is_key: bool) -> str:
        rules = ",".join((*self.rules, "key") if is_key else self.rules)
        return f"{self.name}:{self.type}:{rules}" if rules else f"{self.name}:{self.type}"


def delegate_name(model: str) -> str:
    """The client property of a model: `prisma.courseEnrollment` for `CourseEnrollment`."""
    return model[:1].lower() + model[1:]


def derive_fields(
    schema: Mapping[str, Any], model_name: str, *, key: str | None = None
) -> DerivedFields:
    """The `--fields` of a feature importing into `model_name` (the model or its delegate).
    With `key` (from `--key`) no field is marked `key` here."""
    model = _find_model(schema, model_name)
    if _has(model["attributes"], "ignore"):
        raise UsageError(f"Prisma model {model['name']} is @@ignore'd: its client cannot write it")
    context = _Context(
        models={m["name"] for m in schema["models"]} | set(schema.get("types", ())),
        enums={e["name"]: tuple(e["values"]) for e in schema.get("enums", ())},
        unique=_one_field_sets(model["attributes"]),
    )
    columns: list[_Column] = []
    notes: list[str] = []
    for field in model["fields"]:
        column = _column(field, context, model["name"])
        if isinstance(column, _Column):
            columns.append(column)
        elif column is not None:
            notes.append(f"{field['name']}: {column}")
    if not columns:
        raise UsageError(
            f"Prisma model {model['name']} has no field to import from CSV "
            f"({'; '.join(notes) or 'no fields'})"
        )
    candidates = [c for c in columns if c.key_candidate] if key is None else []
    chosen = min(candidates, key=lambda c: c.type != "email", default=None)  # an email first
    return DerivedFields(
        model=model["name"],
        delegate=delegate_name(model["name"]),
        fields=tuple(c.definition(c is chosen) for c in columns),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _Context:
    models: set[str]  # models and composite types: a field of one of those is a relation
    enums: dict[str, tuple[str, ...]]
    unique: set[str]  # fields unique on their own through @@unique([x]) or @@id([x])


def _find_model(schema: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """A model a feature can import into (csvimport's own ledger is not one)."""
    models = [m for m in schema["models"] if m["name"] not in LEDGER_MODELS]
    for model in models:
        if name in (model["name"], delegate_name(model["name"])):
            return model
    known = ", ".join(m["name"] for m in models) or "none"
    raise UsageError(f"no model '{name}' in the Prisma schema (its models: {known})")


def _column(field: Mapping[str, Any], context: _Context, model: str) -> _Column | str | None:
    """The field's column, or why it is left out (None: left out without a note)."""
    attributes = field["attributes"]
    name, prisma_type = field["name"], field["type"]
    if _has(attributes, "ignore"):
        return "marked @ignore"
    if prisma_type in context.models:
        return None  # a relation: its foreign key scalar is a field of its own
    if field["list"]:
        return "a list (a CSV cell holds one value)"
    if _has(attributes, "updatedAt"):
        return None  # Prisma sets it on every write
    default = _attribute(attributes, "default")
    if _has(attributes, "id") and default is not None:
        return None  # the database makes it
    needed = not field["optional"] and default is None  # create() fails without it
    why_not = _unmapped(field, context)
    if why_not is not None:
        if needed:
            raise UsageError(
                f"Prisma model {model} needs field '{name}', which cannot come from CSV: {why_not}"
            )
        return why_not

    column_type = _column_type(field, context)
    rules: list[str] = []
    if default is not None:
        rules.append(_default_rule(name, column_type, default))
    elif field["optional"]:
        rules.append("optional")
    unique = _has(attributes, "unique") or _has(attributes, "id") or name in context.unique
    if unique and column_type != "boolean":
        rules.append("unique")
    length = next((a for a in attributes if a["name"] in LENGTH_TYPES and a["args"]), None)
    size = _literal(length["args"][0]["value"]) if length else ""
    if size.isdigit() and column_type in ("string", "email"):  # not SQL Server's VarChar(Max)
        rules.append(f"max={size}")
    return _Column(name, column_type, tuple(rules), key_candidate=needed and unique)


def _unmapped(field: Mapping[str, Any], context: _Context) -> str | None:
    """Why the field cannot be a CSV column, if it cannot."""
    if field["type"] in UNMAPPED_TYPES:
        return f"type {field['type']} has no CSV column type"
    if field["type"] not in FIELD_TYPE_FOR and field["type"] not in context.enums:
        return f"unknown type {field['type']}"
    if not CAMEL.fullmatch(field["name"]) or field["name"] in RESERVED_FIELD_NAMES:
        return "csvimport field names are camelCase and not reserved"
    return None


def _column_type(field: Mapping[str, Any], context: _Context) -> str:
    """The field type of the column (prisma_columns' table), an email for a String named so."""
    native = next((a["name"][3:] for a in field["attributes"] if a["name"].startswith("db.")), None)
    column_type = derived_field_type(field["type"], native, context.enums.get(field["type"]))
    assert column_type is not None  # _unmapped left the others out
    name = field["name"]
    if column_type == "string" and (name == "email" or name.endswith("Email")):
        return "email"  # the name says what it holds; the generated validator checks it is one
    return column_type


def _default_rule(name: str, column_type: str, default: Mapping[str, Any]) -> str:
    """`default=VALUE` for a literal default the CSV value can stand for; otherwise the field
    is just optional and the database fills it."""
    args = default["args"]
    value = args[0]["value"] if args else {}
    text = value.get("string", value.get("literal"))
    if text is None or not str(text).strip():
        return "optional"
    rule = f"default={text}"
    try:  # keep it only if the DSL reads back the same value (a comma may start a rule)
        parsed, _ = parse_field(f"{name}:{column_type}:{rule}")
    except UsageError:
        return "optional"
    return rule if parsed.default == text else "optional"


def _one_field_sets(attributes: Sequence[Mapping[str, Any]]) -> set[str]:
    """Fields made unique alone by `@@unique([x])`, `@@unique(fields: [x])` or `@@id([x])`."""
    unique = set()
    for attribute in attributes:
        if attribute["name"] not in ("unique", "id"):
            continue
        listed = next((a["value"] for a in attribute["args"] if a["key"] in (None, "fields")), None)
        names = (listed or {}).get("array", [])
        if len(names) == 1:
            unique.add(_literal(names[0]))
    return unique


def _literal(value: Mapping[str, Any]) -> str:
    """A name or number as written (`[email(sort: Desc)]` names `email`)."""
    return str(value.get("literal", value.get("function", value.get("string", ""))))


def _attribute(attributes: Sequence[Mapping[str, Any]], name: str) -> Mapping[str, Any] | None:
    return next((a for a in attributes if a["name"] == name), None)


def _has(attributes: Sequence[Mapping[str, Any]], name: str) -> bool:
    return _attribute(attributes, name) is not None
