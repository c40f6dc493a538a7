"""The importer drawn with the project's own UI kit, in Chromium (issue 9, item 1): the shadcn/ui
fixture and the Tailwind fixture are set up as their developers would (`csvimport init`, which
finds the kit, `csvimport new contact --mount` on their dashboard page), built and served on a
SQLite file; tests/browser/kit-screenshots.test.ts then walks through every step, checks it with
axe-core and saves it in light and dark mode under tests/browser/screenshots/<kit>/.

The browser test runs with the example app's node_modules (playwright-core, tsx, axe-core): the
fixtures do not carry test tools.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_fixture_runtime import SqliteContacts, indent_unit, wire_bearer_token_auth

from conftest import REPO, run_cli
from running_app import build_app, next_start
from test_fixture_matrix import CONTACT_FIELDS, ENV, installed_copy, run_step

pytestmark = pytest.mark.matrix

KIT_FIXTURES = {"next16-prisma7-shadcn-sqlite": "shadcn", "next15-tailwind3-sqlite": "tailwind"}
BROWSER_TESTS = REPO / "tests" / "browser"
EXAMPLE_NODE_MODULES = REPO / "examples" / "nextjs-app" / "node_modules"
TOKEN = "kit-screenshots-token"


def page_path(dashboard_page: str, app_dir: str) -> str:
    """The URL path of a page file: `src/app/(dashboard)/contacts/page.tsx` -> `/contacts`."""
    folder = Path(dashboard_page).parent.relative_to(app_dir)
    parts = [part for part in folder.parts if not re.fullmatch(r"\(.*\)", part)]
    return "/" + "/".join(parts)


def test_page_paths_drop_the_app_dir_and_route_groups():
    assert page_path("src/app/(dashboard)/contacts/page.tsx", "src/app") == "/contacts"
    assert page_path("src/app/dashboard/contacts/page.tsx", "src/app") == "/dashboard/contacts"


@pytest.mark.parametrize("fixture", list(KIT_FIXTURES))
def test_every_step_in_the_projects_ui_kit(fixture: str, tmp_path: Path):
    project = installed_copy(fixture, tmp_path / fixture)
    steps = json.loads((project / "fixture.json").read_text())
    expect = steps["expect"]
    generate = run_step(project, steps["generate"])
    assert generate.returncode == 0, generate.stdout + generate.stderr

    init = run_cli("init", "--project", str(project), env=ENV)
    assert init.returncode == 0, init.stdout + init.stderr
    assert f"found: ui: {'shadcn/ui' if KIT_FIXTURES[fixture] == 'shadcn' else 'Tailwind'}" in (
        init.stdout
    ), init.stdout
    new = run_cli(
        "new", "contact", "--no-check", "--project", str(project),
        "--mount", expect["dashboardPage"], "--fields", *CONTACT_FIELDS,
    )  # fmt: skip
    assert new.returncode == 0, new.stdout + new.stderr
    wire_bearer_token_auth(
        project / expect["appDir"] / "functions/server/auth/auth.ts", indent_unit(project)
    )
    database = SqliteContacts.create(tmp_path / "contacts.db", project)
    env = {"DATABASE_URL": database.url, "IMPORT_API_TOKEN": TOKEN}
    build_app(project, env)

    # The browser test runs from a folder of its own with the example's node_modules.
    runner = tmp_path / "runner"
    shutil.copytree(BROWSER_TESTS, runner, ignore=shutil.ignore_patterns("screenshots"))
    (runner / "node_modules").symlink_to(EXAMPLE_NODE_MODULES)
    with next_start(project, tmp_path / "server.log", env) as base_url:
        result = subprocess.run(
            ["node", "--import", "tsx", "--test", "--test-reporter=spec",
             "kit-screenshots.test.ts"],
            cwd=runner, capture_output=True, text=True, timeout=600,
            env={
                **os.environ,
                "BASE_URL": base_url,
                "PAGE_PATH": page_path(expect["dashboardPage"], expect["appDir"]),
                "DATABASE_PATH": str(tmp_path / "contacts.db"),
                "SERVER_LOG": str(tmp_path / "server.log"),
                "DOWNLOAD_DIR": str(tmp_path),
                "SCREENSHOT_DIR": str(BROWSER_TESTS / "screenshots" / KIT_FIXTURES[fixture]),
                "AUTH_TOKEN": TOKEN,
                "NO_COLOR": "1",
            },
        )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"kit-screenshots.test.ts failed:\n{output}"
    assert re.search(r"^\S+ pass 1$", output, re.MULTILINE), output
