"""`csvimport doctor`: what detection finds in a project and where, what `init` would add, and
what stops it; and how `init` settles what it cannot find (a question, a flag, an error)."""

import json
import shutil
from pathlib import Path

import pexpect
from test_interactive import spawn

from conftest import run_cli, tree_snapshot

PROJECTS = Path(__file__).parent / "fixtures" / "projects"


def fixture_copy(name: str, destination: Path) -> Path:
    return Path(
        shutil.copytree(
            PROJECTS / name, destination, ignore=shutil.ignore_patterns("node_modules", ".next")
        )
    )


def test_doctor_shows_each_fact_with_the_file_it_came_from(tmp_path: Path):
    project = fixture_copy("next14-prisma5-pnpm-nextauth4", tmp_path / "app")
    before = tree_snapshot(project)
    result = run_cli("doctor", "--project", str(project))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(
        "auth" in line and "next-auth v4 (authOptions" in line and "src/server/auth.ts" in line
        for line in lines
    )
    assert any("import alias" in line and "~/* -> src/*" in line for line in lines)
    assert any("Prisma client instance" in line and "src/server/db.ts" in line for line in lines)
    assert "init adds: packages: corepack pnpm add" in result.stdout
    assert "ready for csvimport init" in result.stdout
    assert tree_snapshot(project) == before


def test_doctor_json_for_scripts(tmp_path: Path):
    project = fixture_copy("next13-ts47-noalias-default-db", tmp_path / "app")
    result = run_cli("doctor", "--project", str(project), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    facts = {fact["name"]: fact for fact in report["facts"]}
    assert facts["import alias"]["value"] == "none (relative imports)"
    assert facts["Prisma client instance"] == {
        "name": "Prisma client instance",
        "value": "default (./lib/db)",
        "source": "lib/db.ts",
    }
    assert facts["package manager"]["source"] == "package-lock.json"
    assert report["problems"] == [] and report["initialized"] is False


def prisma7_without_client(tmp_path: Path) -> Path:
    """A Prisma 7 project whose client module detection cannot recognise: it is made by a
    factory, not with `new PrismaClient`, so `init` needs to be told where it is."""
    project = fixture_copy("next16-prisma7-pg-tabs", tmp_path / "app")
    (project / "src/lib/prisma.ts").unlink()
    (project / "src/server").mkdir()
    (project / "src/server/database.ts").write_text(
        'import { connect } from "./connect";\n\nexport const db = connect();\n'
    )
    return project


def test_doctor_names_what_stops_init(tmp_path: Path):
    project = prisma7_without_client(tmp_path)
    result = run_cli("doctor", "--project", str(project))
    assert result.returncode == 1
    assert "problem: no module exports a PrismaClient instance" in result.stdout
    assert "--prisma-import" in result.stdout


def test_init_asks_on_a_terminal_for_the_client_it_cannot_find(tmp_path: Path):
    project = prisma7_without_client(tmp_path)
    child = spawn("init", "--no-install", cwd=project)
    child.expect("Import specifier of the module that exports it")
    child.sendline('@/lib/db"')
    child.expect("is not an import specifier")
    child.expect("Import specifier of the module that exports it")
    child.sendline("@/server/database")
    child.expect("Its export")
    child.sendline("db")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    config = json.loads((project / "csvimport.json").read_text())
    assert (config["prismaImport"], config["prismaExport"]) == ("@/server/database", "db")


def test_init_takes_the_client_from_flags_else_names_them(tmp_path: Path):
    project = prisma7_without_client(tmp_path)
    refused = run_cli("init", "--no-install", "--project", str(project))
    assert refused.returncode == 2 and "--prisma-import" in refused.stderr
    assert not (project / "csvimport.json").exists()

    given = run_cli(
        "init", "--no-install", "--project", str(project),
        "--prisma-import", "@/server/database", "--prisma-export", "db",
    )  # fmt: skip
    assert given.returncode == 0, given.stderr
    config = json.loads((project / "csvimport.json").read_text())
    assert (config["prismaImport"], config["prismaExport"]) == ("@/server/database", "db")


def test_init_says_which_auth_it_found_and_what_it_wrote(tmp_path: Path):
    project = fixture_copy("next15-prisma6-output-authjs5", tmp_path / "app")
    result = run_cli("init", "--no-install", "--project", str(project))
    assert result.returncode == 0, result.stderr
    assert "found: auth: Auth.js v5 (auth from src/auth.ts)" in result.stdout
    adapter = (project / "src/app/functions/server/auth/auth.ts").read_text()
    assert 'from "@/auth"' in adapter and "await auth()" in adapter


def schema_moved(tmp_path: Path) -> Path:
    project = fixture_copy("next14-prisma5-sqlite-npm", tmp_path / "app")
    (project / "db").mkdir()
    (project / "prisma/schema.prisma").rename(project / "db/main.prisma")
    return project


def test_a_schema_init_cannot_find_is_asked_for_else_named_by_flag(tmp_path: Path):
    project = schema_moved(tmp_path)
    refused = run_cli("init", "--no-install", "--project", str(project))
    assert refused.returncode == 2 and "--prisma-schema PATH" in refused.stderr

    child = spawn("init", "--no-install", cwd=project)
    child.expect("Path of your schema.prisma")
    child.sendline("db/nope.prisma")
    child.expect("no .prisma file or folder of them in the project")
    child.expect("Path of your schema.prisma")
    child.sendline("db/main.prisma")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert json.loads((project / "csvimport.json").read_text())["prismaSchema"] == "db/main.prisma"


def test_the_schema_flag_must_name_a_schema_inside_the_project(tmp_path: Path):
    project = schema_moved(tmp_path)
    outside = run_cli(
        "init", "--no-install", "--project", str(project), "--prisma-schema", "../x.prisma"
    )
    assert outside.returncode == 2 and "no .prisma file" in outside.stderr
    given = run_cli(
        "init", "--no-install", "--project", str(project), "--prisma-schema", "db/main.prisma"
    )
    assert given.returncode == 0, given.stderr
    assert json.loads((project / "csvimport.json").read_text())["prismaSchema"] == "db/main.prisma"
