"""Which CSV field types fit which Prisma columns, and the check of a feature's fields against
its model before anything is written (pure: a parsed schema in, an error out).

The generated processor writes every validated field 1:1 into the column of the same name
(`prisma.<model>.createMany({ data })`, `create` or `upsert`). What it passes for a field is
the value its type's cell parser makes (csv-cells.ts, typed by `ts_type` in
feature/_macros.jinja): a `string` for string, email, url and uuid, a union of string
literals for an enum, a safe-integer `number` for int, a `number` for float, a `boolean`, and
a `Date` (UTC) for date and datetime. A field fits a column when Prisma Client's input type
for the column takes that value and stores it unchanged:

    Prisma column   its client takes         fitting field types
    String          string                   string, email, url, uuid, enum
    Int             number                   int
    BigInt          bigint | number          int
    Float           number                   int, float
    Decimal         Decimal | number | ...   int, float
    Boolean         boolean                  boolean
    DateTime        Date | string            date, datetime (only date with @db.Date)
    an enum E       "A" | "B"                enum(...) of E's values
    Json, Bytes     JSON values, Uint8Array  none
    Unsupported     (not in the client)      none

Refused although TypeScript takes it: a float into Int or BigInt (it would be truncated),
text into Decimal or DateTime (not validated as a number or date: the database would reject
a bad cell), anything into Json (a cell would be stored as a JSON string, not parsed), a
datetime into a `@db.Date` column (its time would be dropped).

An empty optional cell (no `default=`) is left out of the record, never sent as null: the
database then stores the column's `@default`, or null in a `?` column. So an optional field
needs a column with one of those, and every required column without a default needs a field.
"""

from collections.abc import Sequence

from .errors import UsageError
from .field_rules import FIELD_TYPES, TEXT_TYPES
from .prisma_schema import PrismaField, PrismaModel, PrismaSchema
from .spec import FeatureSpec, Field, Fill

# Prisma's scalar types, and the field types each one takes as they are.
FITTING_TYPES: dict[str, frozenset[str]] = {
    "String": TEXT_TYPES | {"enum"},
    "Int": frozenset({"int"}),
    "BigInt": frozenset({"int"}),
    "Float": frozenset({"int", "float"}),
    "Decimal": frozenset({"int", "float"}),
    "Boolean": frozenset({"boolean"}),
    "DateTime": frozenset({"date", "datetime"}),
    "Json": frozenset(),
    "Bytes": frozenset(),
}
PRISMA_SCALARS = (*FITTING_TYPES, "Unsupported")
# Why no field type fits these.
NO_FIELD_TYPE = {
    "Json": "no CSV type holds JSON: a cell would be stored as a JSON string, not parsed",
    "Bytes": "no CSV type holds bytes",
    "Unsupported": "Prisma Client cannot write an Unsupported column",
}
# The field type a column is derived as (`--from-prisma`) and errors suggest: by its type,
# else by its type and native type.
FIELD_TYPE_FOR = {
    "String": "string",
    "Int": "int",
    "BigInt": "int",
    "Float": "float",
    "Decimal": "float",
    "Boolean": "boolean",
    "DateTime": "datetime",
}
NATIVE_FIELD_TYPE = {("String", "Uuid"): "uuid", ("DateTime", "Date"): "date"}
# Native types that keep only part of what a fitting field type holds.
NARROWED_TYPES = {("DateTime", "Date"): frozenset({"date"})}
# What the generated code passes for a field of each type, for messages.
VALUE_OF = {
    **dict.fromkeys(TEXT_TYPES, "text"),
    "enum": "text",
    "int": "a number",
    "float": "a number",
    "boolean": "a boolean",
    "date": "a Date",
    "datetime": "a Date",
}
assert set(VALUE_OF) == set(FIELD_TYPES) and set(FIELD_TYPE_FOR) <= set(FITTING_TYPES)


def fitting_types(prisma_type: str, native: str | None = None) -> tuple[str, ...]:
    """The field types a column of scalar `prisma_type` (with `@db.<native>`) takes, in the
    order of `field_rules.FIELD_TYPES`. (A Prisma enum takes an `enum` of its values.)"""
    fitting = NARROWED_TYPES.get((prisma_type, native), FITTING_TYPES.get(prisma_type, set()))
    return tuple(t for t in FIELD_TYPES if t in fitting)


