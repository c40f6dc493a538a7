"""`init` + `new` in the fixture projects of tests/fixtures/projects/, each a small real app in
the shape of public projects (its README.md says which): the generated code must pass the
project's own type check, linter and format check with no new finding, and `check` must be
clean right after. The import ledger `init` adds to the schema must pass the fixture's own
`prisma generate`. `init` installs what the project lacks with its own package manager and
records the UI kit the fixture.json expects (shadcn/ui, Tailwind CSS or plain). A fixture
whose fixture.json names a `build` command (those that run for real) is built with it too:
only `next build` sees what a type check cannot (client/server boundaries, CSS).

The fixtures' packages are installed once per machine by tests/install-fixtures.sh (the test
command runs it); each test works on a copy with node_modules hard-linked.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import run_cli

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
CONTACT_FIELDS = [
    "email:email:unique,key,lowercase",
    "fullName:string:max=120",
    "age:int:optional,min=0",
    "joinedOn:date:optional",
    "active:boolean:optional,default=true",
]
FIXTURES = sorted(path.parent.name for path in PROJECTS.glob("*/fixture.json"))
# corepack cannot verify pnpm/yarn signatures through this machine's npm registry mirror.
ENV = {
    **os.environ,
    "CI": "1",
    "NEXT_TELEMETRY_DISABLED": "1",
    "COREPACK_ENABLE_DOWNLOAD_PROMPT": "0",
    "COREPACK_INTEGRITY_KEYS": "0",
    "COREPACK_NPM_REGISTRY": "https://registry.npmjs.org",
}

pytestmark = pytest.mark.matrix


def installed_copy(fixture: str, destination: Path) -> Path:
    source = PROJECTS / fixture
    assert (source / "node_modules" / ".csvimport-lock-sha256").is_file(), (
        f"{fixture} is not installed: run tests/install-fixtures.sh (the test command does)"
    )
    shutil.copytree(
        source, destination, ignore=shutil.ignore_patterns("node_modules", ".next"), symlinks=True
    )
    packages = [str(source / "node_modules"), str(destination / "node_modules")]
    linked = subprocess.run(["cp", "-al", *packages], capture_output=True)
    if linked.returncode != 0:  # another file system: copy them
        shutil.rmtree(destination / "node_modules", ignore_errors=True)
        subprocess.run(["cp", "-a", *packages], check=True)
    return destination


def run_step(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=project, env=ENV, capture_output=True, text=True, timeout=900
    )


@pytest.mark.parametrize("fixture", FIXTURES)
def test_generated_code_passes_the_projects_own_checks(
    fixture: str, tmp_path: Path, csvimport_cache: Path
):
    project = installed_copy(fixture, tmp_path / fixture)
    steps = json.loads((project / "fixture.json").read_text())
    generate = run_step(project, steps["generate"])
    assert generate.returncode == 0, generate.stdout + generate.stderr

    init = run_cli("init", "--project", str(project), env=ENV)
    assert init.returncode == 0, init.stdout + init.stderr
    # the schema now holds the import ledger: the fixture's Prisma must accept it and type it
    schema = json.loads((project / "csvimport.json").read_text())["prismaSchema"]
    assert "// csvimport:ledger:start" in (project / schema).read_text(), init.stdout
    generate = run_step(project, steps["generate"])
    assert generate.returncode == 0, generate.stdout + generate.stderr
    core = yaml.safe_load((project / ".csvimport" / "core.yml").read_text())
    ui_kit = {  # the core records the components only for shadcn/ui
        "kind": core["ui_kit"],
        "componentsImport": core.get("ui_components_import", ""),
        "components": core.get("ui_components", []),
    }
    assert ui_kit == steps["expect"]["uiKit"], init.stdout
    page = steps["expect"]["dashboardPage"]  # a real page without a mount line
    new = run_cli(
        "new", "contact", "--no-check", "--project", str(project), "--mount", page,
        "--fields", *CONTACT_FIELDS,
    )  # fmt: skip
    assert new.returncode == 0, new.stdout + new.stderr
    assert "<ContactImport />" in (project / page).read_text(), new.stdout

    # and a second feature whose fields come from the schema's Contact model
    derived = run_cli(
        "new", "prisma-contact", "--from-prisma", "Contact", "--no-check",
        "--project", str(project), env={**ENV, "CSVIMPORT_CACHE_DIR": str(csvimport_cache)},
    )  # fmt: skip
    assert derived.returncode == 0, derived.stdout + derived.stderr

    for step in ("typecheck", "lint", "formatCheck", "build"):
        if steps.get(step):
            result = run_step(project, steps[step])
            assert result.returncode == 0, f"{step}: {steps[step]}\n{result.stdout}{result.stderr}"
    check = run_cli("check", "--no-typecheck", "--project", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
