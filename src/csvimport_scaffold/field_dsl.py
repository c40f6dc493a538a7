"""The `--fields` mini-language: `name:type:rule,rule=value,...`.

    name:string:required,max=100
    email:email:required,unique,key
    role:enum(admin|member):default=member
    code:string:regex=^[A-Z]{2,4}-\\d{3}$,unique

Rules are separated by commas, but a comma only starts a new rule when a rule name follows it,
so regexes and aliases may contain commas (`{2,4}` above).
"""

import re

from .errors import UsageError
from .spec import Field, make_field

FLAG_RULES = ("required", "optional", "unique", "trim", "lowercase", "key")
VALUE_RULES = ("min", "max", "regex", "default", "alias", "label", "trim", "lowercase", "unique")
_FLAGS = "|".join(FLAG_RULES)
_VALUES = "|".join(VALUE_RULES)
_RULE_START = re.compile(rf",(?=\s*(?:(?:{_FLAGS})\s*(?:,|$)|(?:{_VALUES})=))")


def parse_field(text: str) -> tuple[Field, bool]:
    """Parse one field definition. Returns the field and whether it carries the `key` rule."""
    where = f"field '{text}'"
    name, sep, rest = text.partition(":")
    name = name.strip()
    if not sep:
        raise UsageError(f"missing type in {where} (write name:type[:rules], e.g. {name}:string)")
    type_text, rules_text = _split_type(rest, where)
    if not type_text.strip():
        raise UsageError(f"missing type in {where} (write name:type[:rules])")
    rules = parse_rules(rules_text, where)
    is_key = "key" in rules
    if is_key and rules["key"] is not None:
        raise UsageError(f"rule 'key' takes no value in {where}")
    return make_field(name, type_text, rules, where), is_key


def parse_fields(texts: list[str]) -> tuple[list[Field], list[str]]:
    """Parse several definitions; also accepts one argument holding several, split on spaces
    only between complete `name:type` groups is ambiguous, so each field is its own argument."""
    fields: list[Field] = []
    key_flags: list[str] = []
    for text in texts:
        if not text.strip():
            raise UsageError("empty field definition (write name:type[:rules])")
        parsed, is_key = parse_field(text.strip())
        fields.append(parsed)
        if is_key:
            key_flags.append(parsed.name)
    return fields, key_flags


def parse_rules(text: str, where: str) -> dict[str, str | list[str] | None]:
    """`required,max=100,alias=A,alias=B` -> {"required": None, "max": "100", "aliases": [...]}."""
    rules: dict[str, str | list[str] | None] = {}
    if not text.strip():
        return rules
    for token in _RULE_START.split(text):
        name, has_value, value = token.partition("=")
        name = name.strip()
        if not name:
            raise UsageError(f"empty rule in {where} (check for a doubled comma)")
        if name == "alias":
            aliases = rules.setdefault("aliases", [])
            assert isinstance(aliases, list)
            aliases.append(value)
            continue
        if name in rules:
            raise UsageError(f"rule '{name}' given twice in {where}")
        if name not in FLAG_RULES and name not in VALUE_RULES:
            # make_field reports unknown rules with the full list; keep the value for it
            rules[name] = value if has_value else None
            continue
        if name in VALUE_RULES and name not in FLAG_RULES and not has_value:
            raise UsageError(f"rule '{name}' needs a value in {where} (write {name}=...)")
        if name in FLAG_RULES and name not in VALUE_RULES and has_value:
            raise UsageError(f"rule '{name}' takes no value in {where}")
        rules[name] = value if has_value else None
    return rules


def _split_type(rest: str, where: str) -> tuple[str, str]:
    """Split `enum(a|b):rules` or `int:rules`; an enum's values may not contain ':'."""
    stripped = rest.lstrip()
    if stripped.startswith("enum("):
        close = stripped.find(")")
        if close < 0:
            raise UsageError(f"unclosed enum( in {where} (write enum(a|b|c))")
        type_text, after = stripped[: close + 1], stripped[close + 1 :]
        if after and not after.startswith(":"):
            raise UsageError(f"unexpected text '{after}' after enum(...) in {where}")
        return type_text, after[1:]
    type_text, _, rules_text = rest.partition(":")
    return type_text, rules_text
