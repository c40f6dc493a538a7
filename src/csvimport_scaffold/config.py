"""`csvimport.json`: what `init` detected (and the user may correct), read by every command."""

import json
import re
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import UsageError
from .naming import is_binding_name, is_import_specifier
from .user_files import read_user_text

CONFIG_FILE = "csvimport.json"
CONFIG_VERSION = 1
# Prisma's relational providers, which the generated processor is written for.
PROVIDERS = ("sqlite", "postgresql", "mysql", "sqlserver", "cockroachdb")
# The Prisma a project is taken to have when its version cannot be read.
ASSUMED_PRISMA_VERSION = "7.0.0"
PACKAGE_MANAGERS = ("npm", "yarn", "pnpm", "bun")
FORMATTERS = ("prettier", "biome")
LINTERS = ("eslint", "biome")
# csvimport.json comes in pull requests like any file: every value that reaches generated code
# or a path is checked for what it must be. Folders of the project, from its root:
_PROJECT_PATHS = ("app_dir", "dashboard_dir", "alias_target", "prisma_schema")
_PATH_SEGMENT = re.compile(r"[\w.@+~()\[\]-]+", re.ASCII)
# Modules generated code imports:
_SPECIFIERS = ("app_import", "prisma_import", "log_import", "auth_import")
# Bindings it imports from them (True: may be the default export):
_BINDINGS = {"prisma_export": True, "log_export": True, "auth_function": False}
_VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+[\w.+-]*", re.ASCII)


def _answer(**default: Any) -> Any:
    """A setting the templates read too (a project answer in templates/copier.yml)."""
    return field(metadata={"answer": True}, **default)


@dataclass(frozen=True)
class ProjectConfig:
    app_dir: str = _answer()
    app_import: str = _answer()
    dashboard_dir: str = _answer()
    alias_prefix: str
    alias_target: str
    package_manager: str
    prisma_schema: str | None
    prisma_provider: str = _answer()
    prisma_import: str = _answer()
    prisma_export: str = _answer()
    log_import: str = _answer()
    log_export: str = _answer()
    auth_import: str = _answer()
    auth_function: str = _answer()
    zod_major: int = _answer()
    formatter: str | None
    linter: str | None
    # Added after version 1 of csvimport.json: optional there, with the value that version meant.
    prisma_version: str = _answer(default=ASSUMED_PRISMA_VERSION)

    def template_answers(self) -> dict[str, Any]:
        """The project answers every template rendering needs."""
        return {name: getattr(self, name) for name in PROJECT_ANSWERS}

    def to_json(self) -> str:
        data = {"version": CONFIG_VERSION, **{_camel(k): v for k, v in asdict(self).items()}}
        return json.dumps(data, indent=2) + "\n"


PROJECT_ANSWERS = tuple(f.name for f in fields(ProjectConfig) if f.metadata.get("answer"))


def parse_config(text: str, source: str) -> ProjectConfig:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise UsageError(f"{source} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{source} must hold a JSON object")
    if data.get("version") != CONFIG_VERSION:
        raise UsageError(f"{source}: unsupported version {data.get('version')!r} (expected 1)")
    values: dict[str, Any] = {}
    for name, spec in ProjectConfig.__dataclass_fields__.items():
        key = _camel(name)
        if key not in data and spec.default is not MISSING:
            continue
        if key not in data:
            raise UsageError(f"{source}: missing '{key}' (run `csvimport init` again)")
        value = data[key]
        optional = "None" in str(spec.type)
        expected = int if spec.type in (int, "int") else str
        if not (value is None and optional) and not isinstance(value, expected):
            raise UsageError(f"{source}: '{key}' must be {expected.__name__}")
        values[name] = value
    config = ProjectConfig(**values)
    problem = _config_problem(config)
    if problem is not None:
        raise UsageError(f"{source}: {problem}")
    return config


def _config_problem(config: ProjectConfig) -> str | None:
    """What is wrong with a config's values, in csvimport.json's words (first found)."""
    for name, allowed in (
        ("prisma_provider", PROVIDERS),
        ("package_manager", PACKAGE_MANAGERS),
        ("formatter", (*FORMATTERS, None)),
        ("linter", (*LINTERS, None)),
        ("zod_major", (3, 4)),
    ):
        value = getattr(config, name)
        if value not in allowed:
            choices = ", ".join(str(choice) for choice in allowed if choice is not None)
            return f"{_camel(name)} {value!r} is not one of {choices}"
    for name in _PROJECT_PATHS:
        value = getattr(config, name)
        if value is not None and not _is_project_path(value):
            return (
                f"{_camel(name)} {value!r} is not a folder of the project (a relative path "
                "of letters, digits and . _ - @ + ~ ( ) [ ], without '..')"
            )
    if not (config.dashboard_dir + "/").startswith(config.app_dir + "/"):
        return f"dashboardDir {config.dashboard_dir!r} is not inside appDir {config.app_dir!r}"
    if config.alias_prefix and not is_import_specifier(config.alias_prefix.rstrip("/")):
        return f"aliasPrefix {config.alias_prefix!r} is not an import alias (e.g. @/)"
    for name in _SPECIFIERS:
        if not is_import_specifier(getattr(config, name)):
            return f"{_camel(name)} {getattr(config, name)!r} is not an import specifier"
    for name, default_ok in _BINDINGS.items():
        if not is_binding_name(getattr(config, name), default_ok=default_ok):
            return f"{_camel(name)} {getattr(config, name)!r} is not a JavaScript identifier"
    if not _VERSION.fullmatch(config.prisma_version):
        return f"prismaVersion {config.prisma_version!r} is not a version (e.g. 6.1.0)"
    return None


def _is_project_path(text: str) -> bool:
    if text == ".":
        return True
    segments = text.split("/")
    return all(_PATH_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments)


def load_config(root: Path) -> ProjectConfig:
    path = root / CONFIG_FILE
    if not path.is_file():
        raise UsageError(f"{root} has no {CONFIG_FILE}: run `csvimport init` first")
    return parse_config(read_user_text(path), str(path))


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)
