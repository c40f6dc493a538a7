"""Detection on the fixture projects of tests/fixtures/projects/: each is a small real app in
the shape of public projects (see its README.md), and its fixture.json says what a person
reading it finds. Detection reads the files only, so these run without installing anything."""

import json
from pathlib import Path

import pytest

from csvimport_scaffold.project import detect_project

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
FIXTURES = sorted(path.parent.name for path in PROJECTS.glob("*/fixture.json"))


def expected(fixture: str) -> dict:
    return json.loads((PROJECTS / fixture / "fixture.json").read_text())["expect"]


def detected(fixture: str) -> dict:
    info = detect_project(PROJECTS / fixture)
    module, auth, ui_kit = info.prisma_module, info.auth, info.ui_kit
    return {
        "appDir": info.app_dir,
        "alias": {"prefix": info.alias_prefix, "target": info.alias_target}
        if info.alias_prefix
        else None,
        "auth": {
            "kind": "none" if auth is None else auth.provider or "own",
            "module": auth and (auth.path or auth.specifier),
            "export": auth and auth.export,
        },
        "localeSegment": info.locale_segment,
        "prismaModule": module and {"path": module.path, "export": module.export},
        "prismaClientImport": info.prisma_client_import,
        "prismaVersion": info.prisma_version,
        "provider": info.prisma.provider if info.prisma else None,
        "zodMajor": info.zod_major,
        "typescript": info.typescript_version,
        "formatter": info.formatter,
        "linter": info.linter,
        "uiKit": {
            "kind": ui_kit.kind,
            "componentsImport": ui_kit.components_import,
            "components": list(ui_kit.components),
        },
    }


@pytest.mark.parametrize("fixture", FIXTURES)
def test_detection_finds_what_the_project_has(fixture: str):
    found = detected(fixture)
    assert found == {key: expected(fixture)[key] for key in found}


@pytest.mark.parametrize("fixture", FIXTURES)
def test_feature_components_go_beside_the_projects_dashboard_pages(fixture: str):
    page = Path(expected(fixture)["dashboardPage"])
    assert detect_project(PROJECTS / fixture).dashboard_dir == page.parent.parent.as_posix()


def test_every_fixture_declares_what_it_expects():
    assert len(FIXTURES) >= 9
    for fixture in FIXTURES:
        assert {"appDir", "alias", "prismaModule", "provider", "auth", "uiKit"} <= set(
            expected(fixture)
        )
