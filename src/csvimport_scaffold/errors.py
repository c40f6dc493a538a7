"""Errors a user can cause, each shown as one line without a traceback."""

import re

# Characters that would break the line or drive the terminal: a message quotes user input.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with line breaks and control characters written as escapes (`\\n`, `\\x1b`)."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


class CsvImportError(Exception):
    """A failure the user can fix; `exit_code` 2 marks bad input (usage), 1 anything else.
    The message is kept on one line whatever user input it quotes."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class UsageError(CsvImportError):
    """Bad input: arguments, spec files, project layout. Nothing has been written."""

    exit_code = 2