def derived_field_type(
    prisma_type: str, native: str | None = None, enum_values: Sequence[str] | None = None
) -> str | None:
    """The field type a column is derived as: `datetime` for DateTime, `date` for one with
    `@db.Date`, `enum(A|B)` for an enum of values A and B; None when no field type fits."""
    if enum_values is not None:
        return f"enum({'|'.join(enum_values)})"
    return NATIVE_FIELD_TYPE.get((prisma_type, native), FIELD_TYPE_FOR.get(prisma_type))


def type_problem(
    field_type: str,
    prisma_type: str,
    *,
    values: Sequence[str] = (),
    enum_values: Sequence[str] | None = None,
    native: str | None = None,
) -> str | None:
    """Why a field of `field_type` (an enum of `values`) cannot go into a column of
    `prisma_type` (a Prisma enum of `enum_values`; `native`: its `@db.X`), ending with what to
    do; None when it fits."""
    if prisma_type in NO_FIELD_TYPE:
        return f"{NO_FIELD_TYPE[prisma_type]} (leave the field out)"
    use = f"(use {derived_field_type(prisma_type, native, enum_values)})"
    if enum_values is not None:
        if field_type != "enum":
            return f"{VALUE_OF[field_type]} is not a {prisma_type} value {use}"
        missing = [value for value in values if value not in enum_values]
        if not missing:
            return None
        if len(missing) == 1:
            return f"{missing[0]} is not a {prisma_type} value {use}"
        return f"{', '.join(missing)} are not {prisma_type} values {use}"
    if prisma_type not in FITTING_TYPES:
        return f"{prisma_type} is neither a Prisma scalar type nor an enum of the schema"
    if field_type in fitting_types(prisma_type, native):
        return None
    if field_type in FITTING_TYPES[prisma_type]:  # but not with this native type
        return f"the column is @db.{native}: a {field_type} would lose its time {use}"
    if field_type == "float" and prisma_type in ("Int", "BigInt"):
        return f"a float would be truncated {use}"
    if VALUE_OF[field_type] == "text" and prisma_type in ("Decimal", "DateTime"):
        kind = "a number" if prisma_type == "Decimal" else "a date"
        return f"text is not validated as {kind}, so the database would reject bad cells {use}"
    passes = VALUE_OF[field_type]
    return f"the generated code passes {passes}, which {prisma_type} does not take {use}"


def check_columns(spec: FeatureSpec, model: PrismaModel, schema: PrismaSchema) -> None:
    """Every field fits the column of its name, and every column that needs a value has a
    field. (That each field names a column is checked before.)"""
    check_writable(model, schema)
    for f in spec.fields:
        column = model.find_field(f.name)
        problem = None if column is None else column_problem(f, column, model, schema)
        if problem is not None:
            raise UsageError(problem)
    for fill in spec.fill:
        problem = fill_problem(fill, model, schema)
        if problem is not None:
            raise UsageError(problem)
    names = {f.name for f in spec.fields} | {fill.column for fill in spec.fill}
    missing = [c for c in model.fields if needs_a_value(c, schema) and c.name not in names]
    if missing:
        raise UsageError(_missing_columns(model, missing, schema))


def check_writable(model: PrismaModel, schema: PrismaSchema) -> None:
    """Prisma Client can create records of the model at all."""
    if model.ignored:
        raise UsageError(f"Prisma model {model.name} is @@ignore'd: its client cannot write it")
    unsupported = [
        c.name for c in model.fields if c.base_type == "Unsupported" and needs_a_value(c, schema)
    ]
    if unsupported:
        raise UsageError(
            f"Prisma model {model.name} has required Unsupported columns without @default "
            f"({', '.join(unsupported)}): Prisma Client cannot create its records"
        )


