"""The project's own source files, and which of them exports a given binding."""

import re
from collections.abc import Iterator
from pathlib import Path

IGNORED_DIRS = frozenset({"node_modules", ".next", ".git", "dist", "build", "out", "generated"})
SOURCE_SUFFIXES = (".ts", ".tsx", ".js", ".mjs")


def project_sources(root: Path, start: str = ".") -> Iterator[Path]:
    """Source files under `root/start`, skipping dependencies, build output and dot folders."""
    stack = [root / start]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                if entry.name not in IGNORED_DIRS and not entry.name.startswith("."):
                    stack.append(entry)
            elif entry.suffix in SOURCE_SUFFIXES and not entry.name.endswith(".d.ts"):
                yield entry


def exports_binding(text: str, binding: str) -> bool:
    """Whether a module's text exports `binding`: as a declaration, in an export list, or
    destructured (`export const { auth, handlers } = NextAuth(...)`)."""
    name = re.escape(binding)
    return bool(
        re.search(
            rf"export\s+(?:async\s+)?(?:const|let|var|function)\s+{name}\b"
            rf"|export\s*\{{[^}}]*\b{name}\b[^}}]*\}}"
            rf"|export\s+(?:const|let|var)\s*\{{[^}}]*\b{name}\b[^}}]*\}}\s*=",
            text,
        )
    )


def find_exporting_module(
    root: Path, sources: list[Path], binding: str, preferred_stems: tuple[str, ...]
) -> str | None:
    """The source file that exports `binding`, preferring files named after it."""
    matches = []
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if exports_binding(text, binding):
            relative = path.relative_to(root).as_posix()
            rank = 0 if path.stem in preferred_stems else 1
            matches.append((rank, len(relative), relative))
    return sorted(matches)[0][2] if matches else None
