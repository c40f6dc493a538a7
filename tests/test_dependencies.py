"""The packages the generated code imports: what a project lacks, in versions that suit it,
added with its own package manager."""

import json
from pathlib import Path

import pytest

from csvimport_scaffold.dependencies import plan_install, zod_major_for
from csvimport_scaffold.project import pins_exact_versions

from conftest import CNA_APP, copy_project, run_cli

EVERYTHING = frozenset(
    {"zod", "papaparse", "eventsource-parser", "server-only", "@types/papaparse"}
)


def test_nothing_is_installed_that_the_project_declares():
    assert plan_install("npm", EVERYTHING, 4, "5.9.3") is None
    partial = plan_install("npm", EVERYTHING - {"server-only"}, 3, "5.4.5")
    assert partial.shell_command() == "npm install 'server-only@^0.0.1'"


@pytest.mark.parametrize(
    ("manager", "command"),
    [
        ("npm", "npm install 'zod@^4.1.0' && npm install --save-dev '@types/papaparse@^5.3.14'"),
        ("pnpm", "pnpm add 'zod@^4.1.0' && pnpm add --save-dev '@types/papaparse@^5.3.14'"),
        ("yarn", "yarn add 'zod@^4.1.0' && yarn add --dev '@types/papaparse@^5.3.14'"),
        ("bun", "bun add 'zod@^4.1.0' && bun add --dev '@types/papaparse@^5.3.14'"),
    ],
)
def test_each_package_manager_adds_with_its_own_words(manager: str, command: str):
    declared = EVERYTHING - {"zod", "@types/papaparse"}
    assert plan_install(manager, declared, None, "5.9.3").shell_command() == command


def test_a_package_manager_pinned_in_package_json_runs_through_corepack():
    plan = plan_install("pnpm", EVERYTHING - {"zod"}, 3, "5.5.4", pinned_by_package_json=True)
    assert plan.shell_command() == "corepack pnpm add 'zod@^3.23.8'"


@pytest.mark.parametrize(
    ("manager", "command"),
    [
        ("npm", "npm install --save-exact 'zod@^3.23.8'"),
        ("pnpm", "pnpm add --save-exact 'zod@^3.23.8'"),
        ("yarn", "yarn add --exact 'zod@^3.23.8'"),
        ("bun", "bun add --exact 'zod@^3.23.8'"),
    ],
)
def test_a_project_that_pins_exact_versions_gets_exact_versions(manager: str, command: str):
    plan = plan_install(manager, EVERYTHING - {"zod"}, 3, "5.5.4", exact=True)
    assert plan.shell_command() == command


@pytest.mark.parametrize(
    ("dependencies", "exact"),
    [
        ({"next": "15.5.29", "react": "19.3.1", "@types/node": "22.10.0-beta.1"}, True),
        ({"next": "15.5.29", "react": "^19.3.1"}, False),
        ({"next": "~15.5.29"}, False),
        ({}, False),
    ],
)
def test_exact_pinning_is_read_from_package_json(dependencies: dict, exact: bool):
    assert pins_exact_versions({"dependencies": dependencies}) is exact


@pytest.mark.parametrize(
    ("installed", "typescript", "major"),
    [(3, "5.9.3", 3), (4, "4.9.5", 4), (None, "5.5.0", 4), (None, "5.4.5", 3), (None, None, 3)],
)
def test_zod_is_the_projects_else_the_newest_its_typescript_takes(installed, typescript, major):
    assert zod_major_for(installed, typescript) == major


@pytest.mark.node
def test_init_adds_the_missing_packages_with_npm(tmp_path: Path):
    """create-next-app pins exact versions: so are the packages init adds."""
    project = copy_project(CNA_APP, tmp_path / "cna")
    result = run_cli("init", "--project", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "installed: npm install --save-exact 'zod@^4.1.0'" in result.stdout
    package = json.loads((project / "package.json").read_text())
    for name in ("zod", "papaparse", "eventsource-parser", "server-only"):
        assert pins_exact_versions({"dependencies": {name: package["dependencies"][name]}})
        assert (project / "node_modules" / name / "package.json").is_file()
    assert "@types/papaparse" in package["devDependencies"]
    assert (project / "package-lock.json").is_file()
