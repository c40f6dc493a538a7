"""Where a page without a mount spot takes a component, found by the project's own TypeScript
parser (through node, like its prettier in `formatting.py`): the script answers with offsets
or a reason, and the page is only ever edited in Python (`mount.py`)."""

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .mount import CannotMount, PageSpots

MOUNT_SCRIPT = Path(__file__).with_name("mount-with-typescript.mjs")
PARSE_TIMEOUT_SECONDS = 120


def find_page_spots(root: Path, path: str, text: str) -> PageSpots | CannotMount:
    """Ask the project's `typescript` where `text` (the page at `path`) takes a component."""
    request = json.dumps({"root": str(root.resolve()), "path": path, "text": text})
    try:
        completed = subprocess.run(
            ["node", str(MOUNT_SCRIPT)], cwd=root, input=request, capture_output=True,
            text=True, timeout=PARSE_TIMEOUT_SECONDS,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        return CannotMount(f"could not run node to read it: {error}")
    if completed.returncode != 0:
        last = completed.stderr.strip().splitlines()[-1:] or ["failed"]
        return CannotMount(f"reading it with TypeScript failed: {last[0]}")
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        answer = None
    return spots_from_answer(answer, text)


def spots_from_answer(answer: Any, text: str) -> PageSpots | CannotMount:
    """The script's answer, checked: both offsets must be starts of lines in `text` and the
    indent plain spaces or tabs, or the page is not edited."""
    if isinstance(answer, Mapping) and isinstance(answer.get("reason"), str):
        return CannotMount(answer["reason"])
    if not isinstance(answer, Mapping):
        return CannotMount("TypeScript gave no answer for it")
    import_at, jsx_at, indent = answer.get("importAt"), answer.get("jsxAt"), answer.get("indent")
    offsets_ok = all(_is_line_start(text, offset) for offset in (import_at, jsx_at))
    if not offsets_ok or not isinstance(indent, str) or indent.strip(" \t"):
        return CannotMount(f"TypeScript gave an unusable answer for it: {json.dumps(answer)}")
    return PageSpots(import_at, jsx_at, indent)


def _is_line_start(text: str, offset: Any) -> bool:
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= len(text):
        return False
    return offset == 0 or text[offset - 1] == "\n"
