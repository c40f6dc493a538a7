"""Project detection on the real example app and on small hand-made layouts."""

import json
from pathlib import Path

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.project import detect_project, specifier_from

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
    assert info.auth.specifier == "@/src/app/functions/server/auth/auth"
    assert (info.auth.provider, info.auth.export) == (None, "getUserAuthOrThrow")
    assert (info.package_manager, info.formatter, info.linter) == ("npm", "prettier", "eslint")


def test_the_create_next_app_layout_follows_tsconfig_extends():
    info = detect_project(CNA_APP)
    assert (info.app_dir, info.alias_target, info.app_import) == ("src/app", "src", "@/app")
    assert info.dashboard_dir == "src/app/dashboard"
    assert info.prisma.provider == "postgresql"
    assert info.prisma_module.specifier == "@/lib/prisma"
    assert info.log_module is None and info.auth is None


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


def test_without_an_alias_local_modules_are_recorded_from_the_project_root(tmp_path: Path):
    root = make_project(
        tmp_path,
        {
            "tsconfig.json": '{"compilerOptions": {"paths": {"#/*": ["./lib/*"]}}}',
            "src/lib/log.ts": "export const log = console;\n",
        },
    )
    info = detect_project(root)
    assert (info.alias_prefix, info.alias_target) == ("", ".")
    assert info.app_import == "./src/app"
    assert info.log_module.specifier == "./src/lib/log"


@pytest.mark.parametrize(
    ("specifier", "importing_dir", "expected"),
    [
        ("./lib/db", "app/api/users", "../../../lib/db"),
        ("./app/components/x", "app/dashboard", "../components/x"),
        ("./app/dashboard/users/users-import", "app/dashboard", "./users/users-import"),
        ("./lib/db", "", "./lib/db"),
        ("@/lib/db", "app/api", "@/lib/db"),
        ("next-auth", "app", "next-auth"),
    ],
)
def test_root_relative_specifiers_become_relative_to_the_importing_file(
    specifier, importing_dir, expected
):
    assert specifier_from(specifier, importing_dir) == expected


@pytest.mark.parametrize(
    ("folders", "dashboard"),
    [
        ([], "src/app/dashboard"),
        (["src/app/dashboard"], "src/app/dashboard"),
        (["src/app/(app)/settings"], "src/app/(app)"),
        (["src/app/(marketing)/about", "src/app/(dashboard)/reports"], "src/app/(dashboard)"),
        (["src/app/(shell)/dashboard"], "src/app/(shell)/dashboard"),
        (["src/app/[locale]/(dashboard)/reports"], "src/app/[locale]/(dashboard)"),
        (["src/app/[lang]/dashboard"], "src/app/[lang]/dashboard"),
    ],
)
def test_feature_components_go_to_the_dashboard_the_project_has(
    tmp_path: Path, folders: list[str], dashboard: str
):
    root = make_project(tmp_path, {f"{folder}/page.tsx": "" for folder in folders})
    for segment in ("[locale]", "[lang]"):
        if (root / "src/app" / segment).is_dir():
            (root / "src/app" / segment / "layout.tsx").write_text("")
    assert detect_project(root).dashboard_dir == dashboard


@pytest.mark.parametrize(
    ("dependencies", "files", "expected"),
    [
        ({}, {}, None),
        (
            {"next-auth": "^4.24.7"},
            {"src/server/auth.ts": "export const authOptions: NextAuthOptions = {};"},
            ("next-auth-v4", "~/server/auth", "authOptions"),
        ),
        (
            {"next-auth": "5.0.0-beta.25"},
            {"src/auth.ts": "export const { auth, handlers } = NextAuth({});"},
            ("authjs-v5", "~/auth", "auth"),
        ),
        ({"@clerk/nextjs": "^6.9.0"}, {}, ("clerk", "@clerk/nextjs/server", "auth")),
        ({"@clerk/nextjs": "5.7.5"}, {}, ("clerk-v5", "@clerk/nextjs/server", "auth")),
        (
            {"@clerk/nextjs": "^6.9.0"},
            {"src/lib/session.ts": "export async function requireUser() {}"},
            (None, "~/lib/session", "requireUser"),
        ),
    ],
)
def test_auth_is_the_projects_own_helper_else_a_library_csvimport_adapts(
    tmp_path: Path, dependencies: dict, files: dict, expected
):
    package = {"dependencies": {"next": "15.1.0", **dependencies}}
    root = make_project(
        tmp_path,
        {
            "package.json": json.dumps(package),
            "tsconfig.json": '{"compilerOptions": {"paths": {"~/*": ["./src/*"]}}}',
            **files,
        },
    )
    auth = detect_project(root).auth
    assert (auth and (auth.provider, auth.specifier, auth.export)) == expected
