"""Detect what csvimport needs to know about a Next.js project, one small detector per fact.

`detect_project` combines them into a `ProjectInfo`; `csvimport init` records it in
`csvimport.json`, which is the source of truth afterwards (the user may edit it).
"""

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .auth_detection import AuthSource, detect_auth
from .errors import UsageError
from .prisma_client import DEFAULT_CLIENT_MODULE, find_client_exports, generated_client_path
from .prisma_schema import PrismaSchema, read_prisma_schema
from .source_files import find_exporting_module, project_sources
from .tsconfig import find_alias, path_aliases
from .ui_kit_detection import UiKit, detect_ui_kit
from .user_files import read_user_text

# Route groups that usually hold a signed-in area, the likeliest first.
DASHBOARD_GROUPS = ("(dashboard)", "(app)", "(protected)", "(authenticated)", "(admin)", "(main)")
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
    alias_prefix: str  # "" when the project has no alias: local imports are then relative
    alias_target: str
    alias_source: str | None  # the tsconfig file that declares it
    locale_segment: str | None  # a dynamic segment such as `[lang]` that holds the app's pages
    dashboard_dir: str  # where feature components go (an existing dashboard or route group)
    package_manager: str
    package_manager_source: str | None  # the lockfile or package.json that names it
    package_manager_pinned: bool  # package.json's `packageManager` names it (for corepack)
    next_version: str
    prisma_schema_path: str | None
    prisma: PrismaSchema | None
    prisma_version: str | None  # the installed (else the declared) version of prisma
    prisma_client_import: str  # where the project imports PrismaClient from
    prisma_module: ModuleRef | None  # the module exporting the project's client instance
    log_module: ModuleRef | None
    auth: AuthSource | None
    zod_major: int | None
    typescript_version: str | None
    formatter: str | None
    linter: str | None
    dependencies: frozenset[str]
    version_sources: Mapping[str, str]  # package -> the file its version was read from
    pins_exact_versions: bool  # every dependency in package.json names one exact version
    ui_kit: UiKit  # how the project styles its UI: shadcn/ui, Tailwind CSS or plain

    @property
    def app_import(self) -> str:
        return self.specifier_for(self.app_dir)

    def specifier_for(self, relative_path: str) -> str:
        return specifier_for(relative_path, self.alias_prefix, self.alias_target)


def specifier_for(relative_path: str, alias_prefix: str, alias_target: str) -> str:
    """`src/app/functions/log.ts` with `@/` -> `.` gives `@/src/app/functions/log`. Without an
    alias it gives `./src/app/functions/log`: from the project root, which the templates turn
    into a path relative to the importing file."""
    path = PurePosixPath(re.sub(r"\.(tsx?|jsx?|mjs)$", "", relative_path))
    if not alias_prefix:
        return f"./{path}"
    target = PurePosixPath(alias_target)
    inner = path if str(target) == "." else path.relative_to(target)
    return f"{alias_prefix}{inner}"


def specifier_from(specifier: str, importing_dir: str) -> str:
    """The specifier a file in `importing_dir` imports with: a module recorded from the project
    root (`./lib/db`, a project without alias) becomes relative to it; others stay. The
    templates' `fmt.local` macro does the same."""
    if not specifier.startswith("./"):
        return specifier
    relative = posixpath.relpath(specifier[2:], importing_dir or ".")
    return relative if relative.startswith("../") else f"./{relative}"


