"""The generated import route, served by `next start` on a real SQLite file (DESIGN §4 wire
protocol). Every test imports its own rows, named by a prefix, so tests share one server."""

import json
import uuid
from dataclasses import dataclass, field

import httpx
from httpx_sse import EventSource

from running_app import RunningApp

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
    with httpx.Client(timeout=120) as client:
        with client.stream(
            "POST",
            app.url(f"/api/{feature}/import/progress"),
            content=content,
            headers=request_headers,
        ) as response:
            if response.headers.get("content-type", "").startswith("text/event-stream"):
                events = [
                    (sse.event, json.loads(sse.data)) for sse in EventSource(response).iter_sse()
                ]
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
