"""The generated import route, served by `next start` on a real SQLite file (DESIGN §4 wire
protocol). Every test imports its own rows, named by a prefix, so tests share one server."""

import contextlib
import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from httpx_sse import EventSource

from running_app import RunningApp, create_database, serve, write_lock_held

STREAM_HEADERS = {
    "content-type": "text/event-stream",
    "cache-control": "no-cache, no-transform",
    "connection": "keep-alive",
    "x-accel-buffering": "no",
}


@dataclass
class ImportResponse:
    status: int
    headers: httpx.Headers
    events: list[tuple[str, dict]] = field(default_factory=list)
    body: dict | None = None

    def of(self, name: str) -> list[dict]:
        return [data for event, data in self.events if event == name]

    @property
    def complete(self) -> dict:
        (complete,) = self.of("complete")
        return complete


def post_import(
    app: RunningApp, feature: str, body: object, *, headers=None, raw: bytes | None = None
) -> ImportResponse:
    """POST to the feature's route and read its event stream (or its JSON error) to the end."""
    request_headers = {
        "Content-Type": "application/json",
        **(app.auth if headers is None else headers),
    }
    content = raw if raw is not None else json.dumps(body).encode()
    with (
        httpx.Client(timeout=120) as client,
        client.stream(
            "POST",
            app.url(f"/api/{feature}/import/progress"),
            content=content,
            headers=request_headers,
        ) as response,
    ):
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            events = [(sse.event, json.loads(sse.data)) for sse in EventSource(response).iter_sse()]
            return ImportResponse(response.status_code, response.headers, events)
        response.read()
        return ImportResponse(response.status_code, response.headers, body=response.json())


def person(prefix: str, index: int, **overrides: str) -> dict[str, str]:
    row = {
        "name": f"Person {index}",
        "email": f"{prefix}-{index}@example.com",
        "age": str(20 + index % 50),
        "role": "member",
        "joinedOn": "2024-01-15",
        "active": "yes",
    }
    return {**row, **overrides}


def new_prefix() -> str:
    return "t" + uuid.uuid4().hex[:10]


def test_the_seed_body_streams_progress_and_one_complete_event(app: RunningApp):
    prefix = new_prefix()
    response = post_import(app, "user", {"items": [person(prefix, i) for i in range(3)]})

    assert response.status == 200
    for name, value in STREAM_HEADERS.items():
        assert response.headers.get(name) == value
    # httpx asks for gzip; the stream must still come uncompressed (next start drops the
    # route's `Content-Encoding: none` after using it to skip compression)
    assert response.headers.get("content-encoding") in (None, "none")
    assert [event for event, _ in response.events][-1] == "complete"
    assert len(response.of("complete")) == 1 and not response.of("error")
    last_progress = response.of("progress")[-1]
    assert last_progress == {
        "processed": 3,
        "total": 3,
        "succeeded": 3,
        "failed": 0,
        "percentage": 100,
    }
    assert [row["line"] for row in response.complete["success"]] == [2, 3, 4]  # header is line 1
    assert app.query("select count(*) from User where email like ?", f"{prefix}-%") == [(3,)]


def test_lines_sent_by_the_client_name_the_rows(app: RunningApp):
    prefix = new_prefix()
    items = [person(prefix, 1), person(prefix, 2, email="not-an-email"), person(prefix, 3)]
    response = post_import(app, "user", {"items": items, "lines": [10, 12, 15]})
    assert [row["line"] for row in response.complete["success"]] == [10, 15]
    assert response.complete["errors"] == [
        {"line": 12, "email": "not-an-email", "error": "Email must be a valid email address"}
    ]


def test_every_failed_rule_of_a_row_is_reported(app: RunningApp):
    prefix = new_prefix()
    bad = person(prefix, 1, name="", email="nope", age="-3", role="owner", joinedOn="2024-02-30")
    (error,) = post_import(app, "user", {"items": [bad]}).complete["errors"]
    assert error["line"] == 2
    for message in (
        "Name is required",
        "Email must be a valid email address",
        "Age must be at least 0",
        "Role must be one of: admin, member",
        "Joined on",
    ):
        assert message in error["error"]


def test_successes_plus_errors_account_for_every_row(app: RunningApp):
    prefix = new_prefix()
    items = [
        person(prefix, i, **({"email": f"broken-{i}"} if i % 7 == 0 else {})) for i in range(200)
    ]
    items[50] = dict(items[49])  # a duplicate inside the file
    complete = post_import(app, "user", {"items": items}).complete
    lines = sorted(row["line"] for row in complete["success"] + complete["errors"])
    assert lines == list(range(2, 202))
    assert len(complete["errors"]) == len([i for i in range(200) if i % 7 == 0]) + 1
    stored = app.query("select count(*) from User where email like ?", f"{prefix}-%")
    assert stored == [(len(complete["success"]),)]


