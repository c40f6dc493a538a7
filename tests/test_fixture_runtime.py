"""The generated import route, run for real in projects other than the example app, each on a
database this machine has:

- next16-prisma7-pg-tabs (Next 16, Prisma 7 through @prisma/adapter-pg, pnpm) on a throwaway
  PostgreSQL cluster;
- next15-prisma6-client-engine-libsql (Next 15, Prisma 6's Rust-free client, engineType
  "client", through @prisma/adapter-libsql, yarn classic) on a SQLite file.

Each project is set up as its developer would: `csvimport init`, `csvimport new contact`, the
stub auth module that `init` writes replaced by a bearer-token check, `next build`, `next start`.
The tests then send a CSV's rows the way the generated client does and read the event stream.

PostgreSQL comes from the machine: tests/run.sh installs Debian's `postgresql` when it is
missing. Both projects reach their database through a driver adapter, so no Prisma engine is
downloaded; the schema engine is out of reach too, so each database is made from the project's
checked-in migration SQL (psql for PostgreSQL, Python's sqlite3 for the SQLite file).
"""

import contextlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import httpx
import pytest
from httpx_sse import connect_sse

from conftest import run_cli
from postgres_server import Postgres, running_postgres
from running_app import build_app, next_start
from test_fixture_matrix import CONTACT_FIELDS, ENV, installed_copy, run_step

pytestmark = pytest.mark.matrix

# The fixtures whose generated import runs for real here, by how their database is made.
RUNTIME_FIXTURES = {
    "next16-prisma7-pg-tabs": "postgresql",  # a throwaway cluster, the migration run by psql
    "next15-prisma6-client-engine-libsql": "sqlite",  # a file made from the migration SQL
}
IMPORT_PATH = "/api/contact/import/progress"
TOKEN = "fixture-runtime-token"

# What a developer writes in place of the stub's body: the import API takes a bearer token.
# Indented by 4 spaces here, by the project's own indentation when written (indent_unit).
BEARER_TOKEN_AUTH = """\
/**
 * Returns the caller of the current request: the import API accepts
 * `Authorization: Bearer <token>` where the token is IMPORT_API_TOKEN.
 * @returns The caller.
 * @throws {AuthError} When the header is missing or the token is wrong.
 */
export async function getUserAuthOrThrow(): Promise<UserAuth> {
    const expected = process.env.IMPORT_API_TOKEN;
    const authorization = (await headers()).get("authorization") ?? "";
    const token = /^Bearer\\s+(\\S+)$/i.exec(authorization)?.[1];
    if (expected === undefined || expected === "" || token !== expected) {
        throw new AuthError();
    }
    return { userId: "import-api" };
}
"""


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with running_postgres() as server:
        yield server


class ContactsDatabase(Protocol):
    """The database a fixture's app runs on, made from the project's migration SQL."""

    @property
    def url(self) -> str:
        """DATABASE_URL for the app."""
        ...

    def insert_contact(self, email: str, full_name: str) -> None: ...

    def contacts(self, prefix: str) -> dict[str, dict]:
        """The stored contacts whose email starts with prefix, by email: fullName, age,
        active (a bool) and joinedOn as 'YYYY-MM-DD HH:MM:SS' in UTC (or None)."""
        ...


@dataclass
class PostgresContacts:
    """A database of the module's PostgreSQL cluster."""

    postgres: Postgres
    database: str

    @classmethod
    def create(cls, postgres: Postgres, database: str, project: Path) -> "PostgresContacts":
        postgres.psql("postgres", "-c", f"create database {database}")
        for migration in migrations(project):
            postgres.psql(database, "-f", str(migration))
        return cls(postgres, database)

    @property
    def url(self) -> str:
        return self.postgres.url(self.database)

    def insert_contact(self, email: str, full_name: str) -> None:
        self.postgres.psql(
            self.database,
            "-c",
            f"""insert into "Contact" (email, "fullName", "updatedAt")
                values ('{email}', '{full_name}', now())""",
        )

    def contacts(self, prefix: str) -> dict[str, dict]:
        rows = self.postgres.rows(
            self.database,
            f"""select email, "fullName", age, active,
                       to_char("joinedOn", 'YYYY-MM-DD HH24:MI:SS') as "joinedOn"
                from "Contact" where email like '{prefix}-%'""",
        )
        return {row.pop("email"): row for row in rows}


