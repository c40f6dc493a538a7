"""A throwaway PostgreSQL cluster for tests: Debian's server programs, a temporary data folder,
loopback only, stopped when the test is done (tests/run.sh installs `postgresql` when missing)."""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from running_app import free_port

POSTGRES_TOOLS = ("initdb", "pg_ctl", "postgres", "psql", "pg_isready")


@dataclass
class Postgres:
    """A PostgreSQL cluster listening on 127.0.0.1:port; user `postgres`, no password."""

    bin_dir: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, *args: str) -> str:
        result = subprocess.run(
            [str(self.bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", "postgres", "-d", database, *args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, f"psql {' '.join(args)} failed:\n{result.stderr}"
        return result.stdout

    def rows(self, database: str, sql: str) -> list[dict]:
        """The rows of a query, each a dict of its columns (NULL as None)."""
        query = f"select coalesce(json_agg(r), '[]') from ({sql}) r"
        return json.loads(self.psql(database, "-A", "-t", "-c", query))


def postgres_bin_dir() -> Path:
    """The folder holding PostgreSQL's server and client programs: that of `initdb` on PATH,
    else the newest /usr/lib/postgresql/*/bin (where Debian's packages put them)."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if all((folder / tool).is_file() for tool in POSTGRES_TOOLS):
            return folder
    pytest.fail(
        f"PostgreSQL is missing: {', '.join(POSTGRES_TOOLS)} were not found together beside "
        "initdb on PATH nor in /usr/lib/postgresql/*/bin. Install Debian's `postgresql` package "
        "(tests/run.sh does when initdb and pg_ctl are missing).",
        pytrace=False,
    )


@contextlib.contextmanager
def running_postgres() -> Iterator[Postgres]:
    """A throwaway cluster in a temporary folder, stopped at the end whatever happens.
    PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user."""
    bin_dir = postgres_bin_dir()
    as_root = os.getuid() == 0
    as_owner = ["runuser", "-u", "postgres", "--"] if as_root else []
    with tempfile.TemporaryDirectory(prefix="csvimport-postgres-") as scratch:
        folder = Path(scratch)
        data, socket_dir, log = folder / "data", folder / "socket", folder / "postgres.log"
        socket_dir.mkdir()
        if as_root:
            for path in (folder, socket_dir):
                shutil.chown(path, "postgres", "postgres")

        def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*as_owner, *map(str, command)], cwd=folder, capture_output=True, text=True,
                timeout=120,
            )  # fmt: skip

        initdb = run(bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust",
                     "-E", "UTF8", "--no-sync")  # fmt: skip
        assert initdb.returncode == 0, f"initdb failed:\n{initdb.stdout}{initdb.stderr}"
        port = free_port()
        options = f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        try:
            # -w: pg_ctl returns once the server accepts connections (or gave up after -t)
            started = run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options,
                          "-w", "-t", "60", "start")  # fmt: skip
            assert started.returncode == 0, (
                f"pg_ctl start failed:\n{started.stdout}{started.stderr}\n"
                + (log.read_text() if log.exists() else "")
            )
            ready = run(bin_dir / "pg_isready", "-h", "127.0.0.1", "-p", str(port))
            assert ready.returncode == 0, f"PostgreSQL does not answer on TCP: {ready.stdout}"
            yield Postgres(bin_dir, port)
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
