"""Questions asked on a terminal for answers the command line left out; a bad answer is shown
with its error and asked again."""

from collections.abc import Callable
from typing import TypeVar

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from .errors import UsageError
from .field_dsl import parse_field
from .spec import FIELD_TYPES, Field, check_api_path, check_feature_name

T = TypeVar("T")


def ask_until_valid(
    console: Console, question: str, check: Callable[[str], T], default: str | None = None
) -> T:
    while True:
        answer = (
            Prompt.ask(question, console=console, default=default)
            if default
            else Prompt.ask(question, console=console)
        )
        try:
            return check(answer.strip())
        except UsageError as error:
            console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)


def ask_feature_name(console: Console) -> str:
    return ask_until_valid(console, "Feature name (kebab-case, e.g. user)", check_feature_name)


def ask_fields(console: Console) -> tuple[list[Field], list[str]]:
    types = ", ".join(t if t != "enum" else "enum(a|b)" for t in FIELD_TYPES)
    console.print(
        "Fields, one per line as [bold]name:type[:rules][/bold] "
        f"(types: {types}; rules: required, optional, min=, max=, regex=, unique, default=, "
        "alias=, lowercase, key). An empty line finishes.",
        highlight=False,
    )
    fields: list[Field] = []
    key_flags: list[str] = []

    def check(answer: str) -> tuple[Field, bool] | None:
        if not answer:
            if not fields:
                raise UsageError("a feature needs at least one field")
            return None
        parsed, is_key = parse_field(answer)
        if any(f.name == parsed.name for f in fields):
            raise UsageError(f"duplicate field '{parsed.name}'")
        return parsed, is_key

    while True:
        result = ask_until_valid(console, f"Field {len(fields) + 1}", check, default=None)
        if result is None:
            return fields, key_flags
        parsed, is_key = result
        fields.append(parsed)
        if is_key:
            key_flags.append(parsed.name)


def ask_api_path(console: Console, default: str) -> str:
    return ask_until_valid(console, "API path", check_api_path, default=default)
