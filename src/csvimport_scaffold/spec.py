"""The validated model of a feature: its fields, their rules and the feature's settings.

Both front ends (the `--fields` DSL and YAML spec files) produce raw rule values (named as in
`field_rules.FIELD_RULES`) and hand them to `make_field` and `make_feature_spec`, so every check
and every error message lives here once. `FeatureSpec` is the one model of a feature's settings:
spec files, answers files, `--help` and the template's answers all follow its fields.
"""

import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .field_rules import (
    DATE_TYPES,
    FIELD_TYPES,
    NUMBER_TYPES,
    RULES_BY_NAME,
    TEXT_TYPES,
    Takes,
    rule_summary,
    type_summary,
)
from .js_regex import check_pattern_text
from .naming import CAMEL, KEBAB, camel_case, humanize, kebab_case

BOOLEAN_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
MODES = ("create", "upsert")
DEFAULT_MODE = "create"
DEFAULT_MAX_RETRIES = 3

# Bound-parameter limits per statement; the default batch fills one statement with rows.
BIND_VARIABLE_LIMITS = {"sqlite": 32_766, "postgresql": 32_767, "mysql": 65_535}
MAX_DEFAULT_BATCH_SIZE = 1_000
MAX_BATCH_SIZE = 10_000
MAX_RETRIES_LIMIT = 10

# Names that would clash with what the generated code adds to each row, or with JS itself.
RESERVED_FIELD_NAMES = frozenset(
    {"line", "error", "constructor", "prototype", "__proto__", "toString", "valueOf"}
)
RESERVED_FEATURE_NAMES = frozenset({"core", "api", "import", "csv-import"})
# Far above a real import's needs; far below what makes the generated code unwieldy.
MAX_FIELDS = 200
MAX_ENUM_VALUES = 1_000
MAX_TEXT_LENGTH = 500  # a label, an alias, an enum value or a default
API_PATH = re.compile(r"^/api(?:/[a-z0-9][a-z0-9-]*)+$")


@dataclass(frozen=True)
class Field:
    """One CSV column: how it is named, typed and validated. Its attributes are the keys of a
    field in an answers file (templates/README.md); the rules that set them are in
    `field_rules.FIELD_RULES`."""

    name: str
    type: str
    label: str
    required: bool = True
    values: tuple[str, ...] = ()
    min: int | float | str | None = None
    max: int | float | str | None = None
    regex: str | None = None
    unique: bool = False
    default: str | None = None
    aliases: tuple[str, ...] = ()
    trim: bool = True
    lowercase: bool = False

    def to_answer(self) -> dict[str, Any]:
        """The normalized mapping recorded in answers files."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(self).items()
        }


# What a filled column takes: a property of the signed-in user, the time of the import, or a
# literal. `FILL_KINDS` are the words of answers files (templates/README.md).
FILL_KINDS = ("auth", "now", "boolean", "number", "text")
_AUTH_PATH = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*", re.ASCII)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", re.ASCII)
_PRISMA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*", re.ASCII)


@dataclass(frozen=True)
class Fill:
    """A column the processor fills itself on every row, not from the CSV (`--fill
    ownerId=auth.id`): the signed-in user's `id`, `now`, `true`, `42` or a text."""

    column: str
    kind: str  # one of FILL_KINDS
    value: str  # the property path for auth, the literal otherwise ("" for now)

    def to_answer(self) -> dict[str, str]:
        return dataclasses.asdict(self)


def parse_fill(text: str) -> Fill:
    """`column=auth.path`, `column=now`, `column=true`, `column=42`, `column=text` (quotes
    around a text are dropped: `column="42"` is the text 42)."""
    column, sep, value = text.partition("=")
    if not sep:
        raise UsageError(f"--fill '{text}' needs a value (write COLUMN=auth.id, now or a literal)")
    value = value.strip()
    if value.startswith("auth."):
        return make_fill(column.strip(), "auth", value.removeprefix("auth."))
    if value == "now":
        return make_fill(column.strip(), "now", "")
    if value in ("true", "false"):
        return make_fill(column.strip(), "boolean", value)
    if _NUMBER.fullmatch(value):
        return make_fill(column.strip(), "number", value)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return make_fill(column.strip(), "text", value)


