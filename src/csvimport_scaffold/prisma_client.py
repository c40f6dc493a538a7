"""Find the project's Prisma client: where its `PrismaClient` class is imported from (the
generator's `output`, or `@prisma/client`) and which module exports an instance of it, under
whatever name (`prisma`, `db`, `database`, a default export...).

Real projects name the instance freely, so a module is found by what it exports: a value
binding, in a module that uses `PrismaClient`, whose initializer makes or hands out the client
(`new PrismaClient(...)`, `globalForPrisma.prisma ?? createPrismaClient()`).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .prisma_schema import PrismaSchema

DEFAULT_CLIENT_MODULE = "@prisma/client"
# Files Next.js gives a meaning of its own: they never export the project's client.
_ROUTE_FILES = frozenset({"route", "page", "layout", "middleware", "proxy"})
_PREFERRED_STEMS = ("prisma", "db", "database", "client", "index")
_IDENTIFIER = r"[A-Za-z_$][\w$]*"
_EXPORTED_VALUE = re.compile(rf"^export\s+(?:const|let|var)\s+({_IDENTIFIER})\b[^=\n]*=", re.M)
_EXPORT_DEFAULT = re.compile(r"^export\s+default\s+", re.M)
_EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\}", re.M)
_FUNCTION_VALUE = re.compile(r"^\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|\w+\s*=>)")
_MAKES_CLIENT = re.compile(r"PrismaClient|prisma", re.I)


@dataclass(frozen=True)
class ClientExport:
    """A module of the project that exports a PrismaClient instance."""

    path: str  # relative to the project root
    export: str  # the exported name, or "default"


def generated_client_path(schema: PrismaSchema, schema_path: str) -> str | None:
    """Project-relative module of a generator with an `output` (None: `@prisma/client`).
    The `prisma-client` generator's entry point is `client` inside its output folder."""
    if schema.generator_output is None:
        return None
    schema_file = PurePosixPath(schema_path)
    folder = schema_file if not schema_file.suffix else schema_file.parent
    output = _normalize(folder / schema.generator_output)
    return f"{output}/client" if schema.generator_provider == "prisma-client" else output


def find_client_exports(root: Path, sources: Iterable[Path]) -> list[ClientExport]:
    """Every export of a client instance, the likeliest first."""
    found: list[tuple[tuple[int, int, int], ClientExport]] = []
    for path in sources:
        if path.stem in _ROUTE_FILES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "PrismaClient" not in text:
            continue
        relative = path.relative_to(root).as_posix()
        for export in client_exports_of(text):
            stem_rank = _rank(path.stem)
            name_rank = 0 if export in ("prisma", "db", "default") else 1
            rank = (stem_rank, name_rank, len(relative))
            found.append((rank, ClientExport(relative, export)))
    return [export for _, export in sorted(found, key=lambda item: item[0])]


def client_exports_of(text: str) -> list[str]:
    """The names under which a module's text exports a client instance ("default" for a
    default export)."""
    names = [
        match.group(1)
        for match in _EXPORTED_VALUE.finditer(text)
        if _is_client_value(_initializer(text, match.end()))
    ]
    for match in _EXPORT_DEFAULT.finditer(text):
        value = _initializer(text, match.end())
        if _is_client_value(value) or _is_client_binding(text, value.strip().rstrip(";")):
            names.append("default")
    for match in _EXPORT_LIST.finditer(text):
        for item in match.group(1).split(","):
            local, _, exported = (part.strip() for part in item.partition(" as "))
            if local and _is_client_binding(text, local):
                names.append(exported or local)
    return list(dict.fromkeys(names))


def _is_client_binding(text: str, name: str) -> bool:
    """Whether `name` is a local binding of the module initialized with a client."""
    if not re.fullmatch(_IDENTIFIER, name):
        return False
    declared = re.search(rf"^(?:const|let|var)\s+{re.escape(name)}\b[^=\n]*=", text, re.M)
    return bool(declared) and _is_client_value(_initializer(text, declared.end()))


def _is_client_value(initializer: str) -> bool:
    return not _FUNCTION_VALUE.match(initializer) and bool(_MAKES_CLIENT.search(initializer))


def _initializer(text: str, start: int) -> str:
    """The expression after `=` (or `export default`): up to `;` or a blank line."""
    rest = text[start : start + 400]
    end = min((i for i in (rest.find(";"), rest.find("\n\n")) if i >= 0), default=len(rest))
    return rest[:end]


def _rank(stem: str) -> int:
    return _PREFERRED_STEMS.index(stem) if stem in _PREFERRED_STEMS else len(_PREFERRED_STEMS)


def _normalize(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
