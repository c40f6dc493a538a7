"""Read what csvimport needs from a Prisma schema: the datasource provider, the client
generator's output and the models with their fields.

Prisma's schema language is line-oriented blocks (`model X { ... }`); Prisma ships no parser for
Python, so this reads just those blocks and ignores everything else.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from .user_files import read_user_text

_BLOCK = re.compile(r"^\s*(model|datasource|generator|enum|view|type)\s+(\w+)\s*\{", re.M)
_ASSIGNMENT = re.compile(r'^\s*(\w+)\s*=\s*"([^"]*)"', re.M)


@dataclass(frozen=True)
class PrismaField:
    name: str
    type: str  # e.g. "String", "Int?", "DateTime", "Post[]"
    attributes: str = ""

    @property
    def optional(self) -> bool:
        return self.type.endswith("?")

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

    @property
    def delegate(self) -> str:
        """The client property: `prisma.user` for model `User`."""
        return self.name[:1].lower() + self.name[1:]


@dataclass(frozen=True)
class PrismaSchema:
    provider: str | None = None
    generator_provider: str | None = None
    generator_output: str | None = None
    models: tuple[PrismaModel, ...] = field(default_factory=tuple)

    def find_model(self, name_or_delegate: str) -> PrismaModel | None:
        for model in self.models:
            if name_or_delegate in (model.name, model.delegate):
                return model
        return None


def parse_prisma_schema(text: str) -> PrismaSchema:
    text = _strip_comments(text)
    provider = generator_provider = generator_output = None
    models: list[PrismaModel] = []
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
            models.append(PrismaModel(name, tuple(_fields(body))))
    return PrismaSchema(provider, generator_provider, generator_output, tuple(models))


def read_project_schema(root: Path, relative: str | None) -> PrismaSchema | None:
    """The project's schema (at `relative`, as csvimport.json records it), if it has one."""
    if not relative or not (root / relative).exists():
        return None
    return read_prisma_schema(root / relative)


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
        parts = line.strip().split(None, 2)
        if len(parts) < 2 or parts[0].startswith("@"):
            continue
        fields.append(PrismaField(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return fields
