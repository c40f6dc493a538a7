"""`csvimport.json`: what `init` detected (and the user may correct), read by every command."""

import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import UsageError
from .user_files import read_user_text

CONFIG_FILE = "csvimport.json"
CONFIG_VERSION = 1
# Prisma's relational providers, which the generated processor is written for.
PROVIDERS = ("sqlite", "postgresql", "mysql", "sqlserver", "cockroachdb")
# The Prisma a project is taken to have when its version cannot be read.
ASSUMED_PRISMA_VERSION = "7.0.0"


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
    if config.prisma_provider not in PROVIDERS:
        raise UsageError(
            f"{source}: prismaProvider '{config.prisma_provider}' is not one of "
            f"{', '.join(PROVIDERS)}"
        )
    if config.zod_major not in (3, 4):
        raise UsageError(f"{source}: zodMajor must be 3 or 4")
    return config


def load_config(root: Path) -> ProjectConfig:
    path = root / CONFIG_FILE
    if not path.is_file():
        raise UsageError(f"{root} has no {CONFIG_FILE}: run `csvimport init` first")
    return parse_config(read_user_text(path), str(path))


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)
