"""Whether the project's Prisma client waits for SQLite locks on Node's only thread.

better-sqlite3 answers a locked database by sleeping inside the call, 5 s by default: every
request of the server waits with it. The import waits for locks itself, asynchronously, so the
client should give up quickly (a short `timeout`)."""

import re

DEFAULT_BUSY_WAIT_MS = 5_000  # better-sqlite3's own default
SHORT_BUSY_WAIT_MS = 50

# The driver adapter (Prisma 6.6+/7) or better-sqlite3 itself, opened in the client module.
_OPENS_BETTER_SQLITE3 = re.compile(r"\bnew\s+(?:PrismaBetterSqlite3|Database)\s*\(")
_BETTER_SQLITE3_IMPORT = re.compile(
    r"""from\s+["'](?:@prisma/adapter-better-sqlite3|better-sqlite3)["']"""
)
_TIMEOUT_OPTION = re.compile(r"\btimeout\s*:\s*(\d[\d_]*)?")


def busy_wait_advice(client_module: str, client_source: str) -> str | None:
    """A note for a client module that opens better-sqlite3 with its default busy wait, or a
    long one; None when it sets a short one or does not use better-sqlite3."""
    if not (
        _BETTER_SQLITE3_IMPORT.search(client_source) and _OPENS_BETTER_SQLITE3.search(client_source)
    ):
        return None
    timeout = _TIMEOUT_OPTION.search(client_source)
    if timeout is not None and (timeout.group(1) is None or _ms(timeout.group(1)) <= 1_000):
        return None  # set (a computed value is the team's choice), or short enough
    waits = (
        f"{_ms(timeout.group(1)):,} ms" if timeout else f"{DEFAULT_BUSY_WAIT_MS:,} ms (its default)"
    )
    return (
        f"{client_module} opens SQLite with better-sqlite3, which waits up to {waits} for a lock "
        "on Node's only thread, holding up every request of the server: pass "
        f"`timeout: {SHORT_BUSY_WAIT_MS}` to it (the import waits for locks itself)"
    )


def _ms(digits: str) -> int:
    return int(digits.replace("_", ""))
