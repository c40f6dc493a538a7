"""Import benchmark of the generated CSV import route (`next start` + SQLite).

Generates the example app with two features onto the same `User` model — `user` (the
provider-sized batch) and `member` (the seed's batch size 10) — builds it, and measures, each on
its own fresh SQLite file:

1. end to end: N rows through `POST /api/user/import/progress`, sent as the browser hook sends
   them (sequential requests of <= 2,000 rows / <= 1 MB of JSON `{items, lines, importId}`,
   each answering an event stream read to its `complete` event);
2. the floor: the same N rows written by bench/floor.ts (plain Node, the app's Prisma client and
   driver adapter, `createMany`) at several batch shapes; the best one is the floor;
3. the seed's configuration: M rows through the `member` route (batch size 10);
4. isolation: the SQL statements SQLite ran for one 1,000-row request holding one row that only
   the database can reject (an email already stored, mid-batch), minus those of a clean 1,000-row
   request (counted from the app's opt-in `CSVIMPORT_LOG_QUERIES=1` statement log).

Usage: .venv/bin/python bench/import_benchmark.py [--rows N] [--seed-rows M] [--json]
Progress goes to stderr; the table (or JSON with --json) to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
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
)

FEATURES = [
    ["user", "--fields", *USER_FIELDS],
    ["member", "--model", "User", "--batch-size", "10", "--max-retries", "2",
     "--fields", *USER_FIELDS],
]  # fmt: skip

# The browser hook's limits (use-import.ts) and its envelope allowance (split-into-chunks.ts).
MAX_ROWS_PER_REQUEST = 2_000
MAX_BYTES_PER_REQUEST = 1_000_000
ENVELOPE_BYTES = 128

# Floor variants: (batch size, mode), see bench/floor.ts. The "tx" variant takes the user route's
# own batch size: it is the route's database work alone, the yardstick of the route's overhead.
FLOOR_VARIANTS = [(500, "plain"), (1000, "plain"), (None, "tx"), (1000, "one-tx")]
FLOOR_LABELS = {
    "plain": "createMany",
    "tx": "$transaction([createMany])",
    "one-tx": "createMany, all in one $transaction",
}

ISOLATION_BATCH = 1_000
ISOLATION_BAD_INDEX = 500  # mid-batch: spreadsheet line 502

TARGET_E2E_OVER_FLOOR = 0.6
TARGET_ISOLATION_STATEMENTS = 25

STARTED = time.monotonic()


def progress(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def make_row(prefix: str, index: int) -> dict[str, str]:
    """One CSV row, six columns, every value text (as papaparse hands it to the hook)."""
    return {
        "name": f"Person {index}",
        "email": f"{prefix}-{index}@example.com",
        "age": str(18 + index % 60),
        "role": "admin" if index % 10 == 0 else "member",
        "joinedOn": f"20{10 + index % 15}-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "active": "no" if index % 7 == 0 else "yes",
    }


def make_rows(prefix: str, count: int) -> list[dict[str, str]]:
    return [make_row(prefix, index) for index in range(count)]


def compact(value: object) -> str:
    """JSON as the browser's JSON.stringify writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def split_into_chunks(rows: list[dict[str, str]], lines: list[int]) -> list[tuple[list, list]]:
    """The hook's splitIntoChunks: <= 2,000 rows and about <= 1 MB of JSON per request."""
    chunks: list[tuple[list, list]] = []
    items: list = []
    chunk_lines: list[int] = []
    size_so_far = ENVELOPE_BYTES
    for row, line in zip(rows, lines, strict=True):
        size = len(compact(row).encode()) + len(str(line)) + 2
        if items and (
            len(items) >= MAX_ROWS_PER_REQUEST or size_so_far + size > MAX_BYTES_PER_REQUEST
        ):
            chunks.append((items, chunk_lines))
            items, chunk_lines, size_so_far = [], [], ENVELOPE_BYTES
        items.append(row)
        chunk_lines.append(line)
        size_so_far += size
    if items:
        chunks.append((items, chunk_lines))
    return chunks


@dataclass
class RequestTiming:
    rows: int
    sent: float  # seconds since the import started
    first_event: float
    complete: float
    progress_events: int


