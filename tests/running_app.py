"""A generated app, built and served for real: `next build`, `next start` on a free loopback
port, a SQLite file made from the example's checked-in migration SQL.

Used by the runtime tests (one build per session) and by the benchmark.
"""

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_APP = REPO / "examples" / "nextjs-app"
TOKEN = "test-token"
SESSION_SECRET = "test-session-secret"  # signs the example's session cookies

USER_FIELDS = [
    "name:string:required,max=100",
    "email:email:required,unique,key,lowercase",
    "age:int:optional,min=0,max=150",
    "role:enum(admin|member):default=member",
    "joinedOn:date:optional,alias=Joined On",
    "active:boolean:optional,default=true",
]
COURSE_FIELDS = [
    r"code:string:unique,key,regex=^[A-Z]{2,4}-\d{3}$",
    "title:string:max=200",
    "credits:int:min=1,max=10",
    "startsOn:date",
    "price:float:optional,min=0",
]

# Features of the app under test: the user and course pages of the example, and `member`, a
# second route onto the User model with the seed's small batches (for bisection and retries).
DASHBOARD = "src/app/[lang]/dashboard/page.tsx"  # mounts both importers: one page, two imports
FEATURES = [
    ["user", "--mount", "src/app/[lang]/dashboard/user/page.tsx", "--mount", DASHBOARD,
     "--fields", *USER_FIELDS],
    ["course", "--mode", "upsert", "--mount", "src/app/[lang]/dashboard/course/page.tsx",
     "--mount", DASHBOARD, "--fields", *COURSE_FIELDS],
    ["member", "--model", "User", "--batch-size", "10", "--max-retries", "2",
     "--fields", *USER_FIELDS],
]  # fmt: skip


@dataclass
class RunningApp:
    root: Path
    base_url: str
    database: Path
    log_path: Path
    token: str = TOKEN
    session_secret: str = SESSION_SECRET

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def query(self, sql: str, *params: object) -> list[tuple]:
        with contextlib.closing(sqlite3.connect(self.database, timeout=30)) as db:
            return db.execute(sql, params).fetchall()

    def log_records(self) -> list[dict]:
        """The server's structured log lines (the example's `log` writes one JSON object per
        line, with the call's context under "context"), each flattened into one dict."""
        records = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict):
                    context = record.pop("context", None)
                    records.append({**record, **(context if isinstance(context, dict) else {})})
        return records


def csvimport(*args: str, cwd: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "csvimport_scaffold", *args], cwd=cwd, check=True,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def generate_app(destination: Path, features: list[list[str]] = FEATURES) -> Path:
    """Copy the example app, share its installed packages by hard links (Turbopack refuses a
    symlinked node_modules), and scaffold the features with the real CLI."""
    node_modules = EXAMPLE_APP / "node_modules"
    assert node_modules.is_dir(), f"{node_modules} is missing: run examples/install-node-modules.sh"
    shutil.copytree(
        EXAMPLE_APP, destination,
        ignore=shutil.ignore_patterns("node_modules", ".next", "dev.db*", "*.tsbuildinfo"),
    )  # fmt: skip
    # resolved: a node_modules that is a symlink (a git worktree sharing another checkout's)
    # is linked file by file all the same
    subprocess.run(
        ["cp", "-al", str(node_modules.resolve()), str(destination / "node_modules")], check=True
    )
    csvimport("init", "--project", ".", cwd=destination)
    for feature in features:
        csvimport("new", *feature, "--no-check", "--project", ".", cwd=destination)
    return destination


def build_app(root: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        [str(root / "node_modules/.bin/next"), "build"], cwd=root,
        env={**_env(), **(env or {})}, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, (
        "next build failed:\n" + result.stdout[-4000:] + result.stderr[-4000:]
    )


def create_database(root: Path, database: Path) -> None:
    subprocess.run(
        ["npm", "run", "--silent", "db:setup"], cwd=root, check=True, capture_output=True,
        env={**_env(), "DATABASE_URL": f"file:{database}"}, timeout=300,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(
    root: Path, database: Path, log_path: Path, env: dict[str, str] | None = None
) -> Iterator[RunningApp]:
    """`next start` on 127.0.0.1, stopped (with its children) on exit."""
    server_env = {
        "DATABASE_URL": f"file:{database}", "EXAMPLE_AUTH_TOKEN": TOKEN,
        "EXAMPLE_SESSION_SECRET": SESSION_SECRET, **(env or {}),
    }  # fmt: skip
    with next_start(root, log_path, server_env) as base_url:
        yield RunningApp(root, base_url, database, log_path)


@contextlib.contextmanager
def next_start(root: Path, log_path: Path, env: dict[str, str]) -> Iterator[str]:
    """`next start` on a free port of 127.0.0.1, with `env` added to the environment, its
    output in log_path. Yields the base URL once the app answers; stops the server (with its
    children) on exit."""
    port = free_port()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(root / "node_modules/.bin/next"), "start", "-H", "127.0.0.1", "-p", str(port)],
            cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**_env(), **env},
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base_url, log_path, server)
        yield base_url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, 15)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


def _wait_until_ready(
    base_url: str, log_path: Path, server: subprocess.Popen, seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("next start exited:\n" + log_path.read_text()[-4000:])
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(base_url + "/", timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"next start did not answer within {seconds:.0f} s:\n" + log_path.read_text()[-4000:]
    )


def _env() -> dict[str, str]:
    return {**os.environ, "NEXT_TELEMETRY_DISABLED": "1", "NO_COLOR": "1"}


@contextlib.contextmanager
def write_lock_held(database: Path, seconds: float) -> Iterator[threading.Event]:
    """A second connection holds SQLite's lock for `seconds` (released in the background), as
    another process writing to the same database would. Yields the event set on release."""
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    released = threading.Event()

    def release() -> None:
        holder.execute("COMMIT")
        holder.close()
        released.set()

    timer = threading.Timer(seconds, release)
    timer.start()
    try:
        yield released
    finally:
        timer.join()