@dataclass
class SqliteContacts:
    """A SQLite file. Prisma's SQLite adapters store a DateTime as ISO 8601 text and a Boolean
    as 0 or 1; strftime reads the text (whatever its offset) as UTC."""

    path: Path

    @classmethod
    def create(cls, path: Path, project: Path) -> "SqliteContacts":
        with contextlib.closing(sqlite3.connect(path)) as db:
            for migration in migrations(project):
                db.executescript(migration.read_text())
        return cls(path)

    @property
    def url(self) -> str:
        return f"file:{self.path}"

    def _query(self, sql: str, *params: object) -> list[sqlite3.Row]:
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            with db:  # commits
                return db.execute(sql, params).fetchall()

    def insert_contact(self, email: str, full_name: str) -> None:
        self._query(
            """insert into "Contact" (email, "fullName", "updatedAt")
               values (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))""",
            email,
            full_name,
        )

    def contacts(self, prefix: str) -> dict[str, dict]:
        rows = self._query(
            """select email, "fullName", age, active,
                      strftime('%Y-%m-%d %H:%M:%S', "joinedOn") as "joinedOn"
               from "Contact" where email like ? || '-%'""",
            prefix,
        )
        return {
            row["email"]: {
                "fullName": row["fullName"],
                "age": row["age"],
                "active": bool(row["active"]),
                "joinedOn": row["joinedOn"],
            }
            for row in rows
        }


def migrations(project: Path) -> list[Path]:
    """The project's checked-in migration SQL, oldest first."""
    found = sorted((project / "prisma" / "migrations").glob("*/migration.sql"))
    assert found, f"{project} has no prisma/migrations/*/migration.sql"
    return found


@dataclass
class ContactsApp:
    """A fixture project with the contact import, served by `next start`."""

    fixture: str
    base_url: str
    log_path: Path
    database: ContactsDatabase

    def url(self, path: str) -> str:
        return self.base_url + path

    def contacts(self, prefix: str) -> dict[str, dict]:
        """The stored contacts whose email starts with prefix, by email."""
        return self.database.contacts(prefix)

    def server_log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]


def indent_unit(project: Path) -> str:
    """One level of the project's indentation, from its Prettier options (a JSON .prettierrc
    or package.json's "prettier"), else Prettier's default of 2 spaces."""
    options: dict = {}
    rc = project / ".prettierrc"
    if rc.is_file():
        options = json.loads(rc.read_text())
    else:
        package = json.loads((project / "package.json").read_text())
        if isinstance(package.get("prettier"), dict):
            options = package["prettier"]
    return "\t" if options.get("useTabs") else " " * int(options.get("tabWidth", 2))


def wire_bearer_token_auth(auth_module: Path, indent: str) -> None:
    """Replace the body of the stub that `init` wrote, keeping its AuthError and UserAuth."""
    stub = auth_module.read_text()
    server_only = next(
        (i for i in ('import "server-only";', "import 'server-only';") if i in stub), None
    )
    assert "Promise.reject" in stub and server_only, (
        f"{auth_module} is not the stub `init` writes for a project without auth:\n{stub}"
    )
    function = stub.index("export function getUserAuthOrThrow")
    head = stub[: stub.rindex("/**", 0, function)]
    head = head.replace(server_only, f'{server_only}\nimport {{ headers }} from "next/headers";')
    auth_module.write_text(head + BEARER_TOKEN_AUTH.replace("    ", indent))


@pytest.fixture(scope="module", params=list(RUNTIME_FIXTURES))
def contacts_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ContactsApp]:
    fixture = request.param
    folder = tmp_path_factory.mktemp("runtime")
    project = installed_copy(fixture, folder / fixture)
    steps = json.loads((project / "fixture.json").read_text())
    generate = run_step(project, steps["generate"])
    assert generate.returncode == 0, generate.stdout + generate.stderr

    init = run_cli("init", "--project", str(project), env=ENV)
    assert init.returncode == 0, init.stdout + init.stderr
    new = run_cli(
        "new", "contact", "--no-check", "--project", str(project), "--fields", *CONTACT_FIELDS
    )
    assert new.returncode == 0, new.stdout + new.stderr
    wire_bearer_token_auth(
        project / steps["expect"]["appDir"] / "functions/server/auth/auth.ts",
        indent_unit(project),
    )

    database: ContactsDatabase
    if RUNTIME_FIXTURES[fixture] == "postgresql":  # the cluster starts for this fixture only
        database = PostgresContacts.create(request.getfixturevalue("postgres"), "contacts", project)
    else:
        database = SqliteContacts.create(folder / "contacts.db", project)

    # A server west of UTC: a CSV date must still be stored as that day at midnight.
    env = {"DATABASE_URL": database.url, "IMPORT_API_TOKEN": TOKEN, "TZ": "America/New_York"}
    build_app(project, env)
    with next_start(project, folder / "server.log", env) as base_url:
        yield ContactsApp(fixture, base_url, folder / "server.log", database)


@dataclass
class ImportResponse:
    response: httpx.Response
    events: list[tuple[str, dict]]

    def of(self, name: str) -> list[dict]:
        return [data for event, data in self.events if event == name]