def make_fill(column: Any, kind: Any, value: Any) -> Fill:
    """A checked fill (from `parse_fill`, or an answers file's recorded mapping)."""
    where = f"fill of column '{column}'"
    if not isinstance(column, str) or not _PRISMA_NAME.fullmatch(column):
        raise UsageError(f"{where}: the column must be a Prisma field name")
    if kind not in FILL_KINDS:
        raise UsageError(f"{where}: kind {kind!r} is not one of {', '.join(FILL_KINDS)}")
    if not isinstance(value, str):
        raise UsageError(f"{where}: the value must be text, not {value!r}")
    valid = {
        "auth": bool(_AUTH_PATH.fullmatch(value)),
        "now": value == "",
        "boolean": value in ("true", "false"),
        "number": bool(_NUMBER.fullmatch(value)),
        "text": len(value) <= MAX_TEXT_LENGTH,
    }[kind]
    if not valid:
        raise UsageError(
            f"{where}: '{value}' is not a {kind} value (auth.PROPERTY, now or a literal)"
        )
    return Fill(column, kind, value)


def make_fills(raw: Any) -> tuple[Fill, ...]:
    """Fills from `--fill` texts, a spec file's `{column: value}` mapping or list of texts, or
    recorded `{column, kind, value}` mappings."""
    if raw is None:
        return ()
    if isinstance(raw, dict):
        raw = [f"{column}={_fill_text(value)}" for column, value in raw.items()]
    if not isinstance(raw, list | tuple):
        raise UsageError(f"'fill' must be a mapping of columns to values, not {raw!r}")
    fills = []
    for item in raw:
        if isinstance(item, Fill):
            fills.append(item)
        elif isinstance(item, str):
            fills.append(parse_fill(item))
        elif isinstance(item, dict) and set(item) == {"column", "kind", "value"}:
            fills.append(make_fill(item["column"], item["kind"], item["value"]))
        else:
            raise UsageError(f"'fill' entry {item!r} is not COLUMN=VALUE")
    columns = [f.column for f in fills]
    duplicate = next((c for c in columns if columns.count(c) > 1), None)
    if duplicate:
        raise UsageError(f"column '{duplicate}' is filled twice")
    return tuple(fills)