def column_problem(
    f: Field, column: PrismaField, model: PrismaModel, schema: PrismaSchema
) -> str | None:
    """Why field `f` cannot be written into `column` of `model`, naming both; None if it can."""
    name = f"{model.name}.{column.name}"
    if column.ignored:
        return f"field '{f.name}': column {name} is @ignore'd, so Prisma Client cannot write it"
    if schema.is_relation(column):
        return (
            f"field '{f.name}': {name} is a relation to {column.base_type}, not a column "
            "(import its foreign key field instead)"
        )
    if column.is_list:
        return f"field '{f.name}': column {name} is a list ({column.type}); a cell holds one value"
    enum = schema.find_enum(column.base_type)
    problem = type_problem(
        f.type,
        column.base_type,
        values=f.values,
        enum_values=enum.values if enum else None,
        native=column.native_type,
    )
    if problem is not None:
        return f"field '{f.name}' is {f.type} but column {name} is {column.type}: {problem}"
    if not f.required and f.default is None and not column.optional and not column.has_default:
        return (
            f"field '{f.name}' is optional but column {name} is required without @default: "
            "an empty cell is left out of the record, which Prisma refuses (make the field "
            "required or give it default=VALUE, or make the column optional or give it a "
            "@default)"
        )
    return None


# The Prisma types each kind of fill may go into (`auth`: any the client writes; the
# project's type check judges the property's type).
FILL_TYPES = {
    "auth": frozenset(FITTING_TYPES) - {"Json", "Bytes"},
    "now": frozenset({"DateTime"}),
    "boolean": frozenset({"Boolean"}),
    "number": frozenset({"Int", "BigInt", "Float", "Decimal"}),
    "text": frozenset({"String"}),
}


def fill_problem(fill: Fill, model: PrismaModel, schema: PrismaSchema) -> str | None:
    """Why the processor cannot fill `fill.column` of `model` with its value; None if it can."""
    column = model.find_field(fill.column)
    what = f"--fill {fill.column}"
    if column is None:
        columns = ", ".join(c.name for c in model.fields if not schema.is_relation(c))
        return f"{what}: Prisma model {model.name} has no such column (its columns: {columns})"
    name = f"{model.name}.{column.name}"
    if column.ignored or column.is_list or schema.is_relation(column):
        return f"{what}: {name} is not a column the processor can write ({column.type})"
    enum = schema.find_enum(column.base_type)
    if enum is not None:
        if fill.kind == "auth" or (fill.kind == "text" and fill.value in enum.values):
            return None
        return f"{what}: column {name} is the enum {enum.name}: fill it with one of its values"
    fits = column.base_type in FILL_TYPES[fill.kind]
    if fits and fill.kind == "number" and column.base_type in ("Int", "BigInt"):
        fits = "." not in fill.value
    if not fits:
        return f"{what}: column {name} is {column.type}, which does not take a {fill.kind} value"
    return None


def needs_a_value(column: PrismaField, schema: PrismaSchema) -> bool:
    """Whether creating a record needs a value for the column: it is required, has no default
    (`@default`, `@updatedAt`) and is a column of its own (no relation, list or @ignore)."""
    return not (
        column.optional
        or column.has_default
        or column.is_list
        or column.ignored
        or schema.is_relation(column)
    )


def _missing_columns(model: PrismaModel, missing: list[PrismaField], schema: PrismaSchema) -> str:
    """The error naming every required column no field fills, and what to add for each."""
    suggested, unfillable = [], []
    for column in missing:
        enum = schema.find_enum(column.base_type)
        values = enum.values if enum else None
        field_type = derived_field_type(column.base_type, column.native_type, values)
        if field_type is None:
            unfillable.append(f"{column.name} ({column.type})")
        else:
            suggested.append(f"{column.name}:{field_type}")
    names = ", ".join(c.name for c in missing)
    fixes = []
    if suggested:
        fixes.append(
            f"add the field{'s' if len(suggested) > 1 else ''} {' '.join(suggested)}, or "
            "--fill COLUMN=auth.PROPERTY|now|VALUE"
        )
    if unfillable:
        fixes.append(f"give {', '.join(unfillable)} a @default or make it optional in the schema")
    return (
        f"Prisma model {model.name} needs {names}, which no field fills (required columns "
        f"without @default): {'; '.join(fixes)}"
    )
