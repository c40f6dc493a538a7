"""Project detection on the real example app and on small hand-made layouts."""

import json
from pathlib import Path

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.project import detect_project

from conftest import CNA_APP, EXAMPLE_APP


def make_project(root: Path, files: dict[str, str]) -> Path:
    defaults = {
        "package.json": json.dumps({"dependencies": {"next": "16.4.6", "zod": "^3.23.0"}}),
        "tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
        "src/app/page.tsx": "export default function Page() { return null; }\n",
    }
    for relative, text in {**defaults, **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_seed_layout_of_the_example_app():
    info = detect_project(EXAMPLE_APP)
    assert (info.app_dir, info.alias_prefix, info.alias_target) == ("src/app", "@/", ".")
    assert info.app_import == "@/src/app"
    assert info.dashboard_dir == "src/app/[lang]/dashboard"
    assert info.prisma.provider == "sqlite"
    assert info.prisma_module.specifier == "@/src/app/misc/singletons/prisma"
    assert info.log_module.specifier == "@/src/app/functions/log"
    assert info.auth_module.specifier == "@/src/app/functions/server/auth/auth"
    assert (info.package_manager, info.formatter, info.linter) == ("npm", "prettier", "eslint")


def test_the_create_next_app_layout_follows_tsconfig_extends():
    info = detect_project(CNA_APP)
    assert (info.app_dir, info.alias_target, info.app_import) == ("src/app", "src", "@/app")
    assert info.dashboard_dir == "src/app/dashboard"
    assert info.prisma.provider == "postgresql"
    assert info.prisma_module.specifier == "@/lib/prisma"
    assert info.log_module is None and info.auth_module is None


def test_jsonc_comments_trailing_commas_and_extends_with_paths(tmp_path: Path):
    root = make_project(
        tmp_path,
        {
            "tsconfig.base.json": (
                '{\n // base\n "compilerOptions": { "paths": { "~/*": ["./src/*"], }, },\n}'
            ),
            "tsconfig.json": (
                '/* app */ { "extends": "./tsconfig.base.json", '
                '"compilerOptions": { "strict": true, } }'
            ),
        },
    )
    info = detect_project(root)
    assert (info.alias_prefix, info.alias_target, info.app_import) == ("~/", "src", "~/app")


def test_app_dir_without_src_and_package_manager_from_lockfile(tmp_path: Path):
    root = make_project(
        tmp_path,
        {
            "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./*"]}}}',
            "app/page.tsx": "",
            "pnpm-lock.yaml": "",
        },
    )
    (root / "src/app/page.tsx").unlink()
    (root / "src/app").rmdir()
    info = detect_project(root)
    assert (info.app_dir, info.app_import, info.package_manager, info.zod_major) == (
        "app",
        "@/app",
        "pnpm",
        3,
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"package.json": "{}"}, "is not a Next.js app"),
        ({"package.json": "{not json"}, "package.json is not valid JSON"),
        (
            {"tsconfig.json": '{"compilerOptions": {"paths": {"#/*": ["./lib/*"]}}}'},
            "no import alias in tsconfig.json reaches src/app",
        ),
        ({"tsconfig.json": '{"extends": "./missing.json"}'}, "extends './missing.json' not found"),
        ({"tsconfig.json": "[1, 2]"}, "must hold a JSON object"),
    ],
)
def test_projects_csvimport_cannot_work_with(tmp_path: Path, files, message):
    root = make_project(tmp_path, files)
    with pytest.raises(UsageError, match=message):
        detect_project(root)


def test_a_missing_directory_is_reported(tmp_path: Path):
    with pytest.raises(UsageError, match="project directory not found"):
        detect_project(tmp_path / "nope")
