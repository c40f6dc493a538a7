"""Questions asked on a terminal for answers the command line left out; a bad answer is shown
with its error and asked again."""

from collections.abc import Callable
from typing import TypeVar

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from .errors import UsageError
from .field_dsl import parse_field
from .field_rules import rule_summary, type_summary
from .naming import IMPORT_SPECIFIER, JS_EXPORT
from .spec import Field, check_api_path, check_feature_name

T = TypeVar("T")


class TerminalQuestions:
    """`feature_answers.Questions`, asked on a rich console."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def feature_name(self) -> str:
        return self._ask("Feature name (kebab-case, e.g. user)", check_feature_name)

    def fields(self) -> tuple[list[Field], list[str]]:
        self.console.print(
            "Fields, one per line as [bold]name:type[:rules][/bold] "
            f"(types: {type_summary()}; rules: {rule_summary()}). An empty line finishes.",
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

        while (answer := self._ask(f"Field {len(fields) + 1}", check)) is not None:
            parsed, is_key = answer
            fields.append(parsed)
            if is_key:
                key_flags.append(parsed.name)
        return fields, key_flags

    def api_path(self, default: str) -> str:
        return self._ask("API path", check_api_path, default=default)

    def prisma_client_module(self) -> tuple[str, str]:
        self.console.print(
            "No module of the project exports a PrismaClient instance.", highlight=False
        )
        specifier = self._ask(
            "Import specifier of the module that exports it (e.g. @/lib/db)", _check_specifier
        )
        export = self._ask("Its export (a name, or default)", _check_export, default="prisma")
        return specifier, export

    def prisma_schema(self, check: Callable[[str], str]) -> str:
        self.console.print("No Prisma schema at prisma/schema.prisma.", highlight=False)
        return self._ask("Path of your schema.prisma (or its folder)", check)

    def _ask(self, question: str, check: Callable[[str], T], default: str | None = None) -> T:
        while True:
            answer = Prompt.ask(question, console=self.console, default=default or ...)
            try:
                return check(str(answer).strip())
            except UsageError as error:
                self.console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)


def _check_specifier(answer: str) -> str:
    if not IMPORT_SPECIFIER.fullmatch(answer):
        raise UsageError(f"{answer!r} is not an import specifier (e.g. @/lib/db)")
    return answer


def _check_export(answer: str) -> str:
    if not JS_EXPORT.fullmatch(answer):
        raise UsageError(f"{answer!r} is not an export name (a JavaScript identifier)")
    return answer
