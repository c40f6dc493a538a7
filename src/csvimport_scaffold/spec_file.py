"""YAML spec files. A recorded answers file (`.csvimport/<feature>.yml`) is a valid spec file.

feature: user
mode: upsert
key: email
fields:
  - name:string:required,max=100           # the --fields DSL ...
  - name: email                            # ... or the mapping form
    type: email
    unique: true
"""

from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError
from .field_dsl import parse_field
from .spec import Field, make_field

SPEC_KEYS = ("feature", "model", "api_path", "mode", "key", "batch_size", "max_retries", "fields")
# Project answers that copier records next to the feature's; csvimport.json is their source.
PROJECT_KEYS = frozenset(
    {
        "kind",
        "app_dir",
        "app_import",
        "dashboard_dir",
        "log_import",
        "log_export",
        "prisma_import",
        "prisma_export",
        "prisma_provider",
        "auth_import",
        "auth_function",
        "zod_major",
    }
)
FIELD_KEYS = (
    "name",
    "type",
    "label",
    "required",
    "values",
    "min",
    "max",
    "regex",
    "unique",
    "default",
    "aliases",
    "alias",
    "trim",
    "lowercase",
    "key",
)


def read_spec_file(path: Path) -> dict[str, Any]:
    """Load and shape-check a spec file; returns the raw settings plus parsed fields."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"spec file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read spec file {path}: {error}") from None
    return parse_spec_text(text, str(path))


def parse_spec_text(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise UsageError(f"spec file {source} is not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise UsageError(
            f"spec file {source} must be a mapping (feature:, fields: ...), not {kind}"
        )

    settings: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise UsageError(f"spec file {source}: key {key!r} is not a name")
        normalized = key.replace("-", "_")
        if normalized.startswith("_") or normalized in PROJECT_KEYS:
            continue
        if normalized not in SPEC_KEYS:
            raise UsageError(
                f"unknown key '{key}' in spec file {source} (expected: {', '.join(SPEC_KEYS)})"
            )
        settings[normalized] = value

    for name in ("feature", "model", "api_path", "mode", "key"):
        if name in settings and not isinstance(settings[name], str):
            raise UsageError(f"'{name}' in spec file {source} must be text")
    for name in ("batch_size", "max_retries"):
        value = settings.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise UsageError(f"'{name}' in spec file {source} must be a whole number")

    raw_fields = settings.pop("fields", None)
    if raw_fields is not None:
        if not isinstance(raw_fields, list):
            raise UsageError(f"'fields' in spec file {source} must be a list")
        fields, key_flags = parse_spec_fields(raw_fields, source)
        settings["fields"] = fields
        settings["key_flags"] = key_flags
    return settings


def parse_spec_fields(items: list[Any], source: str) -> tuple[list[Field], list[str]]:
    fields: list[Field] = []
    key_flags: list[str] = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, str):
            parsed, is_key = parse_field(item)
        elif isinstance(item, dict):
            parsed, is_key = _field_from_mapping(item, f"field #{index} of {source}")
        else:
            raise UsageError(
                f"field #{index} of {source} must be 'name:type:rules' or a mapping, "
                f"not {type(item).__name__}"
            )
        fields.append(parsed)
        if is_key:
            key_flags.append(parsed.name)
    return fields, key_flags


def _field_from_mapping(item: dict[str, Any], where: str) -> tuple[Field, bool]:
    unknown = [k for k in item if k not in FIELD_KEYS]
    if unknown:
        raise UsageError(
            f"unknown key '{unknown[0]}' in {where} (expected: {', '.join(FIELD_KEYS)})"
        )
    name = item.get("name")
    type_text = item.get("type")
    if not isinstance(name, str) or not name:
        raise UsageError(f"{where} needs a 'name'")
    where = f"field '{name}' ({where})"
    if not isinstance(type_text, str) or not type_text:
        raise UsageError(f"{where} needs a 'type'")
    values = item.get("values") or []
    if not isinstance(values, list):
        raise UsageError(f"'values' of {where} must be a list")
    if values:
        if type_text != "enum":
            raise UsageError(f"'values' only applies to type enum in {where}")
        type_text = "enum(" + "|".join(str(v) for v in values) + ")"

    rules: dict[str, Any] = {}
    required = item.get("required")
    if required is False:
        rules["optional"] = None
    elif required is True and item.get("default") is not None:
        rules["required"] = None
    for rule in ("min", "max", "regex", "default", "label"):
        if item.get(rule) is not None:
            rules[rule] = item[rule]
    for flag in ("unique", "trim", "lowercase"):
        if flag in item:
            rules[flag] = item[flag]
    aliases = item.get("aliases", item.get("alias"))
    if aliases:
        rules["aliases"] = aliases
    return make_field(name, type_text, rules, where), bool(item.get("key"))
