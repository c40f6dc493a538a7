"""Regex rules are run by JavaScript (`new RegExp(pattern, "u")` in the generated rules), so
JavaScript's engine judges them: the project's `node` compiles every pattern once, and tests
each default against its field's pattern. Python's `re` accepts patterns JavaScript refuses
((?i), possessive quantifiers, \\Z) and the reverse, so it is never asked."""

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError
from .node_tools import run_node_script

if TYPE_CHECKING:  # spec checks patterns with this module
    from .spec import Field

SCRIPT = Path(__file__).with_name("check-regexes.mjs")
MAX_PATTERN_LENGTH = 1_000
# A line break cannot sit in a pattern literal, and a cell of one line never needs one.
_LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029")
# ES2025 modifiers, `(?i:...)`: newer engines accept them, browsers in use do not.
_MODIFIERS = re.compile(r"\(\?(?=[a-z-]*[a-z])[a-z]*-?[a-z]*:")


def check_pattern_text(pattern: str, where: str) -> None:
    """What can be said of a pattern without an engine (pure: the spec checks it)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UsageError(f"regex in {where} is longer than {MAX_PATTERN_LENGTH} characters")
    if any(mark in pattern for mark in _LINE_BREAKS):
        raise UsageError(f"regex in {where} holds a line break (write \\n to match one)")
    if _MODIFIERS.search(pattern):
        raise UsageError(
            f"bad regex '{pattern}' in {where}: inline flags such as (?i:...) are not "
            "supported by every browser that runs it"
        )


def check_js_regexes(fields: Sequence["Field"], cwd: Path) -> None:
    """Compile every field's regex as the generated code does, and check that a default
    matches it. Runs node only when some field has a regex."""
    with_regex = [f for f in fields if f.regex is not None]
    if not with_regex:
        return
    cases = [
        {"pattern": f.regex, "samples": [] if f.default is None else [_as_checked(f, f.default)]}
        for f in with_regex
    ]
    completed = run_node_script(SCRIPT, [], cwd, "checking regex rules", input=json.dumps(cases))
    for f, result in zip(with_regex, json.loads(completed.stdout), strict=True):
        if result["error"] is not None:
            reason = str(result["error"]).rsplit("/u: ", 1)[-1]
            raise UsageError(
                f"bad regex '{f.regex}' in field '{f.name}': {reason} (JavaScript, u flag)"
            )
        if not all(result["matches"]):
            raise UsageError(
                f"default '{f.default}' of field '{f.name}' does not match regex '{f.regex}'"
            )


def _as_checked(f: "Field", value: str) -> str:
    """The value the generated rules test: trimmed and lowercased as the field says."""
    value = value.strip() if f.trim else value
    return value.lower() if f.lowercase else value