def post_import(app: ContactsApp, rows: list[dict], headers: dict[str, str]) -> ImportResponse:
    """POST rows as the generated client sends a chunk of a CSV file (`sendImportChunk`): JSON
    `{items, lines, importId}`, header on line 1; read the event stream, or the JSON refusal."""
    body = {"items": rows, "lines": list(range(2, len(rows) + 2)), "importId": str(uuid.uuid4())}
    with (
        httpx.Client(timeout=120) as client,
        connect_sse(client, "POST", app.url(IMPORT_PATH), json=body, headers=headers) as source,
    ):
        if not source.response.headers.get("content-type", "").startswith("text/event-stream"):
            source.response.read()
            return ImportResponse(source.response, [])
        events = [(sse.event, sse.json()) for sse in source.iter_sse()]
        return ImportResponse(source.response, events)


def contact(prefix: str, index: int) -> dict[str, str]:
    """A good CSV row, every value text; the optional columns are sometimes empty."""
    return {
        "email": f"{prefix}-{index}@example.com",
        "fullName": f"Contact {index}",
        "age": "" if index % 10 == 0 else str(18 + index % 60),
        "joinedOn": "" if index % 4 == 0 else str(date(2024, 1, 1) + timedelta(days=index)),
        "active": ["yes", "no", "", "TRUE", "0"][index % 5],
    }


def stored(row: dict[str, str]) -> dict:
    """What the database holds for a good row."""
    return {
        "fullName": row["fullName"],
        "age": int(row["age"]) if row["age"] else None,
        "joinedOn": f"{row['joinedOn']} 00:00:00" if row["joinedOn"] else None,
        "active": row["active"].lower() in ("yes", "true", "1", ""),  # empty: the default, true
    }


def new_prefix() -> str:
    return "c" + uuid.uuid4().hex[:10]


def test_an_import_reports_each_bad_row_by_line_and_stores_exactly_the_good_ones(
    contacts_app: ContactsApp,
):
    prefix = new_prefix()
    existing = f"{prefix}-existing@example.com"
    contacts_app.database.insert_contact(existing, "Already Here")
    rows = [contact(prefix, i) for i in range(200)]
    rows[3]["email"] = f"  {prefix.upper()}-3@Example.COM "  # good: trimmed and lowercased
    rows[17]["email"] = "not-an-email"
    rows[42]["age"] = "-5"
    rows[88]["joinedOn"] = "2024-02-30"
    rows[120]["email"] = rows[119]["email"].upper()  # the same email twice in the file
    rows[150]["email"] = existing  # already in the database
    bad_rows = {  # line (the header is line 1) -> its error
        19: "Email must be a valid email address",
        44: "Age must be at least 0",
        90: "Joined on must be a valid date (YYYY-MM-DD)",
        122: "Email duplicates line 121",  # its first occurrence, in the same batch
        152: "Email already exists",
    }

    result = post_import(contacts_app, rows, {"Authorization": f"Bearer {TOKEN}"})

    log = contacts_app.server_log()
    assert result.response.status_code == 200, f"{result.response.text}\n{log}"
    assert [event for event, _ in result.events][-1:] == ["complete"], f"{result.events}\n{log}"
    assert result.of("error") == [] and len(result.of("complete")) == 1, result.events
    (complete,) = result.of("complete")
    outcomes = sorted(row["line"] for row in complete["success"] + complete["errors"])
    assert outcomes == list(range(2, 202)), "every row has exactly one outcome"
    assert result.of("progress")[-1] == {
        "processed": 200,
        "total": 200,
        "succeeded": 195,
        "failed": 5,
        "percentage": 100,
    }

    errors = {error["line"]: error for error in complete["errors"]}
    assert sorted(errors) == sorted(bad_rows), complete["errors"]
    for line, message in bad_rows.items():
        error, row = errors[line], rows[line - 2]
        assert error["error"] == message, error
        # the error log names the row by its email (a duplicate of line 121: lowercased)
        assert error["email"].lower() == row["email"].strip().lower(), error

    good = [row for i, row in enumerate(rows) if i + 2 not in bad_rows]
    expected = {row["email"].strip().lower(): stored(row) for row in good}
    expected[existing] = {"fullName": "Already Here", "age": None, "joinedOn": None, "active": True}
    assert contacts_app.contacts(prefix) == expected


def test_a_request_without_the_token_answers_401_and_writes_nothing(contacts_app: ContactsApp):
    prefix = new_prefix()
    rows = [contact(prefix, i) for i in range(3)]
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN}):
        refused = post_import(contacts_app, rows, headers)
        assert refused.response.status_code == 401, (headers, refused.response.text)
        assert isinstance(refused.response.json()["error"], str), refused.response.text
    assert contacts_app.contacts(prefix) == {}

    # the same rows with the token are imported: the refusals were about the token alone
    accepted = post_import(contacts_app, rows, {"Authorization": f"Bearer {TOKEN}"})
    assert accepted.response.status_code == 200, accepted.response.text
    assert len(contacts_app.contacts(prefix)) == 3
