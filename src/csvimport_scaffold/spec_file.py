"""YAML spec files. A recorded answers file (`.csvimport/<feature>.yml`) is a valid spec file.

feature: user
mode: upsert
key: email
fields:
  - name:string:required,max=100           # the --fields DSL ...
  - name: email                            # ... or the mapping form
    type: email
    unique: true

Its keys are `FeatureSpec`'s settings; a field mapping's keys are `name`, `type`, `values` and
the rules of `field_rules.FIELD_RULES`.
"""

from pathlib import Path
from typing import Any

from .config import PROJECT_ANSWERS
from .errors import UsageError
from .field_dsl import parse_field
from .field_rules import FIELD_RULES, Takes
from .spec import SETTINGS, Field, make_field, setting_type
from .user_files import load_user_yaml, read_user_text

# Answers of the template that are not the feature's own: the project's (csvimport.json is
# their source) and the subproject's kind.
_NOT_SETTINGS = frozenset({*PROJECT_ANSWERS, "kind"})
_RULE_OF_KEY = {key: rule for rule in FIELD_RULES for key in rule.mapping_keys}
FIELD_KEYS = ("name", "type", "values", *_RULE_OF_KEY)


def read_spec_file(path: Path) -> dict[str, Any]:
    """Load and shape-check a spec file; returns the raw settings plus parsed fields."""
    return parse_spec_text(read_user_text(path, "spec file"), str(path))


def parse_spec_text(text: str, source: str) -> dict[str, Any]:
    """The settings a spec file gives (setting name -> value), its fields parsed into `fields`
    and the names of fields marked `key` into `key_flags`."""
    return parse_spec_data(load_user_yaml(text, f"spec file {source}"), source)


def parse_spec_data(data: Any, source: str) -> dict[str, Any]:
    """`parse_spec_text` of YAML already loaded (a recorded answers mapping, say)."""
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
        if normalized.startswith("_") or normalized in _NOT_SETTINGS:
            continue
        if normalized not in SETTINGS:
            raise UsageError(
                f"unknown key '{key}' in spec file {source} (expected: {', '.join(SETTINGS)})"
            )
        settings[normalized] = value

    for name, value in settings.items():
        if name in ("fields", "fill") or value is None:  # lists, checked by their makers
            continue
        if setting_type(name) is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise UsageError(f"'{name}' in spec file {source} must be a whole number")
        if setting_type(name) is str and not isinstance(value, str):
            raise UsageError(f"'{name}' in spec file {source} must be text")

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
        wrong = next((v for v in values if not isinstance(v, str)), None)
        if wrong is not None:
            raise UsageError(f"enum value {wrong!r} of {where} must be text (quote it)")
        if any("|" in v for v in values):
            raise UsageError(f"an enum value of {where} holds '|', which separates values")
        type_text = "enum(" + "|".join(values) + ")"
    rules = _rules_from_mapping(item, where)
    return make_field(name, type_text, rules, where), "key" in rules


def _rules_from_mapping(item: dict[str, Any], where: str) -> dict[str, Any]:
    """The mapping's rule keys as DSL rules: `required: false` is `optional`, `key: true` is
    `key`, a null or empty value is no rule (answers files record every key)."""
    rules: dict[str, Any] = {}
    for key, value in item.items():
        rule = _RULE_OF_KEY.get(key)
        if rule is None or value is None or value == []:
            continue
        if rule.takes is Takes.FLAG:
            if not isinstance(value, bool):
                raise UsageError(f"'{key}' of {where} must be true or false, not {value!r}")
            if value or rule.opposite:
                rules[rule.name if value else rule.opposite] = None
            continue
        rules[rule.name] = value
    return rules