def _fill_text(value: Any) -> str:
    """A spec file's YAML value as `--fill` would spell it (`true`, `42`, a text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value
    raise UsageError(f"'fill' value {value!r} must be text, a number or a boolean")


def _setting(help: str, **options: Any) -> Any:
    """A feature setting and its one-line help (shown by `--help`)."""
    return dataclasses.field(metadata={"help": help}, **options)


@dataclass(frozen=True)
class FeatureSpec:
    """Everything `csvimport new` needs to render one feature: the feature's answers. Spec files
    and answers files hold these keys; the template asks for them (templates/copier.yml)."""

    feature: str = _setting("Feature name, kebab-case (user, course-enrollment).")
    model: str = _setting("Prisma model to write to (default: the feature name).")
    api_path: str = _setting("URL of the import route (default /api/FEATURE/import/progress).")
    mode: str = _setting("create (insert new rows) or upsert (by --key).")
    key: str = _setting("Field that identifies a row in error logs and upserts.")
    batch_size: int = _setting("Rows per database write (default: sized to the provider).")
    max_retries: int = _setting("Retries of a batch on transient errors (default 3).")
    fill: tuple[Fill, ...] = _setting(
        "A column the importer fills itself, not from the CSV: COLUMN=auth.PROPERTY (the "
        "signed-in user's), COLUMN=now, or COLUMN=a literal (true, 42, text). Repeatable.",
        default=(),
    )
    fields: tuple[Field, ...] = _setting(
        "Field definitions: name:type[:rules] (several may follow one --fields).",
        default=(),
    )

    def to_answers(self) -> dict[str, Any]:
        """The feature answers passed to the template (and recorded by copier)."""
        answers = {name: getattr(self, name) for name in SETTING_NAMES}
        return {
            **answers,
            "fill": [f.to_answer() for f in self.fill],
            "fields": [f.to_answer() for f in self.fields],
        }


SETTINGS = {f.name: f for f in dataclasses.fields(FeatureSpec)}
SETTING_NAMES = tuple(name for name in SETTINGS if name != "fields")


def setting_help(name: str) -> str:
    return SETTINGS[name].metadata["help"]


def setting_type(name: str) -> type:
    return SETTINGS[name].type if isinstance(SETTINGS[name].type, type) else str


# ---- single fields ----------------------------------------------------------------------


def parse_type(type_text: str, where: str) -> tuple[str, tuple[str, ...]]:
    """`enum(a|b)` -> ("enum", ("a", "b")); `int` -> ("int", ())."""
    text = type_text.strip()
    enum = re.fullmatch(r"enum\((.*)\)", text, flags=re.DOTALL)
    if enum:
        values = tuple(v.strip() for v in enum.group(1).split("|"))
        if not values or any(not v for v in values):
            raise UsageError(f"empty enum value in {where} (write enum(a|b|c))")
        if len(values) > MAX_ENUM_VALUES:
            raise UsageError(f"more than {MAX_ENUM_VALUES:,} enum values in {where}")
        for value in values:
            _check_length(value, "enum value", where)
        duplicates = sorted(value for value, count in Counter(values).items() if count > 1)
        if duplicates:
            raise UsageError(f"duplicate enum value '{duplicates[0]}' in {where}")
        return "enum", values
    if text == "enum":
        raise UsageError(f"enum without values in {where} (write enum(a|b|c))")
    if text not in FIELD_TYPES:
        raise UsageError(f"unknown type '{text}' in {where} (expected one of: {type_summary()})")
    return text, ()


def make_field(name: str, type_text: str, rules: dict[str, Any], where: str) -> Field:
    """Build and check one field. `rules` maps rule names (`field_rules.FIELD_RULES`) to raw
    values: a string, a bool, None for a bare word, a list for a repeatable rule."""
    check_field_name(name, where)
    field_type, values = parse_type(type_text, where)
    unknown = sorted(set(rules) - set(RULES_BY_NAME))
    if unknown:
        raise UsageError(
            f"unknown rule '{unknown[0]}' in {where} (expected one of: {rule_summary()})"
        )
    switches = _switches(rules, where)
    _check_types(rules, switches, field_type, where)

    if "required" in rules and "optional" in rules:
        raise UsageError(f"rules 'required' and 'optional' conflict in {where}")
    default = _default_text(rules.get("default"), where)
    if "required" in rules and default is not None:
        raise UsageError(
            f"rule 'default' conflicts with 'required' in {where} (a default makes it optional)"
        )
    minimum = _bound(rules.get("min"), "min", field_type, where)
    maximum = _bound(rules.get("max"), "max", field_type, where)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise UsageError(f"min {minimum} is greater than max {maximum} in {where}")
    regex = _text_or_none(rules.get("regex"), "regex", where)
    if regex is not None:
        check_pattern_text(regex, where)  # JavaScript compiles it: js_regex.check_js_regexes

    result = Field(
        name=name,
        type=field_type,
        label=_text_or_none(rules.get("label"), "label", where) or humanize(name),
        required="optional" not in rules and default is None,
        values=values,
        min=minimum,
        max=maximum,
        regex=regex,
        default=default,
        aliases=tuple(_aliases(rules.get("alias", ()), where)),
        **switches,
    )
    if default is not None:
        check_value(result, default, f"default '{default}' in {where}")
    return result


def _switches(rules: dict[str, Any], where: str) -> dict[str, bool]:
    """The value of every on/off rule (`unique`, `trim`, `lowercase`), given or not."""
    return {
        rule.attribute: _flag(rules[rule.name], rule.name, where)
        if rule.name in rules
        else rule.switched_on
        for rule in RULES_BY_NAME.values()
        if rule.takes is Takes.SWITCH and rule.attribute
    }


def _check_types(
    rules: dict[str, Any], switches: dict[str, bool], field_type: str, where: str
) -> None:
    """A rule that is switched on or given a value must apply to the field's type."""
    for name in rules:
        rule = RULES_BY_NAME[name]
        given = switches[name] if rule.takes is Takes.SWITCH else rules[name] is not None
        if given and rule.types is not None and field_type not in rule.types:
            raise UsageError(f"rule '{name}' does not apply to type {field_type} in {where}")


def check_field_name(name: str, where: str) -> None:
    if not CAMEL.fullmatch(name):
        hint = camel_case(kebab_case(name)) if kebab_case(name) else "name"
        raise UsageError(
            f"invalid field name '{name}' in {where} (use camelCase letters and digits, "
            f"e.g. '{hint}')"
        )
    if name in RESERVED_FIELD_NAMES:
        raise UsageError(f"field name '{name}' is reserved in {where}")


