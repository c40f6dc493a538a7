"""UI kit detection: the project's shadcn/ui components (components.json), else Tailwind CSS,
else plain; components.json is untrusted input, so whatever it holds, detection neither fails
nor lets an unchecked import specifier through to the generated code."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csvimport_scaffold.naming import IMPORT_SPECIFIER
from csvimport_scaffold.project import detect_project, specifier_for
from csvimport_scaffold.ui_kit_detection import (
    KNOWN_COMPONENTS,
    UI_KITS,
    UiKit,
    decide_ui_kit,
)

SHADCN_ALIASES = {
    "components": "@/components",
    "utils": "@/lib/utils",
    "ui": "@/components/ui",
    "lib": "@/lib",
    "hooks": "@/hooks",
}


def make_project(
    root: Path,
    *,
    dev_dependencies: dict[str, str] | None = None,
    paths: dict[str, list[str]] | None = None,
    components_json: dict | str | None = None,
    files: tuple[str, ...] = (),
    app_dir: str = "src/app",
) -> Path:
    """A small Next.js project: package.json, tsconfig.json (with `paths`), an app page, the
    given empty files, and components.json (a dict is written as JSON, a str as is)."""
    package = {"dependencies": {"next": "16.4.6"}, "devDependencies": dev_dependencies or {}}
    tsconfig = {"compilerOptions": {"paths": {"@/*": ["./src/*"]} if paths is None else paths}}
    texts = {
        "package.json": json.dumps(package),
        "tsconfig.json": json.dumps(tsconfig),
        f"{app_dir}/page.tsx": "export default function Page() { return null; }\n",
        **dict.fromkeys(files, ""),
    }
    if components_json is not None:
        texts["components.json"] = (
            components_json if isinstance(components_json, str) else json.dumps(components_json)
        )
    for relative, text in texts.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def ui_files(folder: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{folder}/{name}" for name in names)


def test_shadcn_components_through_the_tsconfig_alias(tmp_path: Path):
    root = make_project(
        tmp_path,
        dev_dependencies={"tailwindcss": "^4.1.0", "@tailwindcss/postcss": "^4.1.0"},
        components_json={"style": "new-york", "aliases": SHADCN_ALIASES},
        files=ui_files(
            "src/components/ui",
            "table.tsx", "button.tsx", "dialog.tsx", "progress.tsx",
            "sidebar.tsx",  # a shadcn component the importer does not use
            "use-toast.ts",  # not a component file
        ),
    )  # fmt: skip
    assert detect_project(root).ui_kit == UiKit(
        "shadcn", "@/components/ui", ("button", "dialog", "progress", "table"), "components.json"
    )


def test_the_ui_folder_follows_aliases_components_when_aliases_ui_is_missing(tmp_path: Path):
    root = make_project(
        tmp_path,
        paths={"~/*": ["./src/*"]},
        components_json={"aliases": {"components": "~/components", "utils": "~/lib/utils"}},
        files=ui_files("src/components/ui", "alert.tsx", "badge.tsx"),
    )
    kit = detect_project(root).ui_kit
    assert (kit.kind, kit.components_import, kit.components) == (
        "shadcn",
        "~/components/ui",
        ("alert", "badge"),
    )


def test_a_second_alias_of_the_project_is_resolved_and_recorded_through_its_main_alias(
    tmp_path: Path,
):
    root = make_project(
        tmp_path,
        paths={"@/*": ["./src/*"], "@components/*": ["./src/components/*"]},
        components_json={"aliases": {"ui": "@components/ui"}},
        files=ui_files("src/components/ui", "button.tsx"),
    )
    assert detect_project(root).ui_kit.components_import == "@/components/ui"


@pytest.mark.parametrize(
    ("paths", "ui_alias", "expected"),
    [
        # `@/*` maps to src/, which does not hold the app: the project has no import alias
        ({"@/*": ["./src/*"]}, "@/components/ui", "./src/components/ui"),
        # no tsconfig paths at all, and components.json names the folder from the root
        ({}, "./src/components/ui", "./src/components/ui"),
    ],
)
def test_without_a_project_alias_the_folder_is_recorded_from_the_project_root(
    tmp_path: Path, paths: dict, ui_alias: str, expected: str
):
    root = make_project(
        tmp_path,
        paths=paths,
        app_dir="app",
        components_json={"aliases": {"ui": ui_alias}},
        files=ui_files("src/components/ui", "progress.tsx"),
    )
    info = detect_project(root)
    assert info.alias_prefix == ""
    assert (info.ui_kit.kind, info.ui_kit.components_import) == ("shadcn", expected)


@pytest.mark.parametrize(
    ("components_json", "reason"),
    [
        ("{ not json", "it is not valid JSON"),
        ("", "it is not valid JSON"),
        ('["@/components/ui"]', "it has no `aliases` object"),
        ({"aliases": "@/components"}, "it has no `aliases` object"),
        ({"aliases": {"ui": 42}}, "it names no ui folder"),
        ({"aliases": {"ui": ["@/components/ui"]}}, "it names no ui folder"),
        (
            {"aliases": {"ui": '@/components/ui"; import "evil'}},
            """aliases.ui '@/components/ui"; import "evil' is not an import specifier""",
        ),
        ({"aliases": {"ui": "@/components/ui\n"}}, "is not an import specifier"),
        ({"aliases": {"ui": "#ui/components"}}, "aliases.ui '#ui/components' matches no tsconfig"),
        ({"aliases": {"ui": "@/../../etc"}}, "aliases.ui '@/../../etc' is outside the project"),
        ({"aliases": {"ui": "@/.."}}, "names the project root"),
        ({"aliases": {"ui": "@/widgets"}}, "its ui folder src/widgets is missing"),
        ({"aliases": {"ui": "@/components/ui/button.tsx"}}, "is missing"),  # a file
    ],
)
def test_a_components_json_that_cannot_be_used_falls_back_and_says_why(
    tmp_path: Path, components_json, reason: str
):
    root = make_project(
        tmp_path,
        dev_dependencies={"tailwindcss": "^3.4.0"},
        components_json=components_json,
        files=ui_files("src/components/ui", "button.tsx"),
    )
    kit = detect_project(root).ui_kit
    assert (kit.kind, kit.components_import, kit.components) == ("tailwind", "", ())
    assert kit.fallback_reason.startswith("components.json not used: ")
    assert reason in kit.fallback_reason


def test_without_tailwind_a_components_json_that_cannot_be_used_falls_back_to_plain(
    tmp_path: Path,
):
    root = make_project(tmp_path, components_json="{")
    kit = detect_project(root).ui_kit
    assert (kit.kind, kit.fallback_reason) == (
        "plain",
        "components.json not used: it is not valid JSON",
    )


def test_a_ui_folder_that_is_a_symlink_out_of_the_project_is_not_used(tmp_path: Path):
    outside = tmp_path / "elsewhere"
    (outside / "ui").mkdir(parents=True)
    (outside / "ui" / "button.tsx").write_text("")
    root = make_project(
        tmp_path / "app", components_json={"aliases": SHADCN_ALIASES}, files=("src/lib/x.ts",)
    )
    (root / "src/components").mkdir()
    (root / "src/components/ui").symlink_to(outside / "ui", target_is_directory=True)
    kit = detect_project(root).ui_kit
    assert (kit.kind, kit.fallback_reason) == (
        "plain",
        "components.json not used: its ui folder src/components/ui is missing "
        "(npx shadcn add button makes it)",
    )


@pytest.mark.parametrize(
    "dev_dependencies",
    [
        {"tailwindcss": "^3.4.17", "postcss": "^8", "autoprefixer": "^10"},  # Tailwind v3
        {"@tailwindcss/postcss": "^4.1.0"},  # Tailwind v4 (tailwindcss comes with it)
        {"tailwindcss": "^4.1.0", "@tailwindcss/postcss": "^4.1.0"},  # v4 as create-next-app
    ],
)
def test_tailwind_is_a_dependency_on_its_postcss_plugin(tmp_path: Path, dev_dependencies):
    root = make_project(tmp_path, dev_dependencies=dev_dependencies)
    assert detect_project(root).ui_kit == UiKit("tailwind", "", (), "package.json")


def test_a_project_without_tailwind_or_shadcn_is_plain(tmp_path: Path):
    root = make_project(tmp_path, dev_dependencies={"sass": "^1.80.0"})
    kit = detect_project(root).ui_kit
    assert kit == UiKit("plain", "", (), None)
    assert kit.answers() == {"ui_kit": "plain", "ui_components_import": "", "ui_components": []}


def test_the_answers_of_a_shadcn_kit_list_its_components():
    kit = UiKit("shadcn", "@/components/ui", ("button", "dialog"), "components.json")
    assert kit.answers() == {
        "ui_kit": "shadcn",
        "ui_components_import": "@/components/ui",
        "ui_components": ["button", "dialog"],
    }
    assert kit.description == "shadcn/ui from @/components/ui (button, dialog)"


# Whatever components.json holds: any JSON value, or aliases of any text.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
ALIAS_TEXT = st.one_of(
    st.text(),
    st.builds(
        lambda head, tail: head + tail, st.sampled_from(["@/", "~/", "./", "@/../"]), st.text()
    ),
    JSON_VALUES,
)
COMPONENTS_JSON = st.one_of(
    JSON_VALUES.map(json.dumps),
    st.fixed_dictionaries({"aliases": st.fixed_dictionaries({"ui": ALIAS_TEXT})}).map(json.dumps),
    st.fixed_dictionaries({"aliases": st.fixed_dictionaries({"components": ALIAS_TEXT})}).map(
        json.dumps
    ),
    st.text(),
)
FOLDER_FILES = st.none() | st.lists(
    st.sampled_from(KNOWN_COMPONENTS) | st.text(max_size=12), max_size=8
)


@given(components_json=COMPONENTS_JSON, files=FOLDER_FILES, has_alias=st.booleans())
def test_any_components_json_gives_a_kit_with_only_checked_values(
    components_json: str, files: list[str] | None, has_alias: bool
):
    asked: list[str] = []

    def list_components(folder: str) -> list[str] | None:
        asked.append(folder)
        return files

    prefix, target = ("@/", "src") if has_alias else ("", ".")
    kit = decide_ui_kit(
        components_json,
        {"next", "tailwindcss"},
        {"@/": "src", "~/": "."},
        lambda folder: specifier_for(folder, prefix, target),
        list_components,
    )
    assert kit.kind in UI_KITS
    assert set(kit.components) <= set(KNOWN_COMPONENTS)
    assert list(kit.components) == sorted(set(kit.components))
    if kit.kind == "shadcn":
        assert IMPORT_SPECIFIER.fullmatch(kit.components_import)
        assert kit.fallback_reason is None
    else:
        assert (kit.components_import, kit.components) == ("", ())
        assert kit.kind == "tailwind" and kit.fallback_reason
    for folder in asked:  # only folders inside the project are ever looked at
        assert not (folder.startswith(("/", "../")) or folder in ("..", "."))