@dataclass
class ImportOutcome:
    feature: str
    rows: int
    seconds: float
    succeeded: int
    failed: int
    requests: int
    import_id: str
    errors: list[dict] = field(default_factory=list)
    timings: list[RequestTiming] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def import_rows(
    app: RunningApp, feature: str, rows: list[dict[str, str]], *, label: str = ""
) -> ImportOutcome:
    """Sends the rows as the browser hook does and reads every event stream to `complete`."""
    import_id = f"bench-{uuid.uuid4().hex[:12]}"
    lines = list(range(2, len(rows) + 2))
    chunks = split_into_chunks(rows, lines)
    outcome = ImportOutcome(feature, len(rows), 0.0, 0, 0, len(chunks), import_id)
    url = app.url(f"/api/{feature}/import/progress")
    headers = {**app.auth, "Content-Type": "application/json"}
    report_every = max(1, len(chunks) // 10)
    with httpx.Client(timeout=600) as client:
        started = time.perf_counter()
        for number, (items, chunk_lines) in enumerate(chunks, 1):
            body = compact({"items": items, "lines": chunk_lines, "importId": import_id})
            sent = time.perf_counter() - started
            first_event = None
            progress_events = 0
            complete = None
            with client.stream("POST", url, content=body.encode(), headers=headers) as response:
                if response.status_code != 200:
                    response.read()
                    raise RuntimeError(f"{feature}: HTTP {response.status_code}: {response.text}")
                for sse in EventSource(response).iter_sse():
                    if first_event is None:
                        first_event = time.perf_counter() - started
                    if sse.event == "progress":
                        progress_events += 1
                    elif sse.event == "complete":
                        complete = json.loads(sse.data)
                    elif sse.event == "error":
                        raise RuntimeError(f"{feature}: error event: {sse.data}")
            if complete is None:
                raise RuntimeError(f"{feature}: a stream ended without a complete event")
            outcome.succeeded += len(complete["success"])
            outcome.failed += len(complete["errors"])
            outcome.errors.extend(complete["errors"])
            done = time.perf_counter() - started
            outcome.timings.append(
                RequestTiming(len(items), sent, first_event or done, done, progress_events)
            )
            if number % report_every == 0 or number == len(chunks):
                progress(
                    f"{label or feature}: {number}/{len(chunks)} requests, "
                    f"{outcome.succeeded + outcome.failed:,} rows, "
                    f"{(outcome.succeeded + outcome.failed) / done:,.0f} rows/s"
                )
        outcome.seconds = time.perf_counter() - started
    return outcome


def warm_up(app: RunningApp, feature: str) -> None:
    """Loads the route (and zod, and the Prisma client module) without writing a row: one
    request whose only row fails validation."""
    bad = {**make_row("warmup", 0), "email": "not-an-email"}
    outcome = import_rows(app, feature, [bad], label=f"{feature} warm-up")
    assert outcome.failed == 1, outcome


def route_setting(app_root: Path, feature: str, name: str) -> int:
    route = app_root / f"src/app/api/{feature}/import/progress/route.ts"
    match = re.search(rf"const {name} = ([\d_]+);", route.read_text())
    assert match, f"{name} not found in {route}"
    return int(match.group(1).replace("_", ""))


def count_users(app: RunningApp) -> int:
    return app.query('SELECT COUNT(*) FROM "User"')[0][0]


# ---------------------------------------------------------------- server-side timing (from logs)


def parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def server_breakdown(records: list[dict], import_id: str) -> dict[str, float]:
    """Seconds the server spent inside the import service (from `Starting CSV import` to
    `CSV import finished`, summed over the requests) and in the processor (from each
    `Writing ... batch` line to the next log line of the import: the validation of the next
    batch starts after it)."""
    mine = [r for r in records if r.get("importId") == import_id and "time" in r]
    in_service = 0.0
    start = None
    for record in mine:
        if record.get("message") == "Starting CSV import":
            start = parse_time(record["time"])
        elif record.get("message") == "CSV import finished" and start is not None:
            in_service += parse_time(record["time"]) - start
            start = None
    batches = sum(1 for r in mine if str(r.get("message", "")).startswith("Writing "))
    return {"in_import_service_seconds": in_service, "processor_calls": batches}


# ---------------------------------------------------------------- measurements


@dataclass
class Measurement:
    name: str
    rows: int
    seconds: float
    rows_per_second: float
    detail: str


@contextlib.contextmanager
def served(app_root: Path, work: Path, name: str, env: dict[str, str] | None = None):
    database = work / f"{name}.db"
    create_database(app_root, database)
    progress(f"{name}: fresh database {database.name}, starting next start")
    with serve(app_root, database, work / f"{name}.log", env=env) as app:
        yield app


def measure_route(
    app_root: Path, work: Path, rows: list[dict[str, str]], feature: str, name: str
) -> dict:
    """Import `rows` through a feature's route on a fresh server and database."""
    with served(app_root, work, name.replace(" ", "-").replace(",", "")) as app:
        warm_up(app, feature)
        outcome = import_rows(app, feature, rows, label=name)
        in_db = count_users(app)
        breakdown = server_breakdown(app.log_records(), outcome.import_id)
    check_accounting(name.split(",")[0], outcome, in_db, len(rows))
    return summarize(outcome, in_db, breakdown)


def summarize(outcome: ImportOutcome, in_db: int, breakdown: dict) -> dict:
    timings = outcome.timings
    waiting_for_first_event = sum(t.first_event - t.sent for t in timings)
    between_requests = sum(
        later.sent - earlier.complete for earlier, later in itertools.pairwise(timings)
    )
    return {
        "rows": outcome.rows,
        "seconds": outcome.seconds,
        "rows_per_second": outcome.rows_per_second,
        "requests": outcome.requests,
        "succeeded": outcome.succeeded,
        "failed": outcome.failed,
        "rows_in_database": in_db,
        "client_seconds_between_requests": between_requests,
        "seconds_until_first_event": waiting_for_first_event,
        **breakdown,
    }


def check_accounting(name: str, outcome: ImportOutcome, in_db: int, expected: int) -> None:
    problems = []
    if outcome.succeeded != expected or outcome.failed != 0:
        problems.append(f"{outcome.succeeded} succeeded, {outcome.failed} failed of {expected}")
    if in_db != expected:
        problems.append(f"{in_db} rows in the database, expected {expected}")
    if problems:
        sample = outcome.errors[:3]
        raise SystemExit(f"{name}: accounting is wrong: {'; '.join(problems)}; errors: {sample}")


def measure_floor(
    app_root: Path, work: Path, rows_file: Path, run: int, route_batch: int
) -> list[dict]:
    """One pass over the floor variants, each on a fresh database."""
    variants = []
    for size, mode in FLOOR_VARIANTS:
        batch_size = size or route_batch
        database = work / f"floor-{batch_size}-{mode}-{run}.db"
        create_database(app_root, database)
        label = f"batch {batch_size}, {FLOOR_LABELS[mode]}"
        result = subprocess.run(
            [str(app_root / "node_modules/.bin/tsx"), "floor.ts", str(rows_file), str(database),
             str(batch_size), mode],
            cwd=app_root, capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(f"floor.ts failed:\n{result.stdout}\n{result.stderr[-4000:]}")
        variant = json.loads(result.stdout.strip().splitlines()[-1])
        progress(f"floor, run {run}: {variant['rowsPerSecond']:,.0f} rows/s ({label})")
        variants.append(
            {
                "label": label,
                "batch_size": batch_size,
                "mode": mode,
                "rows": variant["rows"],
                "seconds": variant["seconds"],
                "rows_per_second": variant["rowsPerSecond"],
            }
        )
    return variants


def best_of(samples: list[dict]) -> dict:
    """The fastest of repeated runs, with every run's rate."""
    best = max(samples, key=lambda sample: sample["rows_per_second"])
    return {**best, "runs_rows_per_second": [sample["rows_per_second"] for sample in samples]}


def floor_summary(passes: list[list[dict]]) -> dict:
    variants = [best_of(list(runs)) for runs in zip(*passes, strict=True)]
    best = max(variants, key=lambda variant: variant["rows_per_second"])
    return {**best, "best": best["label"], "variants": variants}


def statements_of(app: RunningApp, offset: int) -> list[str]:
    """The SQL statements logged since byte `offset` of the server log."""
    with open(app.log_path, "rb") as log:
        log.seek(offset)
        text = log.read().decode(errors="replace")
    statements = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict) and record.get("message") == "SQL statement":
                statements.append(str((record.get("context") or {}).get("sql", "")))
    return statements


def kind(sql: str) -> str:
    return sql.split(None, 1)[0].upper() if sql.strip() else "?"


def counted_request(app: RunningApp, rows: list[dict[str, str]], label: str):
    offset = app.log_path.stat().st_size
    outcome = import_rows(app, "user", rows, label=label)
    time.sleep(0.2)  # the log is written synchronously; this is only a margin
    statements = statements_of(app, offset)
    calls = sum(
        1
        for record in app.log_records()
        if record.get("importId") == outcome.import_id
        and str(record.get("message", "")).startswith("Writing ")
    )
    return outcome, statements, calls


def measure_isolation(app_root: Path, work: Path) -> dict:
    with served(app_root, work, "isolation", env={"CSVIMPORT_LOG_QUERIES": "1"}) as app:
        warm_up(app, "user")
        existing = make_row("existing", 0)
        assert import_rows(app, "user", [existing], label="isolation setup").succeeded == 1
        clean_rows = make_rows("clean", ISOLATION_BATCH)
        clean, clean_statements, clean_calls = counted_request(app, clean_rows, "clean batch")
        if not clean_statements:
            raise SystemExit(
                "no SQL statements logged: the app's prisma singleton lacks the opt-in "
                "CSVIMPORT_LOG_QUERIES=1 statement log (examples/nextjs-app/src/app/misc/"
                "singletons/prisma.ts)"
            )
        bad_rows = make_rows("bad", ISOLATION_BATCH)
        bad_rows[ISOLATION_BAD_INDEX]["email"] = existing["email"]
        bad, bad_statements, bad_calls = counted_request(app, bad_rows, "batch with one bad row")
        in_db = count_users(app)

    expected_line = ISOLATION_BAD_INDEX + 2
    problems = []
    if clean.succeeded != ISOLATION_BATCH:
        problems.append(f"clean batch: {clean.succeeded} succeeded")
    if bad.succeeded != ISOLATION_BATCH - 1 or [e["line"] for e in bad.errors] != [expected_line]:
        problems.append(f"bad batch: {bad.succeeded} succeeded, errors {bad.errors[:3]}")
    if in_db != 1 + ISOLATION_BATCH + ISOLATION_BATCH - 1:
        problems.append(f"{in_db} rows in the database")
    if problems:
        raise SystemExit("isolation: accounting is wrong: " + "; ".join(problems))
    return {
        "batch_rows": ISOLATION_BATCH,
        "bad_row_line": expected_line,
        "bad_row_error": bad.errors[0]["error"],
        "clean_statements": len(clean_statements),
        "clean_statements_by_kind": dict(Counter(map(kind, clean_statements))),
        "clean_processor_calls": clean_calls,
        "bad_statements": len(bad_statements),
        "bad_statements_by_kind": dict(Counter(map(kind, bad_statements))),
        "bad_processor_calls": bad_calls,
        "isolation_statements": len(bad_statements) - len(clean_statements),
    }


# ---------------------------------------------------------------- report


def report(results: dict) -> str:
    e2e, floor, seed, iso = (
        results["end_to_end"], results["floor"], results["seed_config"], results["isolation"]
    )  # fmt: skip
    ratios = results["ratios"]
    verdict = results["verdict"]
    measured = [
        (f"end to end (user route, batch {results['user_batch_size']})", e2e),
        (f"floor ({floor['best']})", floor),
        (f"seed config (member route, batch {results['member_batch_size']})", seed),
    ]
    floor_rows = [(f"  {variant['label']}", variant) for variant in floor["variants"]]
    width = max(len(name) for name, _ in measured + floor_rows) + 2

    def line(name: str, sample: dict) -> str:
        runs = " / ".join(f"{rate:,.0f}" for rate in sample["runs_rows_per_second"])
        return (
            f"{name:<{width}}{sample['rows']:>9,}{sample['seconds']:>9.2f}"
            f"{sample['rows_per_second']:>9,.0f}   {runs}"
        )

    out = [
        f"csvimport import benchmark: next start + SQLite, {results['cpus']} CPUs, "
        f"load average {results['load_average']:.2f} at start, best of {results['repeat']} "
        "run(s)",
        "",
        f"{'measurement':<{width}}{'rows':>9}{'seconds':>9}{'rows/s':>9}   every run, rows/s",
        *(line(name, sample) for name, sample in measured),
        "",
        "floor variants (plain Node script, the app's Prisma client and adapter):",
        *(line(name, sample) for name, sample in floor_rows),
        "",
        f"end to end / floor   {ratios['e2e_over_floor']:.2f}   "
        f"(target >= {TARGET_E2E_OVER_FLOOR})  {verdict['e2e']}",
        f"seed / floor         {ratios['seed_over_floor']:.2f}",
        f"end to end / seed    {ratios['e2e_over_seed']:.2f}",
        f"end to end / floor variant shaped like the route (batch {results['user_batch_size']}, "
        f"$transaction([createMany])): {ratios['e2e_over_route_shaped_floor']:.2f} "
        "(the route's own overhead)",
        "",
        f"isolation: one {iso['batch_rows']:,}-row request, one row rejected by the database "
        f"(line {iso['bad_row_line']}: {iso['bad_row_error']!r})",
        f"  SQL statements, clean request      {iso['clean_statements']:>5}  "
        f"({_kinds(iso['clean_statements_by_kind'])}; "
        f"{_plural(iso['clean_processor_calls'], 'processor call')})",
        f"  SQL statements, one bad row        {iso['bad_statements']:>5}  "
        f"({_kinds(iso['bad_statements_by_kind'])}; "
        f"{_plural(iso['bad_processor_calls'], 'processor call')})",
        f"  statements spent isolating it      {iso['isolation_statements']:>5}  "
        f"(target <= {TARGET_ISOLATION_STATEMENTS})  {verdict['isolation']}",
        "",
        f"end to end (best run): {e2e['requests']} requests; the server spent "
        f"{e2e['in_import_service_seconds']:.2f} s inside the import service "
        f"({_plural(e2e['processor_calls'], 'processor call')}); the client waited "
        f"{e2e['seconds_until_first_event']:.2f} s in all for first events and spent "
        f"{e2e['client_seconds_between_requests']:.2f} s between requests",
        f"total benchmark time {results['total_seconds']:.0f} s",
    ]
    return "\n".join(out)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _kinds(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))


