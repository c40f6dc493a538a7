"""The seed's rules for generated code that a machine can see (DESIGN §4a), checked on the
files of a subproject whatever their owner has done to them since.

Which rules hold for a file follows from its rendering, not from its path: what the rendering
has (`import "server-only"`, the auth call, the event stream, `useImport`), the file must keep;
a rendering that starts with "use client" holds the file to the client rules; no file may use
`any`.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .findings import Finding

ANY_TYPE = re.compile(r":\s*any\b|\bas\s+any\b|<any>|\bany\[\]")
SERVER_ONLY = re.compile(r"""^\s*import\s+["']server-only["'];?\s*$""", re.M)
CLIENT = re.compile(r"""^\s*["']use client["']""")


@dataclass(frozen=True)
class KeptTrait:
    """Something a rendering has that the file on disk must keep."""

    rule: str
    message: str
    has: Callable[[str], bool]


@dataclass(frozen=True)
class ClientRule:
    """A line a client module must not have (no global state, polling or console output)."""

    rule: str
    message: str
    pattern: re.Pattern[str]


def kept_traits(auth_function: str) -> tuple[KeptTrait, ...]:
    return (
        KeptTrait(
            "server-only",
            'server file lacks import "server-only"',
            lambda text: bool(SERVER_ONLY.search(text)),
        ),
        KeptTrait(
            "auth",
            f"does not call {auth_function}(): its rendering authenticates every request",
            lambda text: f"{auth_function}(" in text,
        ),
        KeptTrait(
            "sse",
            "does not answer text/event-stream (SSE) as its rendering does",
            lambda text: "text/event-stream" in text,
        ),
        KeptTrait(
            "hook",
            "is not built on useImport as its rendering is",
            lambda text: bool(re.search(r"\buseImport\s*[<(]", text)),
        ),
    )


GLOBAL_STORES = r"""from\s+["'](zustand|jotai|valtio|mobx|redux|@reduxjs/toolkit)\b"""
MODULE_LET = r"^(?:export\s+)?let\s"
CLIENT_RULES = (
    ClientRule("global-state", "module-level state", re.compile(f"{GLOBAL_STORES}|{MODULE_LET}")),
    ClientRule("no-polling", "polling: use the SSE stream", re.compile(r"setInterval\(")),
    ClientRule(
        "no-console", "console output in the UI", re.compile(r"\bconsole\.(log|info|debug)\(")
    ),
)


def check_rules(path: str, text: str, rendered: str, *, auth_function: str) -> list[Finding]:
    """Findings of one file (`text` on disk) held to what its rendering has."""
    findings = [
        Finding(path, number, "no-any", "'any' type: use unknown (or a real type)")
        for number, line in _code_lines(text)
        if ANY_TYPE.search(line)
    ]
    for trait in kept_traits(auth_function):
        if trait.has(rendered) and not trait.has(text):
            findings.append(Finding(path, 1, trait.rule, trait.message))
    if CLIENT.match(rendered):
        for number, line in _code_lines(text):
            findings += [
                Finding(path, number, rule.rule, rule.message)
                for rule in CLIENT_RULES
                if rule.pattern.search(line)
            ]
    return findings


def _code_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of lines that are not comments."""
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        if stripped.startswith(("//", "*")):
            continue
        yield number, line