def check_value(f: Field, raw: str, what: str) -> None:
    """Validate a literal (a default) the way the generated validator will; its regex is
    JavaScript's to judge (js_regex.check_js_regexes)."""
    value = raw.strip() if f.trim else raw
    if f.type == "enum" and value not in f.values:
        raise UsageError(f"{what} is not one of: {', '.join(f.values)}")
    if f.type == "boolean" and value.lower() not in BOOLEAN_WORDS:
        raise UsageError(f"{what} is not a boolean (true/false/yes/no/1/0)")
    if f.type in NUMBER_TYPES or f.type in DATE_TYPES:
        parsed = _parse_typed(value, f.type, what)
        if f.min is not None and parsed < f.min:
            raise UsageError(f"{what} is below min {f.min}")
        if f.max is not None and parsed > f.max:
            raise UsageError(f"{what} is above max {f.max}")
    if f.type in TEXT_TYPES:
        if f.min is not None and len(value) < f.min:
            raise UsageError(f"{what} is shorter than min {f.min}")
        if f.max is not None and len(value) > f.max:
            raise UsageError(f"{what} is longer than max {f.max}")


def _parse_typed(value: str, field_type: str, what: str) -> Any:
    try:
        if field_type == "int":
            if not re.fullmatch(r"[+-]?[0-9]+", value):
                raise ValueError
            return int(value)
        if field_type == "float":
            if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", value):
                raise ValueError
            return float(value)
        if field_type == "date":
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value).isoformat()
        if not value.isascii():
            raise ValueError
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        expected = {
            "int": "a whole number",
            "float": "a number",
            "date": "a real date YYYY-MM-DD",
            "datetime": "an ISO 8601 date-time",
        }[field_type]
        raise UsageError(f"{what} is not {expected}") from None


def _bound(raw: Any, rule: str, field_type: str, where: str) -> int | float | str | None:
    if raw is None:
        return None
    if isinstance(raw, dt.date):  # YAML reads `min: 2020-01-01` as a date
        raw = raw.isoformat()
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise UsageError(f"rule '{rule}' in {where} must be a number or a date, not {raw!r}")
    text = str(raw).strip()
    if text == "":
        raise UsageError(f"rule '{rule}' needs a value in {where} (write {rule}=N)")
    what = f"{rule} value '{text}' in {where}"
    if field_type in TEXT_TYPES:
        if not re.fullmatch(r"[0-9]+", text):
            raise UsageError(f"{what} must be a length (a whole number >= 0)")
        return int(text)
    parsed = _parse_typed(text, field_type, what)
    if field_type == "date":
        return parsed
    if field_type == "datetime":
        return text
    return parsed


