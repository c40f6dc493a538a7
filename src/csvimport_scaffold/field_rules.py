"""The one table of field types and field rules.

Every front end reads it: the `--fields` DSL parser (which words are rules, which take a
value), the YAML spec reader (which mapping keys are rules), the answers recorded for copier
(`Field`'s attributes), the prompts and `--help` (their summaries) and the README (a test holds
its rule list to this table).
"""

from dataclasses import dataclass
from enum import Enum

FIELD_TYPES = (
    "string",
    "email",
    "url",
    "uuid",
    "int",
    "float",
    "boolean",
    "date",
    "datetime",
    "enum",
)
TEXT_TYPES = frozenset({"string", "email", "url", "uuid"})
NUMBER_TYPES = frozenset({"int", "float"})
DATE_TYPES = frozenset({"date", "datetime"})
ORDERED_TYPES = TEXT_TYPES | NUMBER_TYPES | DATE_TYPES


class Takes(Enum):
    """How a rule is written in the DSL."""

    FLAG = "flag"  # a bare word: `required`
    VALUE = "value"  # a word and a value: `max=100`
    SWITCH = "switch"  # a bare word turns it on; `=true`/`=false` sets it: `trim=false`


@dataclass(frozen=True)
class FieldRule:
    name: str
    takes: Takes
    help: str
    attribute: str | None  # the `Field` attribute it sets (None: a feature-level choice)
    types: frozenset[str] | None = None  # the types it applies to (None: every type)
    switched_on: bool = False  # a SWITCH's value when the rule is not written
    repeatable: bool = False  # may be written more than once (`alias=A,alias=B`)
    opposite: str | None = None  # in a spec mapping, `required: false` means `optional`
    mapping_aliases: tuple[str, ...] = ()  # other keys for it in a spec mapping

    @property
    def spelling(self) -> str:
        """How the rule is shown in summaries: `min=`, `unique`, `trim=false`."""
        if self.takes is Takes.VALUE:
            return f"{self.name}="
        if self.takes is Takes.SWITCH and self.switched_on:
            return f"{self.name}=false"
        return self.name

    @property
    def mapping_keys(self) -> tuple[str, ...]:
        return (self.name, *self.mapping_aliases)


FIELD_RULES = (
    FieldRule(
        "required", Takes.FLAG, "every row needs a value (the default)", "required",
        opposite="optional",
    ),
    FieldRule(
        "optional", Takes.FLAG, "an empty cell is allowed (the column keeps its default, or null)",
        "required", opposite="required",
    ),
    FieldRule(
        "min", Takes.VALUE,
        "smallest allowed value: a length for text, a number, or a date", "min",
        types=ORDERED_TYPES,
    ),
    FieldRule(
        "max", Takes.VALUE,
        "largest allowed value: a length for text, a number, or a date", "max",
        types=ORDERED_TYPES,
    ),
    FieldRule(
        "regex", Takes.VALUE, "text must match this JavaScript regular expression", "regex",
        types=TEXT_TYPES,
    ),
    FieldRule(
        "unique", Takes.SWITCH,
        "no two rows, and no stored row, may share the value (not for booleans)", "unique",
        types=frozenset(FIELD_TYPES) - {"boolean"},
    ),
    FieldRule(
        "default", Takes.VALUE, "the value of an empty cell (makes the field optional)", "default"
    ),
    FieldRule(
        "alias", Takes.VALUE, "another accepted CSV header for the column (repeatable)",
        "aliases", repeatable=True, mapping_aliases=("aliases",),
    ),
    FieldRule("label", Takes.VALUE, "the column's name in messages and the error log", "label"),
    FieldRule(
        "trim", Takes.SWITCH, "strip surrounding spaces (on unless trim=false)", "trim",
        switched_on=True,
    ),
    FieldRule(
        "lowercase", Takes.SWITCH, "lowercase text before it is checked", "lowercase",
        types=TEXT_TYPES,
    ),
    FieldRule(
        "key", Takes.FLAG,
        "names the row in error logs; the upsert key (default: unique email, else first)",
        None,
    ),
)  # fmt: skip

RULES_BY_NAME = {rule.name: rule for rule in FIELD_RULES}


def type_summary() -> str:
    """`string, email, ..., enum(a|b)`."""
    return ", ".join("enum(a|b)" if name == "enum" else name for name in FIELD_TYPES)


def rule_summary() -> str:
    """`required, optional, min=, ..., key`: every rule as it is written."""
    return ", ".join(rule.spelling for rule in FIELD_RULES)


def rule_help_lines() -> list[str]:
    """One line a rule, for `--help` and the README: `  min=  smallest allowed ...`."""
    width = max(len(rule.spelling) for rule in FIELD_RULES)
    return [f"{rule.spelling:<{width}}  {rule.help}" for rule in FIELD_RULES]
