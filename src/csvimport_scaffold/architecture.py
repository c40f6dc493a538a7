"""The seed's rules for generated code that a machine can see (DESIGN §4a), checked on the
files of a feature whatever their owner has done to them since."""

import re
from pathlib import PurePosixPath

from .checks import Finding

ANY_TYPE = re.compile(r":\s*any\b|\bas\s+any\b|<any>|\bany\[\]")
SERVER_ONLY = re.compile(r"""^\s*import\s+["']server-only["'];?\s*$""", re.M)
GLOBAL_STORES = re.compile(r"""from\s+["'](zustand|jotai|valtio|mobx|redux|@reduxjs/toolkit)\b""")
MODULE_LET = re.compile(r"^(?:export\s+)?let\s", re.M)
CLIENT = re.compile(r"""^\s*["']use client["']""")


def check_rules(path: str, text: str, *, auth_function: str) -> list[Finding]:
    """Findings of one generated file, by the kind of file its path names."""
    name = PurePosixPath(path).name
    server = _is_server_file(path)
    client = bool(CLIENT.match(text))
    findings = [
        Finding(path, number, "no-any", "'any' type: use unknown (or a real type)")
        for number, line in _code_lines(text)
        if ANY_TYPE.search(line)
    ]
    if server and not SERVER_ONLY.search(text):
        findings.append(Finding(path, 1, "server-only", 'server file lacks import "server-only"'))
    if name == "route.ts":
        if f"{auth_function}(" not in text:
            message = f"the route does not authenticate with {auth_function}()"
            findings.append(Finding(path, 1, "auth", message))
        if "text/event-stream" not in text:
            message = "the route does not answer text/event-stream (SSE)"
            findings.append(Finding(path, 1, "sse", message))
    if re.fullmatch(r"use-.+-import\.ts", name) and not re.search(r"\buseImport\s*[<(]", text):
        findings.append(Finding(path, 1, "hook", "the feature hook is not built on useImport"))
    if client:
        for number, line in _code_lines(text):
            if GLOBAL_STORES.search(line) or MODULE_LET.match(line):
                findings.append(Finding(path, number, "global-state", "module-level state"))
            if "setInterval(" in line:
                findings.append(Finding(path, number, "no-polling", "polling: use the SSE stream"))
            if re.search(r"\bconsole\.(log|info|debug)\(", line):
                findings.append(Finding(path, number, "no-console", "console output in the UI"))
    return findings


def _is_server_file(path: str) -> bool:
    posix = PurePosixPath(path)
    if posix.name == "types.ts" or posix.suffix not in (".ts", ".tsx"):
        return False
    in_service = "/functions/server/services/csv-import/" in f"/{path}"
    in_route = "api" in posix.parts and (
        posix.name == "route.ts" or posix.parent.name == "functions"
    )
    return in_service or in_route


def _code_lines(text: str):
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