def _flag(raw: Any, rule: str, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw is None:
        return True  # a bare rule name (`unique`) switches it on
    text = str(raw).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise UsageError(f"rule '{rule}' takes true or false, not '{raw}', in {where}")


def _aliases(raw: Any, where: str) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw or ()
    if not isinstance(items, list | tuple):
        raise UsageError(f"'alias' in {where} must be text or a list of texts, not {raw!r}")
    aliases = []
    for item in items:
        if item is not None and not isinstance(item, str):
            raise UsageError(f"alias {item!r} in {where} must be text (quote it)")
        text = (item or "").strip()
        if not text:
            raise UsageError(f"empty alias in {where} (write alias=Header Name)")
        aliases.append(_check_length(text, "alias", where))
    return aliases


def _text_or_none(raw: Any, rule: str, where: str) -> str | None:
    """A rule's text value; blank is no value. Anything but text is a mistake (a YAML
    mapping or list is never quietly turned into its Python spelling)."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise UsageError(f"'{rule}' in {where} must be text, not {raw!r}")
    return _check_length(raw, rule, where) if raw.strip() else None


def _default_text(raw: Any, where: str) -> str | None:
    """A default as the CSV cell it stands for: text, or a YAML number or boolean."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return str(raw)
    return _text_or_none(raw, "default", where)


def _check_length(text: str, what: str, where: str) -> str:
    if len(text) > MAX_TEXT_LENGTH:
        raise UsageError(f"{what} in {where} is longer than {MAX_TEXT_LENGTH} characters")
    return text


# ---- whole features ---------------------------------------------------------------------


def check_feature_name(feature: str) -> str:
    if not KEBAB.fullmatch(feature or ""):
        suggestion = kebab_case(feature or "")
        hint = f" e.g. '{suggestion}'" if suggestion and KEBAB.fullmatch(suggestion) else ""
        raise UsageError(
            f"invalid feature name '{feature}': use kebab-case (lowercase letters, digits and "
            f"dashes, starting with a letter){',' + hint if hint else ''}"
        )
    if feature in RESERVED_FEATURE_NAMES:
        raise UsageError(f"feature name '{feature}' is reserved")
    return feature


def default_api_path(feature: str) -> str:
    return f"/api/{feature}/import/progress"


def check_api_path(api_path: str) -> str:
    path = api_path.strip()
    if ".." in path or "//" in path:
        raise UsageError(f"invalid API path '{api_path}': no '..' or empty segments allowed")
    if not path.startswith("/api/"):
        raise UsageError(f"API path '{api_path}' must start with /api/ (e.g. /api/user/import)")
    if not API_PATH.fullmatch(path):
        raise UsageError(
            f"invalid API path '{api_path}': use lowercase segments of letters, digits and "
            "dashes, without a trailing slash"
        )
    return path


def default_batch_size(provider: str, column_count: int) -> int:
    """The largest batch that fits one statement's bind variables, capped."""
    limit = BIND_VARIABLE_LIMITS.get(provider, BIND_VARIABLE_LIMITS["sqlite"])
    return max(1, min(MAX_DEFAULT_BATCH_SIZE, limit // max(1, column_count)))


def make_feature_spec(
    feature: str,
    fields: list[Field],
    *,
    key_flags: list[str] = (),
    key: str | None = None,
    model: str | None = None,
    api_path: str | None = None,
    mode: str | None = None,
    batch_size: int | None = None,
    max_retries: int | None = None,
    fill: Any = None,
    provider: str = "sqlite",
) -> FeatureSpec:
    """Check a whole feature and fill in every default (None means not given)."""
    mode = DEFAULT_MODE if mode is None else mode
    check_feature_name(feature)
    if not fields:
        raise UsageError("a feature needs at least one field (--fields name:type:rules ...)")
    if len(fields) > MAX_FIELDS:
        raise UsageError(f"a feature has at most {MAX_FIELDS} fields, not {len(fields)}")
    _check_unique_names(fields)

    if mode not in MODES:
        raise UsageError(f"unknown mode '{mode}' (expected one of: {', '.join(MODES)})")
    chosen_key = _choose_key(fields, list(key_flags), key)
    key_field = next(f for f in fields if f.name == chosen_key)
    if mode == "upsert" and not key_field.unique:
        raise UsageError(
            f"mode upsert needs a unique key field, but '{chosen_key}' is not unique "
            "(add the 'unique' rule)"
        )

    model_name = model or camel_case(feature)
    if not CAMEL.fullmatch(model_name):
        raise UsageError(
            f"invalid model '{model_name}': give the Prisma model name (e.g. User) or its client "
            "delegate (e.g. user)"
        )

    if batch_size is None:
        batch_size = default_batch_size(provider, len(fields))
    elif not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise UsageError(f"batch size {batch_size} is out of range (1 to {MAX_BATCH_SIZE})")
    if max_retries is None:
        max_retries = DEFAULT_MAX_RETRIES
    elif not 0 <= max_retries <= MAX_RETRIES_LIMIT:
        raise UsageError(f"max retries {max_retries} is out of range (0 to {MAX_RETRIES_LIMIT})")

    fills = make_fills(fill)
    filled_field = next((f.column for f in fills if f.column in {x.name for x in fields}), None)
    if filled_field is not None:
        raise UsageError(f"column '{filled_field}' is both a field and filled (--fill)")

    return FeatureSpec(
        feature=feature,
        model=model_name,
        api_path=check_api_path(api_path) if api_path else default_api_path(feature),
        mode=mode,
        key=chosen_key,
        batch_size=batch_size,
        max_retries=max_retries,
        fill=fills,
        fields=tuple(fields),
    )


def _check_unique_names(fields: list[Field]) -> None:
    names = [f.name for f in fields]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise UsageError(f"duplicate field '{duplicate}'")
    owner_of_header: dict[str, str] = {}
    for f in fields:
        for header in (f.name, *f.aliases):
            folded = header.strip().lower()
            owner = owner_of_header.setdefault(folded, f.name)
            if owner != f.name:
                raise UsageError(
                    f"header '{header}' of field '{f.name}' is already used by field '{owner}'"
                )


def _choose_key(fields: list[Field], key_flags: list[str], key: str | None) -> str:
    names = [f.name for f in fields]
    if len(key_flags) > 1:
        raise UsageError(f"only one field can be the key; 'key' is on {', '.join(key_flags)}")
    if key and key_flags and key_flags[0] != key:
        raise UsageError(f"key '{key}' conflicts with the 'key' rule on field '{key_flags[0]}'")
    chosen = key or (key_flags[0] if key_flags else None)
    if chosen is not None:
        if chosen not in names:
            raise UsageError(f"key '{chosen}' is not a field (fields: {', '.join(names)})")
        return chosen
    unique_email = next((f.name for f in fields if f.type == "email" and f.unique), None)
    return unique_email or names[0]