def test_csv_traps_empty_numbers_booleans_real_dates_trimming(app: RunningApp):
    prefix = new_prefix()
    items = [
        person(prefix, 1, age="", active="No", joinedOn=""),
        person(prefix, 2, age=" 42 ", active="YES", name="  Ada Lovelace  "),
        person(prefix, 3, active="1", email=f"  {prefix.upper()}-3@EXAMPLE.com "),
        person(prefix, 4, active="0", role=""),
        person(prefix, 5, joinedOn="2024-02-29"),
        person(prefix, 6, joinedOn="2024-02-30"),
        person(prefix, 7, age="12abc"),
        person(prefix, 8, active="maybe"),
        person(prefix, 9, age="4.5"),
    ]
    complete = post_import(app, "user", {"items": items}).complete
    errors = {row["line"]: row["error"] for row in complete["errors"]}
    assert sorted(errors) == [7, 8, 9, 10]
    assert "Joined on" in errors[7] and "Age" in errors[8] and "Active" in errors[9]
    assert "Age" in errors[10]

    rows = dict(
        (email, (name, age, active, role, joined))
        for email, name, age, active, role, joined in app.query(
            "select email, name, age, active, role, joinedOn from User where email like ?",
            f"{prefix}-%",
        )
    )
    assert rows[f"{prefix}-1@example.com"][1:3] == (None, 0)  # empty age is absent, not 0
    assert rows[f"{prefix}-1@example.com"][4] is None
    assert rows[f"{prefix}-2@example.com"][:3] == ("Ada Lovelace", 42, 1)
    assert f"{prefix}-3@example.com" in rows  # trimmed and lowercased
    assert rows[f"{prefix}-4@example.com"][2:4] == (0, "member")  # default role
    assert rows[f"{prefix}-5@example.com"][4] is not None


def batch_writes(app: RunningApp, import_id: str) -> list[dict]:
    return [
        r
        for r in app.log_records()
        if r.get("importId") == import_id and "batch" in r.get("message", "")
    ]


def test_batches_follow_the_spec_provider_sized_by_default(app: RunningApp):
    prefix, import_id = new_prefix(), str(uuid.uuid4())
    response = post_import(
        app, "user", {"items": [person(prefix, i) for i in range(2_500)], "importId": import_id}
    )
    assert len(response.complete["success"]) == 2_500
    writes = [r["rows"] for r in batch_writes(app, import_id) if r["message"].startswith("Writing")]
    assert writes == [1_000, 1_000, 500]  # 6 columns: 32,766 bind variables allow more; capped

    seed_id = str(uuid.uuid4())
    post_import(
        app, "member", {"items": [person(new_prefix(), i) for i in range(25)], "importId": seed_id}
    )
    writes = [r["rows"] for r in batch_writes(app, seed_id) if r["message"].startswith("Writing")]
    assert writes == [10, 10, 5]


def test_a_duplicate_fails_only_its_row_and_is_not_retried(app: RunningApp):
    existing = new_prefix()
    post_import(app, "member", {"items": [person(existing, 0)]})
    prefix, import_id = new_prefix(), str(uuid.uuid4())
    items = [person(prefix, i) for i in range(30)]
    items[6] = person(existing, 0)  # already in the database
    items[15] = dict(items[14])  # repeated inside the file, same batch
    complete = post_import(app, "member", {"items": items, "importId": import_id}).complete

    assert [(e["line"], e["email"]) for e in complete["errors"]] == [
        (8, f"{existing}-0@example.com"),
        (17, f"{prefix}-14@example.com"),
    ]
    assert [e["error"] for e in complete["errors"]] == [
        "Email already exists",
        "Email duplicates line 16",  # the first occurrence is named
    ]
    assert len(complete["success"]) == 28
    assert app.query("select count(*) from User where email like ?", f"{prefix}-%") == [(28,)]
    failures = [
        r for r in batch_writes(app, import_id) if r["message"] == "CSV import batch failed"
    ]
    assert failures and all(r["attempt"] == 1 and r["transient"] is False for r in failures)
    # a unique violation is resolved by looking the keys up, not by bisection: each batch
    # holding a duplicate costs one more write (3 batches of 10: 2 + 2 + 1 writes)
    writes = [r for r in batch_writes(app, import_id) if r["message"].startswith("Writing")]
    assert len(writes) == 5


