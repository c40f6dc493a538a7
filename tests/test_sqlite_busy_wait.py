"""A SQLite client that waits for locks on Node's only thread gets a note from `init`: the
import waits for locks itself, so the client should give up quickly."""

import pytest

from csvimport_scaffold.sqlite_busy_wait import busy_wait_advice

from conftest import run_cli

SINGLETON = "src/app/misc/singletons/prisma.ts"
ADAPTER_IMPORT = 'import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";\n'


@pytest.mark.parametrize(
    ("opening", "advised"),
    [
        ("new PrismaBetterSqlite3({ url })", "up to 5,000 ms (its default)"),
        ("new PrismaBetterSqlite3({ url, timeout: 30_000 })", "up to 30,000 ms"),
        ("new PrismaBetterSqlite3({ url, timeout: 50 })", None),
        ("new PrismaBetterSqlite3({ url, timeout: busyTimeoutMs() })", None),
    ],
)
def test_the_adapter_opened_with_a_long_or_default_busy_wait_is_advised(opening, advised):
    source = f"{ADAPTER_IMPORT}const adapter = {opening};\n"
    advice = busy_wait_advice("src/db.ts", source)
    if advised is None:
        assert advice is None
    else:
        assert advice is not None and advised in advice and "`timeout: 50`" in advice


def test_better_sqlite3_opened_directly_is_advised_too():
    source = 'import Database from "better-sqlite3";\nconst db = new Database("dev.db");\n'
    assert "its default" in busy_wait_advice("src/db.ts", source)


def test_other_drivers_get_no_advice():
    libsql = 'import { PrismaLibSQL } from "@prisma/adapter-libsql";\nnew PrismaLibSQL({ url });\n'
    assert busy_wait_advice("src/db.ts", libsql) is None
    assert busy_wait_advice("src/db.ts", "export const prisma = new PrismaClient();\n") is None


def test_init_advises_the_project_whose_client_keeps_the_default(example_project):
    singleton = example_project / SINGLETON
    text = singleton.read_text()
    singleton.write_text(text.replace("timeout: sqliteBusyTimeoutMs()", "fileMustExist: false"))
    result = run_cli("init", "--no-install", "--project", str(example_project))
    assert result.returncode == 0, result.stderr
    assert f"{SINGLETON} opens SQLite with better-sqlite3" in result.stdout


def test_init_is_quiet_about_a_short_busy_wait(example_project):
    result = run_cli("init", "--no-install", "--project", str(example_project))
    assert result.returncode == 0, result.stderr
    assert "opens SQLite with better-sqlite3" not in result.stdout
