"""Read what csvimport needs from a Prisma schema: the datasource provider, the client
generator's output, the models with their fields and attributes, the enums with their values
and the names of composite types.

Prisma's schema language is line-oriented blocks (`model X { ... }`); Prisma ships no parser for
Python, so this reads just those blocks and ignores everything else.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_FILE
from .errors import UsageError
from .ledger_schema import MODELS as LEDGER_MODELS
from .user_files import read_user_text

_BLOCK = re.compile(r"^\s*(model|datasource|generator|enum|view|type)\s+(\w+)\s*\{", re.M)
_ASSIGNMENT = re.compile(r'^\s*(\w+)\s*=\s*"([^"]*)"', re.M)
# `name Type? @attributes`: a type is a name or Unsupported("..."), then `?` or `[]`; a line that
# continues an attribute of the line before (`references: [id])`) is no field.
_FIELD = re.compile(
    r'^\s*([A-Za-z_]\w*)\s+((?:Unsupported\("[^"]*"\)|[A-Za-z_]\w*)(?:\[\]|\?)?)(?=\s|@|$)\s*(.*)$'
)
_ENUM_VALUE = re.compile(r"^\s*([A-Za-z_]\w*)(?=\s|@|$)")


@dataclass(frozen=True)
class PrismaField:
    name: str
    type: str  # e.g. "String", "Int?", "DateTime", "Post[]"
    attributes: str = ""

    @property
    def base_type(self) -> str:
        """The type without `?` or `[]`: `Int` for `Int?`, `Unsupported` for `Unsupported("x")`."""
        return self.type.removesuffix("?").removesuffix("[]").split("(", 1)[0]

    @property
    def optional(self) -> bool:
        return self.type.endswith("?")

    @property
    def is_list(self) -> bool:
        return self.type.endswith("[]")

    @property
    def ignored(self) -> bool:
        """`@ignore`: the client leaves the field out."""
        return bool(re.search(r"@ignore\b", self.attributes))

    @property
    def native_type(self) -> str | None:
        """The native type's name: `Date` for `@db.Date`, `VarChar` for `@db.VarChar(9)`."""
        match = re.search(r"@db\.(\w+)", self.attributes)
        return match.group(1) if match else None

    @property
    def unique(self) -> bool:
        return bool(re.search(r"@(unique|id)\b", self.attributes))

    @property
    def has_default(self) -> bool:
        return "@default(" in self.attributes or "@updatedAt" in self.attributes


@dataclass(frozen=True)
class PrismaModel:
    name: str
    fields: tuple[PrismaField, ...] = ()
    attributes: tuple[str, ...] = ()  # the block attributes: `@@unique([a, b])`, `@@ignore`

    @property
    def delegate(self) -> str:
        """The client property: `prisma.user` for model `User`."""
        return self.name[:1].lower() + self.name[1:]

    @property
    def ignored(self) -> bool:
        """`@@ignore`: the client has no delegate for the model."""
        return any(re.match(r"@@ignore\b", attribute) for attribute in self.attributes)

    def find_field(self, name: str) -> PrismaField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class PrismaEnum:
    name: str
    values: tuple[str, ...]  # as the client names them (not their @map)


@dataclass(frozen=True)
class PrismaSchema:
    provider: str | None = None
    generator_provider: str | None = None
    generator_output: str | None = None
    models: tuple[PrismaModel, ...] = field(default_factory=tuple)
    enums: tuple[PrismaEnum, ...] = ()
    composite_types: tuple[str, ...] = ()  # `type X { ... }` blocks (MongoDB)

    def find_model(self, name_or_delegate: str) -> PrismaModel | None:
        for model in self.models:
            if name_or_delegate in (model.name, model.delegate):
                return model
        return None

    @property
    def feature_models(self) -> tuple[PrismaModel, ...]:
        """The models a feature can import into: all but csvimport's own import ledger."""
        return tuple(m for m in self.models if m.name not in LEDGER_MODELS)

    def find_feature_model(self, name_or_delegate: str) -> PrismaModel | None:
        found = self.find_model(name_or_delegate)
        return found if found in self.feature_models else None

    def find_enum(self, name: str) -> PrismaEnum | None:
        return next((e for e in self.enums if e.name == name), None)

    def is_relation(self, prisma_field: PrismaField) -> bool:
        """A field holding another model (or a composite type), not a column of its own."""
        names = {m.name for m in self.models} | set(self.composite_types)
        return prisma_field.base_type in names


