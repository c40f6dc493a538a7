"""A finding of `check` or of the checks `new` runs: one line, `file:line: rule: message`."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}: {self.message}"