def detect_project(root: Path, prisma_schema: str | None = None) -> ProjectInfo:
    """Inspect `root`; raise UsageError when it is not a Next.js App Router project.
    `prisma_schema` is where the user says the schema is (else it is looked for)."""
    check_project_dir(root)
    package = read_package_json(root)
    dependencies = frozenset(declared_dependencies(package))
    if "next" not in dependencies:
        raise UsageError(
            f"{root} is not a Next.js app ('next' is not a dependency in package.json)"
        )
    app_dir = detect_app_dir(root)
    tsconfig = root / "tsconfig.json"
    if not tsconfig.is_file():
        raise UsageError(f"{root} has no tsconfig.json (csvimport generates TypeScript)")
    alias_prefix, alias_target, alias_source = find_alias(tsconfig, root, app_dir) or (
        "",
        ".",
        None,
    )
    schema_path = (
        given_prisma_schema(root, prisma_schema)
        if prisma_schema is not None
        else detect_prisma_schema(root, package)
    )
    prisma = read_prisma_schema(root / schema_path) if schema_path else None
    client_path = generated_client_path(prisma, schema_path) if prisma and schema_path else None
    generated = PurePosixPath(client_path).parent if client_path else None
    sources = [
        path
        for path in project_sources(root, alias_target)
        if generated is None or not path.relative_to(root).is_relative_to(generated)
    ]

    def specifier(path: str) -> str:
        return specifier_for(path, alias_prefix, alias_target)

    def module(binding: str, preferred: tuple[str, ...]) -> ModuleRef | None:
        path = find_exporting_module(root, sources, binding, preferred)
        return ModuleRef(path, specifier(path), binding) if path else None

    locale_segment = detect_locale_segment(root, app_dir)
    package_manager, package_manager_source = detect_package_manager(root, package)
    return ProjectInfo(
        root=root,
        app_dir=app_dir,
        alias_prefix=alias_prefix,
        alias_target=alias_target,
        alias_source=alias_source,
        locale_segment=locale_segment,
        dashboard_dir=detect_dashboard_dir(root, app_dir, locale_segment),
        package_manager=package_manager,
        package_manager_source=package_manager_source,
        package_manager_pinned=bool(package.get("packageManager")),
        next_version=declared_dependencies(package)["next"],
        prisma_schema_path=schema_path,
        prisma=prisma,
        prisma_version=detect_package_version(root, package, "prisma", "@prisma/client"),
        prisma_client_import=(
            specifier_for(client_path, alias_prefix, alias_target)
            if client_path
            else DEFAULT_CLIENT_MODULE
        ),
        prisma_module=detect_prisma_module(root, sources, alias_prefix, alias_target),
        log_module=module("log", ("log", "logger")),
        auth=detect_auth(
            lambda binding, stems: find_exporting_module(root, sources, binding, stems),
            specifier,
            lambda name: major_of(detect_package_version(root, package, name)),
        ),
        zod_major=detect_zod_major(root, package),
        typescript_version=detect_package_version(root, package, "typescript"),
        formatter=detect_formatter(root, dependencies),
        linter=detect_linter(root, dependencies),
        dependencies=dependencies,
        pins_exact_versions=pins_exact_versions(package),
        ui_kit=detect_ui_kit(root, dependencies, path_aliases(tsconfig, root), specifier),
        version_sources={
            names[0]: found[1]
            for names in (("next",), ("prisma", "@prisma/client"), ("zod",), ("typescript",))
            if (found := find_package_version(root, package, *names))
        },
    )


def check_project_dir(root: Path) -> None:
    if not root.exists():
        raise UsageError(f"project directory not found: {root}")
    if not root.is_dir():
        raise UsageError(f"project path is not a directory: {root}")


DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "peerDependencies")


def read_package_json(root: Path) -> dict[str, Any]:
    path = root / "package.json"
    if not path.is_file():
        raise UsageError(f"{root} is not a Node.js project (no package.json)")
    try:
        data = json.loads(read_user_text(path))
    except ValueError as error:
        raise UsageError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold a JSON object")
    for section in DEPENDENCY_SECTIONS:
        declared = data.get(section, {})
        if not isinstance(declared, dict) or not all(
            isinstance(version, str) for version in declared.values()
        ):
            raise UsageError(f'{path}: "{section}" must map package names to version ranges')
    return data


def declared_dependencies(package: dict[str, Any]) -> dict[str, str]:
    """Every package package.json declares, with its range (`dependencies` win)."""
    return {**package.get("devDependencies", {}), **package.get("dependencies", {})}


def detect_app_dir(root: Path) -> str:
    for candidate in ("src/app", "app"):
        if (root / candidate).is_dir():
            return candidate
    raise UsageError(f"{root} has no App Router directory (expected src/app or app)")