def parse_prisma_schema(text: str) -> PrismaSchema:
    text = _strip_comments(text)
    provider = generator_provider = generator_output = None
    models: list[PrismaModel] = []
    enums: list[PrismaEnum] = []
    composite_types: list[str] = []
    for match in _BLOCK.finditer(text):
        kind, name = match.group(1), match.group(2)
        body = _block_body(text, match.end())
        settings = dict(_ASSIGNMENT.findall(body))
        if kind == "datasource":
            provider = provider or settings.get("provider")
        elif kind == "generator" and settings.get("provider") in (
            "prisma-client",
            "prisma-client-js",
        ):
            generator_provider = settings.get("provider")
            generator_output = settings.get("output")
        elif kind == "model":
            models.append(PrismaModel(name, tuple(_fields(body)), tuple(_block_attributes(body))))
        elif kind == "enum":
            enums.append(PrismaEnum(name, tuple(_enum_values(body))))
        elif kind == "type":
            composite_types.append(name)
    return PrismaSchema(
        provider,
        generator_provider,
        generator_output,
        tuple(models),
        tuple(enums),
        tuple(composite_types),
    )


CHECKING_FIELDS = "checking the fields against their Prisma columns"


def read_project_schema(
    root: Path, relative: str | None, needed_by: str = CHECKING_FIELDS
) -> PrismaSchema:
    """The project's schema, at `relative` as csvimport.json's `prismaSchema` records it."""
    return read_prisma_schema(project_schema_path(root, relative, needed_by))


def project_schema_path(root: Path, relative: str | None, needed_by: str) -> Path:
    """Where the project's schema is (a file, or a folder of .prisma files); an error saying
    where it was looked for and how to fix it when it is not there. `needed_by` names what
    needs it (`--from-prisma`)."""
    if not relative:
        raise UsageError(
            f"{needed_by} needs the project's Prisma schema: set prismaSchema in {CONFIG_FILE} "
            "(e.g. prisma/schema.prisma, or a folder of .prisma files)"
        )
    path = root / relative
    if path.is_dir() and not any(path.rglob("*.prisma")):
        problem = "has no .prisma file"
    elif not path.exists():
        problem = "not found"
    else:
        return path
    raise UsageError(
        f"Prisma schema {problem}: {relative} (prismaSchema in {CONFIG_FILE}; {needed_by} "
        f"needs it): restore it, or set prismaSchema in {CONFIG_FILE} to the schema's path"
    )


def read_prisma_schema(path: Path) -> PrismaSchema:
    """Read one schema file, or every `.prisma` file of a multi-file schema folder."""
    if path.is_dir():
        text = "\n".join(read_user_text(p, "Prisma schema") for p in sorted(path.rglob("*.prisma")))
    else:
        text = read_user_text(path, "Prisma schema")
    return parse_prisma_schema(text)


def _strip_comments(text: str) -> str:
    # `//` starts a comment unless it sits inside a string literal
    return "\n".join(
        re.sub(r'^((?:[^"/]|"[^"]*"|/(?!/))*)//.*$', r"\1", line) for line in text.splitlines()
    )


def _block_body(text: str, start: int) -> str:
    depth, index = 1, start
    while index < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        index += 1
    return text[start : index - 1]


def _fields(body: str) -> list[PrismaField]:
    fields = []
    for line in body.splitlines():
        match = _FIELD.match(line)
        if match:
            fields.append(PrismaField(match.group(1), match.group(2), match.group(3).strip()))
    return fields


def _block_attributes(body: str) -> list[str]:
    return [line.strip() for line in body.splitlines() if line.strip().startswith("@@")]


def _enum_values(body: str) -> list[str]:
    """`ADMIN @map("admin")` is the value ADMIN: the client names values as the schema does."""
    return [m.group(1) for line in body.splitlines() if (m := _ENUM_VALUE.match(line))]