def test_the_request_language_picks_the_words_of_every_row_error(app: RunningApp):
    existing = new_prefix()
    post_import(app, "member", {"items": [person(existing, 0)]})
    prefix = new_prefix()
    items = [
        person(prefix, 1, email="nope", age="-3"),
        person(existing, 0),  # stored already
        person(prefix, 3),
        person(prefix, 3),  # repeats line 4
    ]
    german = {**app.auth, "Accept-Language": "fr-CH, de;q=0.8, en;q=0.5"}
    complete = post_import(app, "member", {"items": items}, headers=german).complete
    assert [e["error"] for e in complete["errors"]] == [
        "Email muss eine gültige E-Mail-Adresse sein; Age muss mindestens 0 sein",
        "Email ist bereits vorhanden",
        "Email wiederholt Zeile 4",
    ]
    refused = post_import(app, "user", {"items": items}, headers={"Accept-Language": "de-AT"})
    assert (refused.status, refused.body) == (
        401,
        {"error": "Melden Sie sich an, um Datensätze zu importieren"},
    )
    # a language the importer does not speak, or q=0, falls back to English
    english = {**app.auth, "Accept-Language": "fr, de;q=0"}
    (first, *_) = post_import(app, "user", {"items": items[:1]}, headers=english).complete["errors"]
    assert first["error"] == "Email must be a valid email address; Age must be at least 0"


def test_a_locked_database_is_waited_for_while_the_server_answers_other_requests(
    app: RunningApp,
):
    """better-sqlite3 waits for a lock on Node's only thread: the import waits asynchronously
    instead, so the app stays responsive for the 30 s the lock is held, and the import
    completes once it is released."""
    prefix, import_id = new_prefix(), str(uuid.uuid4())
    body = {"items": [person(prefix, i) for i in range(20)], "importId": import_id}
    answered: list[ImportResponse] = []
    latencies: list[float] = []
    httpx.get(app.url("/")).raise_for_status()  # the first request loads the page
    with write_lock_held(app.database, seconds=30) as released:
        importer = threading.Thread(
            target=lambda: answered.append(post_import(app, "member", body))
        )
        importer.start()
        with httpx.Client(timeout=60) as client:
            while not released.is_set():
                started = time.monotonic()
                status = client.get(app.url("/")).status_code
                latencies.append(time.monotonic() - started)
                assert status == 200
        importer.join()
    complete = answered[0].complete
    assert len(complete["success"]) == 20 and complete["errors"] == []
    assert "stopped" not in complete
    assert app.query("select count(*) from User where email like ?", f"{prefix}-%") == [(20,)]
    messages = [r["message"] for r in batch_writes(app, import_id)]
    assert "CSV import batch waits for a database lock" in messages
    assert "CSV import batch failed" not in messages
    # Blocked, the server answered nothing for the whole 30 s (5 s per write attempt with
    # better-sqlite3's default busy timeout); bench/fault_benchmark.py measures the figures.
    latencies.sort()
    assert len(latencies) > 30 and latencies[-1] < 5, (
        f"GET / max {latencies[-1]:.3f} s, p95 {latencies[int(len(latencies) * 0.95)]:.3f} s"
    )


def test_a_database_that_cannot_write_stops_the_import_at_once_with_one_message(
    app: RunningApp, tmp_path: Path
):
    """A folder where SQLite writes its rollback journal: every write fails with a disk I/O
    error, which is no row's fault. The import stops at the next batch, tries it once, says why
    in one message and one log line, and reports what it wrote before as written."""
    database = tmp_path / "journal.db"
    create_database(app.root, database)
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
    journal = Path(f"{database}-journal")
    prefix, import_id = new_prefix(), str(uuid.uuid4())
    items = [person(prefix, i) for i in range(1_000)]
    events: list[tuple[str, dict]] = []
    with (
        serve(app.root, database, tmp_path / "server.log") as server,
        httpx.Client(timeout=120) as client,
        client.stream(
            "POST",
            server.url("/api/member/import/progress"),
            json={"items": items, "importId": import_id},
            headers=server.auth,
        ) as response,
    ):
        for sse in EventSource(response).iter_sse():
            events.append((sse.event, json.loads(sse.data)))
            if sse.event == "progress" and not journal.is_dir() and events[-1][1]["succeeded"]:
                block_the_journal(journal)
        log = server.log_records()
    journal.rmdir()
    complete = next(data for event, data in events if event == "complete")
    assert complete["stopped"] == (
        "The database cannot store rows right now (it is read-only, full or failing); "
        "the import stopped"
    )
    written = app_count(database, prefix)
    assert 0 < written < 1_000 and len(complete["success"]) == written
    assert complete["errors"] == []
    assert len(complete["skipped"]) == 1_000 - written
    errors = [r["message"] for r in log if r.get("level") == "error"]
    assert errors == ["CSV import stopped: the database cannot be written"]


def block_the_journal(journal: Path) -> None:
    """Puts a folder where SQLite creates its journal, once no transaction holds the file."""
    while not journal.is_dir():
        with contextlib.suppress(FileExistsError):
            journal.mkdir()