def prepare_app(app_dir: Path | None, work: Path) -> Path:
    if app_dir is not None:
        if not (app_dir / ".next" / "BUILD_ID").exists():
            raise SystemExit(f"{app_dir} holds no built app (.next/BUILD_ID missing)")
        progress(f"using the built app in {app_dir}")
        return app_dir
    root = work / "app"
    progress(f"generating the app (features: user, member) into {root}")
    generate_app(root, FEATURES)
    progress("next build")
    build_app(root)
    return root


@contextlib.contextmanager
def work_directory(keep: bool) -> Iterator[Path]:
    work = Path(tempfile.mkdtemp(prefix="csvimport-bench-"))
    try:
        yield work
    finally:
        if keep:
            progress(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows end to end and floor")
    parser.add_argument("--seed-rows", type=int, default=20_000, help="rows, seed config")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--app", type=Path, help="reuse an app generated and built earlier")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each timed measurement (best is kept)"
    )
    args = parser.parse_args()
    if min(args.rows, args.seed_rows, args.repeat) < 1:
        parser.error("--rows, --seed-rows and --repeat must be positive")

    load = os.getloadavg()[0]
    with work_directory(args.keep) as work:
        app_root = prepare_app(args.app, work)
        user_batch = route_setting(app_root, "user", "BATCH_SIZE")
        member_batch = route_setting(app_root, "member", "BATCH_SIZE")
        rows = make_rows("bench", args.rows)
        seed_rows = make_rows("seed", args.seed_rows)
        rows_file = work / "floor-rows.json"
        rows_file.write_text(compact(rows))
        shutil.copy(REPO / "bench" / "floor.ts", app_root / "floor.ts")
        floor_passes, e2e_runs, seed_runs = [], [], []
        # Interleaved, so that a busy spell on the machine hits every measurement alike.
        for run in range(1, args.repeat + 1):
            floor_passes.append(measure_floor(app_root, work, rows_file, run, user_batch))
            e2e_runs.append(measure_route(app_root, work, rows, "user", f"end to end, run {run}"))
            seed_runs.append(
                measure_route(app_root, work, seed_rows, "member", f"seed config, run {run}")
            )
        isolation = measure_isolation(app_root, work)
        floor, e2e, seed = floor_summary(floor_passes), best_of(e2e_runs), best_of(seed_runs)

    (route_shape,) = [v for v in floor["variants"] if v["mode"] == "tx"]
    ratios = {
        "e2e_over_floor": e2e["rows_per_second"] / floor["rows_per_second"],
        "e2e_over_route_shaped_floor": e2e["rows_per_second"] / route_shape["rows_per_second"],
        "seed_over_floor": seed["rows_per_second"] / floor["rows_per_second"],
        "e2e_over_seed": e2e["rows_per_second"] / seed["rows_per_second"],
    }
    results = {
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "load_average": load,
        "user_batch_size": user_batch,
        "member_batch_size": member_batch,
        "end_to_end": e2e,
        "floor": floor,
        "seed_config": seed,
        "isolation": isolation,
        "ratios": ratios,
        "targets": {
            "e2e_over_floor_at_least": TARGET_E2E_OVER_FLOOR,
            "isolation_statements_at_most": TARGET_ISOLATION_STATEMENTS,
        },
        "verdict": {
            "e2e": "PASS" if ratios["e2e_over_floor"] >= TARGET_E2E_OVER_FLOOR else "MISS",
            "isolation": "PASS"
            if isolation["isolation_statements"] <= TARGET_ISOLATION_STATEMENTS
            else "MISS",
        },
        "total_seconds": time.monotonic() - STARTED,
    }
    print(json.dumps(results, indent=2) if args.json else report(results))


if __name__ == "__main__":
    main()
