"""The `--fields` mini-language: `name:type:rule,rule=value,...`.

    name:string:required,max=100
    email:email:required,unique,key
    role:enum(admin|member):default=member
    code:string:regex=^[A-Z]{2,4}-\\d{3}$,unique

Rules are separated by commas, but a comma only starts a new rule when a rule name follows it,
so regexes and aliases may contain commas (`{2,4}` above). Which words are rules, and which take
a value, comes from `field_rules.FIELD_RULES`.
"""

import re

from .errors import UsageError
from .field_rules import FIELD_RULES, RULES_BY_NAME, Takes
from .spec import Field, make_field

_BARE = "|".join(rule.name for rule in FIELD_RULES if rule.takes is not Takes.VALUE)
_VALUED = "|".join(rule.name for rule in FIELD_RULES if rule.takes is not Takes.FLAG)
_RULE_START = re.compile(rf",(?=\s*(?:(?:{_BARE})\s*(?:,|$)|(?:{_VALUED})=))")


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
    return make_field(name, type_text, rules, where), is_key


def parse_fields(texts: list[str]) -> tuple[list[Field], list[str]]:
    """Parse several definitions, one an argument. Returns the fields and the names of those
    that carry the `key` rule."""
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


def split_field_arguments(
    positionals: list[str], field_option: list[str]
) -> tuple[list[str], list[str]]:
    """Command lines read `csvimport new user --fields a:string b:int`: the shell hands the
    definitions after the first one over as positionals. A definition always holds a `:`, a
    feature name never does. Returns (names, definitions)."""
    names = [text for text in positionals if ":" not in text]
    extra = [text for text in positionals if ":" in text]
    if extra and not field_option:
        raise UsageError(f"unexpected argument '{extra[0]}' (field definitions follow --fields)")
    return names, [*field_option, *extra]


def parse_rules(text: str, where: str) -> dict[str, str | list[str] | None]:
    """`required,max=100,alias=A,alias=B` -> {"required": None, "max": "100", "alias": [...]}."""
    rules: dict[str, str | list[str] | None] = {}
    if not text.strip():
        return rules
    for token in _RULE_START.split(text):
        name, has_value, value = token.partition("=")
        name = name.strip()
        if not name:
            raise UsageError(f"empty rule in {where} (check for a doubled comma)")
        rule = RULES_BY_NAME.get(name)
        if rule is None:  # make_field names unknown rules with the full list
            rules[name] = value if has_value else None
            continue
        if rule.repeatable:
            values = rules.setdefault(name, [])
            assert isinstance(values, list)
            values.append(value)
            continue
        if name in rules:
            raise UsageError(f"rule '{name}' given twice in {where}")
        if rule.takes is Takes.VALUE and not has_value:
            raise UsageError(f"rule '{name}' needs a value in {where} (write {name}=...)")
        if rule.takes is Takes.FLAG and has_value:
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
