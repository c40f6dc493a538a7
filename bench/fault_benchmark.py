"""Fault benchmark of the generated CSV import route (`next start` + SQLite): what the server
does while its database is locked by another connection, and when it cannot write at all.

1. **Lock**: another connection holds SQLite's lock (`BEGIN EXCLUSIVE`) for S seconds while a
   2,000-row import runs; meanwhile `GET /` is requested back to back. Measured twice on the same
   build, each on its own server and fresh database: with better-sqlite3's default busy timeout
   (5,000 ms, what a project that sets none gets: the driver waits on Node's only thread) and
   with the example's 50 ms (the import service waits asynchronously instead). Reported: `GET /`
   latency (median, p95, max), whether the import completed, and rows sent / shown / in the
   database.
2. **Concurrent imports**: K imports of N rows at once, each sent as the hook sends it, while
   `GET /` is requested back to back; the baseline is `GET /` on the same server with no import
   running. Reported: `GET /` latencies idle and during the imports, their ratio, rows sent /
   shown / in the database, rows per second.
3. **Cannot write**: N rows sent as the browser hook sends them (requests of 2,000 rows); during
   the third request a folder is put where SQLite writes its rollback journal, so every write
   fails with a disk I/O error. Reported: seconds from the fault to the stop, error lines logged,
   rows sent / shown as imported / in the database.

Usage: .venv/bin/python bench/fault_benchmark.py [--lock-seconds S] [--rows N] [--app DIR]
Progress goes to stderr, the table to stdout (JSON with --json).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from httpx_sse import EventSource

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from running_app import (  # noqa: E402
    USER_FIELDS,
    RunningApp,
    build_app,
    create_database,
    generate_app,
    serve,
    write_lock_held,
)

ROUTE = "/api/user/import/progress"
CHUNK_ROWS = 2_000
BUSY_TIMEOUTS_MS = (5_000, 50)  # better-sqlite3's default, the example's


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def person(prefix: str, index: int) -> dict[str, str]:
    return {
        "name": f"Person {index}",
        "email": f"{prefix}-{index}@example.com",
        "age": str(20 + index % 50),
        "role": "member",
        "joinedOn": "2024-01-15",
        "active": "yes",
    }


def stream_chunk(client: httpx.Client, app: RunningApp, body: dict, on_event=None) -> dict:
    """POSTs one chunk and returns its `complete` event."""
    with client.stream("POST", app.url(ROUTE), json=body, headers=app.auth) as response:
        complete = {}
        for sse in EventSource(response).iter_sse():
            data = json.loads(sse.data)
            if on_event:
                on_event(sse.event, data)
            if sse.event == "complete":
                complete = data
        return complete


def rows_in_database(database: Path, prefix: str) -> int:
    with contextlib.closing(sqlite3.connect(database, timeout=60)) as db:
        query = "select count(*) from User where email like ?"
        return db.execute(query, (f"{prefix}-%",)).fetchone()[0]


def measure_lock(root: Path, work: Path, busy_timeout_ms: int, seconds: float) -> dict:
    folder = work / f"lock-{busy_timeout_ms}"
    folder.mkdir()
    database = folder / "lock.db"
    create_database(root, database)
    env = {"SQLITE_BUSY_TIMEOUT_MS": str(busy_timeout_ms)}
    prefix = "lock" + uuid.uuid4().hex[:8]
    body = {"items": [person(prefix, i) for i in range(CHUNK_ROWS)], "importId": prefix}
    with (
        serve(root, database, folder / "server.log", env) as app,
        httpx.Client(timeout=600) as client,
    ):
        # The first requests load the page, the route and Prisma's query compiler.
        client.get(app.url("/")).raise_for_status()
        stream_chunk(client, app, {"items": [person("warm" + prefix, 0)]})
        outcome: dict = {}
        importer = threading.Thread(
            target=lambda: outcome.update(stream_chunk(httpx.Client(timeout=600), app, body))
        )
        latencies: list[float] = []
        failures = 0
        slowest = (0.0, 0.0)  # (latency, seconds after the lock was taken)
        with write_lock_held(database, seconds) as released:
            locked_at = time.monotonic()
            importer.start()
            while not released.is_set():
                started = time.monotonic()
                try:
                    client.get(app.url("/")).raise_for_status()
                except httpx.TransportError:
                    failures += 1  # a blocked server drops its kept-alive connections
                latencies.append(time.monotonic() - started)
                slowest = max(slowest, (latencies[-1], started - locked_at))
            importer.join()
    latencies.sort()
    return {
        "busy_timeout_ms": busy_timeout_ms,
        "lock_seconds": seconds,
        "get_requests": len(latencies),
        "get_failed": failures,
        "get_median_ms": round(statistics.median(latencies) * 1000, 1),
        "get_p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        "get_max_ms": round(latencies[-1] * 1000, 1),
        "get_max_sent_at_s": round(slowest[1], 2),
        "rows_sent": CHUNK_ROWS,
        "rows_shown": len(outcome.get("success", [])),
        "rows_in_db": rows_in_database(database, prefix),
        "stopped": outcome.get("stopped"),
    }


def get_latencies(client: httpx.Client, app: RunningApp, until) -> list[float]:
    """`GET /` back to back until `until()`; the latencies in seconds, sorted."""
    latencies = []
    while not until():
        started = time.monotonic()
        client.get(app.url("/")).raise_for_status()
        latencies.append(time.monotonic() - started)
    return sorted(latencies)


def summary(latencies: list[float]) -> dict:
    return {
        "requests": len(latencies),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def measure_concurrent(root: Path, work: Path, imports: int, rows: int) -> dict:
    folder = work / "concurrent"
    folder.mkdir()
    database = folder / "concurrent.db"
    create_database(root, database)
    prefixes = [f"c{index}x{uuid.uuid4().hex[:6]}" for index in range(imports)]
    shown = [0] * imports
    with (
        serve(root, database, folder / "server.log") as app,
        httpx.Client(timeout=600) as client,
    ):
        client.get(app.url("/")).raise_for_status()
        stream_chunk(client, app, {"items": [person("warm" + prefixes[0], 0)]})
        idle_until = time.monotonic() + 5
        idle = get_latencies(client, app, lambda: time.monotonic() > idle_until)

        def run(index: int) -> None:
            items = [person(prefixes[index], i) for i in range(rows)]
            with httpx.Client(timeout=600) as own:
                for start in range(0, rows, CHUNK_ROWS):
                    chunk = items[start : start + CHUNK_ROWS]
                    lines = list(range(start + 2, start + 2 + len(chunk)))
                    body = {"items": chunk, "lines": lines, "importId": prefixes[index]}
                    shown[index] += len(stream_chunk(own, app, body).get("success", []))

        threads = [threading.Thread(target=run, args=(index,)) for index in range(imports)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        during = get_latencies(client, app, lambda: not any(t.is_alive() for t in threads))
        elapsed = time.monotonic() - started
        for thread in threads:
            thread.join()
    in_db = sum(rows_in_database(database, prefix) for prefix in prefixes)
    return {
        "imports": imports,
        "rows_each": rows,
        "get_idle": summary(idle),
        "get_during": summary(during),
        "p95_during_over_idle": round(summary(during)["p95_ms"] / summary(idle)["p95_ms"], 1),
        "rows_sent": imports * rows,
        "rows_shown": sum(shown),
        "rows_in_db": in_db,
        "seconds": round(elapsed, 1),
        "rows_per_second": round(imports * rows / elapsed),
    }


def measure_cannot_write(root: Path, work: Path, rows: int) -> dict:
    folder = work / "cannot-write"
    folder.mkdir()
    database = folder / "journal.db"
    create_database(root, database)
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
    journal = Path(f"{database}-journal")
    prefix = "ro" + uuid.uuid4().hex[:8]
    items = [person(prefix, i) for i in range(rows)]
    shown = 0
    fault_at: float | None = None
    stopped_at: float | None = None
    stop_message = None
    log_path = folder / "server.log"

    def on_event(event: str, data: dict) -> None:
        nonlocal fault_at
        if event == "progress" and fault_at is None and data["succeeded"] > 0:
            while not journal.is_dir():
                with contextlib.suppress(FileExistsError):
                    journal.mkdir()
            fault_at = time.monotonic()

    with serve(root, database, log_path) as app, httpx.Client(timeout=600) as client:
        for index, start in enumerate(range(0, rows, CHUNK_ROWS)):
            chunk = items[start : start + CHUNK_ROWS]
            lines = list(range(start + 2, start + 2 + len(chunk)))
            body = {"items": chunk, "lines": lines, "importId": prefix}
            complete = stream_chunk(client, app, body, on_event if index == 2 else None)
            shown += len(complete.get("success", []))
            if "stopped" in complete:
                stopped_at = time.monotonic()
                stop_message = complete["stopped"]
                break
        log_lines = log_path.read_text().splitlines()
        errors = [line for line in log_lines if line.startswith('{"level":"error"')]
    journal.rmdir()
    return {
        "rows_sent": min(rows, (index + 1) * CHUNK_ROWS),
        "rows_shown": shown,
        "rows_in_db": rows_in_database(database, prefix),
        "seconds_to_stop": None
        if fault_at is None or stopped_at is None
        else round(stopped_at - fault_at, 3),
        "error_lines_logged": len(errors),
        "stopped": stop_message,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock-seconds", type=float, default=30)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--imports", type=int, default=10)
    parser.add_argument("--concurrent-rows", type=int, default=10_000)
    parser.add_argument("--app", type=Path, help="an app generated and built earlier")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="csvimport-faults-") as temporary:
        work = Path(temporary)
        root = args.app
        if root is None:
            progress("generating and building the example app ...")
            root = generate_app(work / "app", [["user", "--fields", *USER_FIELDS]])
            build_app(root)
        locks = []
        for busy_timeout_ms in BUSY_TIMEOUTS_MS:
            progress(f"lock held {args.lock_seconds:.0f} s, busy timeout {busy_timeout_ms} ms ...")
            locks.append(measure_lock(root, work, busy_timeout_ms, args.lock_seconds))
        progress(f"{args.imports} imports of {args.concurrent_rows:,} rows at once ...")
        concurrent = measure_concurrent(root, work, args.imports, args.concurrent_rows)
        progress(f"{args.rows:,} rows, the journal blocked during the third request ...")
        cannot_write = measure_cannot_write(root, work, args.rows)
    results = {"lock": locks, "concurrent": concurrent, "cannot_write": cannot_write}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"Lock held {args.lock_seconds:.0f} s during a {CHUNK_ROWS:,}-row import")
    print("| busy timeout | GET / | failed | median | p95 | max | sent | shown | in DB | stopped |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for lock in locks:
        print(
            f"| {lock['busy_timeout_ms']:,} ms | {lock['get_requests']} | {lock['get_failed']} "
            f"| {lock['get_median_ms']} ms | {lock['get_p95_ms']} ms | {lock['get_max_ms']} ms "
            f"| {lock['rows_sent']:,} | {lock['rows_shown']:,} | {lock['rows_in_db']:,} "
            f"| {lock['stopped'] or 'no'} |"
        )
    slow, fast = locks
    print(f"GET / max, 50 ms over 5,000 ms: {fast['get_max_ms'] / slow['get_max_ms']:.3f}")
    print()
    print(f"{concurrent['imports']} imports of {concurrent['rows_each']:,} rows at once")
    for key, value in concurrent.items():
        print(f"- {key}: {value}")
    print()
    print("Database that cannot write (journal blocked during the third request)")
    for key, value in cannot_write.items():
        print(f"- {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