def app_count(database: Path, prefix: str) -> int:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute(
            "select count(*) from User where email like ?", (f"{prefix}-%",)
        ).fetchone()[0]


def test_no_or_wrong_credentials_answer_401_and_write_nothing(app: RunningApp):
    prefix = new_prefix()
    body = {"items": [person(prefix, 1)]}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dGVzdA=="}):
        response = post_import(app, "user", body, headers=headers)
        assert response.status == 401
        assert isinstance(response.body["error"], str)
    assert app.query("select count(*) from User where email like ?", f"{prefix}-%") == [(0,)]


def test_client_mistakes_get_400_or_413_with_a_json_message_never_500(app: RunningApp):
    prefix = new_prefix()
    cases = [
        (b"{not json", 400),
        (b"", 400),
        (json.dumps([person(prefix, 1)]).encode(), 400),
        (json.dumps({"rows": [person(prefix, 1)]}).encode(), 400),
        (json.dumps({"items": "a,b,c"}).encode(), 400),
        (json.dumps({"items": [person(prefix, 1)], "lines": [2, 3]}).encode(), 400),
        (json.dumps({"items": [person(prefix, 1)], "lines": ["two"]}).encode(), 400),
        (json.dumps({"items": [person(prefix, i) for i in range(10_001)]}).encode(), 413),
        (json.dumps({"items": [person(prefix, 1, name="x" * 6_000_000)]}).encode(), 413),
    ]
    for raw, status in cases:
        response = post_import(app, "user", None, raw=raw)
        assert response.status == status, raw[:80]
        assert response.body and isinstance(response.body["error"], str), raw[:80]
    assert app.query("select count(*) from User where email like ?", f"{prefix}-%") == [(0,)]


def test_rows_that_are_not_objects_are_errors_of_their_line(app: RunningApp):
    prefix = new_prefix()
    complete = post_import(app, "user", {"items": [person(prefix, 1), "text", None, 42]}).complete
    assert [row["line"] for row in complete["success"]] == [2]
    assert [row["line"] for row in complete["errors"]] == [3, 4, 5]


def test_progress_arrives_while_the_import_runs_not_at_the_end(app: RunningApp):
    prefix = new_prefix()
    body = json.dumps({"items": [person(prefix, i) for i in range(400)]}).encode()
    arrivals: list[tuple[str, float]] = []
    with httpx.Client(timeout=120) as client, client.stream(
        "POST", app.url("/api/member/import/progress"), content=body,
        headers={"Content-Type": "application/json", **app.auth},
    ) as response:  # fmt: skip
        for sse in EventSource(response).iter_sse():
            arrivals.append((sse.event, time.monotonic()))
    first_progress = next(t for event, t in arrivals if event == "progress")
    complete = next(t for event, t in arrivals if event == "complete")
    progress_events = [event for event, _ in arrivals if event == "progress"]
    assert len(progress_events) >= 10  # 40 batches of 10
    assert complete - first_progress > 0.05  # the first event was not held back until the end


def test_cancelling_stops_the_server_writing_further_batches(app: RunningApp):
    prefix, import_id = new_prefix(), str(uuid.uuid4())
    body = json.dumps({"items": [person(prefix, i) for i in range(5_000)], "importId": import_id})
    count = "select count(*) from User where email like ?"
    with httpx.Client(timeout=120) as client, client.stream(
        "POST", app.url("/api/member/import/progress"), content=body.encode(),
        headers={"Content-Type": "application/json", **app.auth},
    ) as response:  # fmt: skip
        for sse in EventSource(response).iter_sse():
            if sse.event == "progress" and json.loads(sse.data)["processed"] >= 100:
                break  # leaving the block closes the connection, as the browser's abort does
    time.sleep(1.0)
    (after_cancel,) = app.query(count, f"{prefix}-%")
    time.sleep(2.0)
    assert app.query(count, f"{prefix}-%") == [after_cancel]
    assert 100 <= after_cancel[0] < 5_000
    assert any(
        r.get("importId") == import_id and r.get("cancelled") is True for r in app.log_records()
    )


def test_upsert_updates_existing_rows_by_key(app: RunningApp):
    code = f"UP-{uuid.uuid4().int % 900 + 100}"
    course = {"code": code, "title": "First", "credits": "3", "startsOn": "2025-09-01", "price": ""}
    assert post_import(app, "course", {"items": [course]}).complete["errors"] == []
    again = post_import(app, "course", {"items": [{**course, "title": "Renamed", "credits": "4"}]})
    assert again.complete["errors"] == []
    assert app.query("select title, credits from Course where code = ?", code) == [("Renamed", 4)]