def detect_locale_segment(root: Path, app_dir: str) -> str | None:
    """A dynamic segment right under the app directory that wraps the pages in a layout of
    its own (`[lang]`, `[locale]`): the app's pages, dashboards included, live below it."""
    segments = [
        entry.name
        for entry in sorted((root / app_dir).iterdir())
        if entry.is_dir() and re.fullmatch(r"\[\w+\]", entry.name) and any(entry.glob("layout.*"))
    ]
    return segments[0] if len(segments) == 1 else None


def detect_dashboard_dir(root: Path, app_dir: str, locale_segment: str | None) -> str:
    """Where feature components go: an existing `dashboard` folder (also inside a route
    group), else a route group that holds the signed-in pages, else a new `dashboard`."""
    base = f"{app_dir}/{locale_segment}" if locale_segment else app_dir
    groups = sorted(p.name for p in (root / base).glob("(*)") if p.is_dir())
    for folder in ("dashboard", *(f"{group}/dashboard" for group in groups)):
        if (root / base / folder).is_dir():
            return f"{base}/{folder}"
    for group in DASHBOARD_GROUPS:
        if group in groups:
            return f"{base}/{group}"
    return f"{base}/dashboard"


def detect_package_manager(root: Path, package: dict[str, Any]) -> tuple[str, str | None]:
    """The package manager, and the file that says so (None: nothing does; npm is assumed)."""
    declared = package.get("packageManager")
    if isinstance(declared, str) and declared:
        return declared.split("@", 1)[0], "package.json"
    for lockfile, manager in LOCKFILES:
        if (root / lockfile).exists():
            return manager, lockfile
    return "npm", None


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


def given_prisma_schema(root: Path, relative: str) -> str:
    """A schema path the user gave: a `.prisma` file or a folder of them, inside the project."""
    path = (root / relative).resolve()
    inside = path.is_relative_to(root.resolve())
    found = path.is_file() or (path.is_dir() and any(path.rglob("*.prisma")))
    if not (inside and found):
        raise UsageError(
            f"--prisma-schema {relative!r}: no .prisma file or folder of them in the project"
        )
    return path.relative_to(root.resolve()).as_posix()


def detect_prisma_module(
    root: Path, sources: list[Path], alias_prefix: str, alias_target: str
) -> ModuleRef | None:
    """The module exporting the project's PrismaClient instance, found by what it exports."""
    exports = find_client_exports(root, sources)
    if not exports:
        return None
    best = exports[0]
    return ModuleRef(best.path, specifier_for(best.path, alias_prefix, alias_target), best.export)


def detect_package_version(root: Path, package: dict[str, Any], *names: str) -> str | None:
    found = find_package_version(root, package, *names)
    return found and found[0]


def find_package_version(
    root: Path, package: dict[str, Any], *names: str
) -> tuple[str, str] | None:
    """The version of the first of `names` that package.json declares, and the file it was read
    from: the installed one, else the one the declared range starts from (`^5.22.0` gives
    `5.22.0`). A package that is only installed as another package's dependency does not
    count: the project cannot rely on it."""
    declared = declared_dependencies(package)
    names = tuple(name for name in names if name in declared)
    for name in names:
        installed = f"node_modules/{name}/package.json"
        if (root / installed).is_file():
            try:
                version = json.loads((root / installed).read_text(encoding="utf-8")).get("version")
            except (OSError, ValueError, UnicodeDecodeError):
                version = None
            if isinstance(version, str):
                return version, installed
    for name in names:
        match = re.search(r"\d+(?:\.\d+){0,2}", str(declared.get(name, "")))
        if match:
            return match.group(0), "package.json"
    return None


def pins_exact_versions(package: dict[str, Any]) -> bool:
    declared = {**package.get("devDependencies", {}), **package.get("dependencies", {})}
    exact = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?")
    return bool(declared) and all(exact.fullmatch(str(v)) for v in declared.values())


def detect_zod_major(root: Path, package: dict[str, Any]) -> int | None:
    return major_of(detect_package_version(root, package, "zod"))


def major_of(version: str | None) -> int | None:
    match = re.match(r"(\d+)", version or "")
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
    if "@biomejs/biome" in dependencies:
        return "biome"
    return None
