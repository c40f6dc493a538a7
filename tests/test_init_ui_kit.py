"""`init` and `doctor` with the project's UI kit: what init finds and records as the core's
answers (ui_kit, ui_components_import, ui_components), the --ui-kit flag, and re-running init."""

import json
import re
from pathlib import Path

import yaml
from test_cli_bad_input import assert_one_line_usage_error
from test_doctor import fixture_copy

from conftest import run_cli, tree_snapshot

SHADCN_FIXTURE = "next16-prisma7-shadcn-sqlite"
TAILWIND_FIXTURE = "next15-tailwind3-sqlite"
CORE_ANSWERS = ".csvimport/core.yml"


def init(project: Path, *flags: str):
    result = run_cli("init", "--no-install", "--project", str(project), *flags)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def ui_answers(project: Path) -> dict:
    answers = yaml.safe_load((project / CORE_ANSWERS).read_text())
    return {key: value for key, value in answers.items() if key.startswith("ui_")}


def test_init_styles_the_importer_with_the_projects_shadcn_components(tmp_path: Path):
    project = fixture_copy(SHADCN_FIXTURE, tmp_path / "app")
    result = init(project)
    assert (
        "found: ui: shadcn/ui from @/components/ui (alert, badge, button, dialog, progress, table)"
        in result.stdout
    )
    assert ui_answers(project) == {
        "ui_kit": "shadcn",
        "ui_components_import": "@/components/ui",
        "ui_components": ["alert", "badge", "button", "dialog", "progress", "table"],
    }


def test_init_in_a_tailwind_project_and_in_a_plain_one(tmp_path: Path, example_project: Path):
    tailwind = fixture_copy(TAILWIND_FIXTURE, tmp_path / "tailwind")
    assert "found: ui: Tailwind CSS (no shadcn/ui)" in init(tailwind).stdout
    assert ui_answers(tailwind) == {"ui_kit": "tailwind"}

    plain = init(example_project)
    assert "found: ui: none: the importer brings its own CSS module" in plain.stdout
    assert ui_answers(example_project) == {"ui_kit": "plain"}


def test_a_components_json_init_cannot_use_is_named_in_a_note(tmp_path: Path):
    project = fixture_copy(SHADCN_FIXTURE, tmp_path / "app")
    (project / "components.json").write_text('{"aliases": {"ui": "@/../../outside"}}')
    result = init(project)
    assert "found: ui: Tailwind CSS (no shadcn/ui)" in result.stdout
    assert (
        "next: components.json not used: aliases.ui '@/../../outside' is outside the project; the "
        "importer is styled as tailwind. Fix it, then run `csvimport init --ui-kit shadcn "
        "--force`" in result.stdout
    )
    assert ui_answers(project) == {"ui_kit": "tailwind"}


def test_the_ui_kit_flag_overrides_detection(tmp_path: Path):
    project = fixture_copy(SHADCN_FIXTURE, tmp_path / "app")
    result = init(project, "--ui-kit", "plain")
    assert "found: ui: none: the importer brings its own CSS module" in result.stdout
    assert ui_answers(project) == {"ui_kit": "plain"}


def test_init_again_keeps_the_recorded_kit_until_the_flag_switches_it(tmp_path: Path):
    project = fixture_copy(SHADCN_FIXTURE, tmp_path / "app")
    init(project)
    (project / "components.json").unlink()  # the project moves off shadcn/ui

    again = init(project)
    assert set(re.findall(r"^  (\w+) +\S", again.stdout, re.M)) == {"identical"}
    assert "found: ui: shadcn/ui from @/components/ui (alert, badge" in again.stdout
    assert (
        "next: the project's UI is now Tailwind CSS (no shadcn/ui); .csvimport/core.yml keeps "
        "shadcn: `csvimport init --ui-kit tailwind --force` switches" in again.stdout
    )
    assert ui_answers(project)["ui_kit"] == "shadcn"

    refused = run_cli("init", "--no-install", "--project", str(project), "--ui-kit", "tailwind")
    # the answers and the importer's look (drawn with the kit) would both change
    assert refused.returncode == 1 and f"({CORE_ANSWERS}, " in refused.stderr
    assert "components/csv-importer/ui/importer-ui.tsx)" in refused.stderr

    switched = init(project, "--ui-kit", "tailwind", "--force")
    assert "found: ui: Tailwind CSS (no shadcn/ui)" in switched.stdout
    assert ui_answers(project) == {"ui_kit": "tailwind"}


def test_init_refuses_ui_answers_edited_into_something_unsafe(tmp_path: Path):
    project = fixture_copy(SHADCN_FIXTURE, tmp_path / "app")
    init(project)
    answers = project / CORE_ANSWERS
    answers.write_text(
        answers.read_text().replace(
            "ui_components_import: '@/components/ui'",
            """ui_components_import: '@/components/ui"; import "evil'""",
        )
    )
    before = tree_snapshot(project)
    result = run_cli("init", "--no-install", "--project", str(project))
    assert_one_line_usage_error(
        result, """.csvimport/core.yml: ui_components_import '@/components/ui"; import "evil'"""
    )
    assert tree_snapshot(project) == before


def test_doctor_shows_the_ui_kit_and_where_it_was_read(tmp_path: Path):
    project = fixture_copy(SHADCN_FIXTURE, tmp_path / "app")
    text = run_cli("doctor", "--project", str(project))
    assert any(
        line.split()[:2] == ["UI", "kit"]
        and "shadcn/ui from @/components/ui (alert, badge, button" in line
        and line.endswith("components.json")
        for line in text.stdout.splitlines()
    ), text.stdout

    (project / "components.json").write_text("{")
    report = json.loads(run_cli("doctor", "--project", str(project), "--format", "json").stdout)
    facts = {fact["name"]: fact for fact in report["facts"]}
    assert facts["UI kit"] == {
        "name": "UI kit",
        "value": "Tailwind CSS (no shadcn/ui); components.json not used: it is not valid JSON",
        "source": "package.json",
    }
