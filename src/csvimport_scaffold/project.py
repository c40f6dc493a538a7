"""Detect what csvimport needs to know about a Next.js project, one small detector per fact.

`detect_project` combines them into a `ProjectInfo`; `csvimport init` records it in
`csvimport.json`, which is the source of truth afterwards (the user may edit it).
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import UsageError
from .prisma_schema import PrismaSchema, read_prisma_schema
from .tsconfig import find_alias

IGNORED_DIRS = frozenset({"node_modules", ".next", ".git", "dist", "build", "out", "generated"})
SOURCE_SUFFIXES = (".ts", ".tsx", ".js", ".mjs")
LOCKFILES = (
    ("pnpm-lock.yaml", "pnpm"),
    ("yarn.lock", "yarn"),
    ("bun.lock", "bun"),
    ("bun.lockb", "bun"),
    ("package-lock.json", "npm"),
)


@dataclass(frozen=True)
class ModuleRef:
    """An exported binding of the project: where it is and how to import it."""

    path: str  # relative to the project root
    specifier: str  # import specifier through the alias
    export: str


@dataclass(frozen=True)
class ProjectInfo:
    root: Path
    app_dir: str
    alias_prefix: str
    alias_target: str
    has_lang_segment: bool
    package_manager: str
    next_version: str
    prisma_schema_path: str | None
    prisma: PrismaSchema | None
    prisma_module: ModuleRef | None
    log_module: ModuleRef | None
    auth_module: ModuleRef | None
    zod_major: int | None
    formatter: str | None
    linter: str | None
    dependencies: frozenset[str]

    @property
    def app_import(self) -> str:
        return self.specifier_for(self.app_dir)

    @property
    def dashboard_dir(self) -> str:
        lang = "/[lang]" if self.has_lang_segment else ""
        return f"{self.app_dir}{lang}/dashboard"

    def specifier_for(self, relative_path: str) -> str:
        return specifier_for(relative_path, self.alias_prefix, self.alias_target)


def specifier_for(relative_path: str, alias_prefix: str, alias_target: str) -> str:
    """`src/app/functions/log.ts` with `@/` -> `.` gives `@/src/app/functions/log`."""
    path = PurePosixPath(re.sub(r"\.(tsx?|jsx?|mjs)$", "", relative_path))
    target = PurePosixPath(alias_target)
    inner = path if str(target) == "." else path.relative_to(target)
    return f"{alias_prefix}{inner}"


def detect_project(root: Path) -> ProjectInfo:
    """Inspect `root`; raise UsageError when it is not a Next.js App Router project."""
    check_project_dir(root)
    package = read_package_json(root)
    dependencies = frozenset(
        {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    )
    if "next" not in dependencies:
        raise UsageError(
            f"{root} is not a Next.js app ('next' is not a dependency in package.json)"
        )
    app_dir = detect_app_dir(root)
    tsconfig = root / "tsconfig.json"
    if not tsconfig.is_file():
        raise UsageError(f"{root} has no tsconfig.json (csvimport generates TypeScript)")
    alias_prefix, alias_target = find_alias(tsconfig, root, app_dir)
    schema_path = detect_prisma_schema(root, package)
    prisma = read_prisma_schema(root / schema_path) if schema_path else None
    sources = list(_source_files(root, alias_target))

    def module(pattern: str, export: str, preferred: tuple[str, ...]) -> ModuleRef | None:
        path = find_exporting_module(root, sources, pattern, preferred)
        if path is None:
            return None
        return ModuleRef(path, specifier_for(path, alias_prefix, alias_target), export)

    return ProjectInfo(
        root=root,
        app_dir=app_dir,
        alias_prefix=alias_prefix,
        alias_target=alias_target,
        has_lang_segment=(root / app_dir / "[lang]").is_dir(),
        package_manager=detect_package_manager(root, package),
        next_version=str(
            {**package.get("devDependencies", {}), **package.get("dependencies", {})}["next"]
        ),
        prisma_schema_path=schema_path,
        prisma=prisma,
        prisma_module=module(r"prisma", "prisma", ("prisma", "db")),
        log_module=module(r"log", "log", ("log", "logger")),
        auth_module=module(r"getUserAuthOrThrow", "getUserAuthOrThrow", ("auth",)),
        zod_major=detect_zod_major(root, package),
        formatter=detect_formatter(root, dependencies),
        linter=detect_linter(root, dependencies),
        dependencies=dependencies,
    )


def check_project_dir(root: Path) -> None:
    if not root.exists():
        raise UsageError(f"project directory not found: {root}")
    if not root.is_dir():
        raise UsageError(f"project path is not a directory: {root}")


def read_package_json(root: Path) -> dict[str, Any]:
    path = root / "package.json"
    if not path.is_file():
        raise UsageError(f"{root} is not a Node.js project (no package.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold a JSON object")
    return data


def detect_app_dir(root: Path) -> str:
    for candidate in ("src/app", "app"):
        if (root / candidate).is_dir():
            return candidate
    raise UsageError(f"{root} has no App Router directory (expected src/app or app)")


def detect_package_manager(root: Path, package: dict[str, Any]) -> str:
    declared = package.get("packageManager")
    if isinstance(declared, str) and declared:
        return declared.split("@", 1)[0]
    for lockfile, manager in LOCKFILES:
        if (root / lockfile).exists():
            return manager
    return "npm"


def detect_prisma_schema(root: Path, package: dict[str, Any]) -> str | None:
    """Where the schema is: package.json `prisma.schema`, prisma.config.ts `schema`, defaults."""
    candidates: list[str] = []
    configured = (
        (package.get("prisma") or {}).get("schema")
        if isinstance(package.get("prisma"), dict)
        else None
    )
    if isinstance(configured, str):
        candidates.append(configured)
    for config_name in ("prisma.config.ts", "prisma.config.mjs", "prisma.config.js"):
        config = root / config_name
        if config.is_file():
            match = re.search(
                r"""\bschema\s*:\s*["'`]([^"'`]+)["'`]""", config.read_text(encoding="utf-8")
            )
            if match:
                candidates.append(match.group(1))
    candidates += ["prisma/schema.prisma", "schema.prisma", "prisma/schema"]
    for candidate in candidates:
        path = root / candidate
        if path.is_file() or (path.is_dir() and any(path.rglob("*.prisma"))):
            return PurePosixPath(candidate).as_posix().removeprefix("./")
    return None


def detect_zod_major(root: Path, package: dict[str, Any]) -> int | None:
    installed = root / "node_modules" / "zod" / "package.json"
    version = None
    if installed.is_file():
        try:
            version = json.loads(installed.read_text(encoding="utf-8")).get("version")
        except ValueError:
            version = None
    if version is None:
        version = {**package.get("devDependencies", {}), **package.get("dependencies", {})}.get(
            "zod"
        )
    match = re.search(r"(\d+)", str(version)) if version else None
    return int(match.group(1)) if match else None


def detect_formatter(root: Path, dependencies: frozenset[str]) -> str | None:
    if (
        "prettier" in dependencies
        or any(root.glob(".prettierrc*"))
        or any(root.glob("prettier.config.*"))
    ):
        return "prettier"
    if "@biomejs/biome" in dependencies:
        return "biome"
    return None


def detect_linter(root: Path, dependencies: frozenset[str]) -> str | None:
    if "eslint" in dependencies or any(root.glob("eslint.config.*")):
        return "eslint"
    return None


def find_exporting_module(
    root: Path, sources: list[Path], binding: str, preferred_stems: tuple[str, ...]
) -> str | None:
    """The source file that exports `binding`, preferring files named after it."""
    exporting = re.compile(
        rf"export\s+(?:async\s+)?(?:const|let|var|function)\s+{binding}\b"
        rf"|export\s*\{{[^}}]*\b{binding}\b[^}}]*\}}"
    )
    matches = []
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if exporting.search(text):
            relative = path.relative_to(root).as_posix()
            rank = 0 if path.stem in preferred_stems else 1
            matches.append((rank, len(relative), relative))
    return sorted(matches)[0][2] if matches else None


def _source_files(root: Path, alias_target: str):
    start = root / alias_target
    stack = [start]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                if entry.name not in IGNORED_DIRS and not entry.name.startswith("."):
                    stack.append(entry)
            elif entry.suffix in SOURCE_SUFFIXES and not entry.name.endswith(".d.ts"):
                yield entry
