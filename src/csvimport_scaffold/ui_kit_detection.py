"""Find how the project styles its UI, so the importer's UI looks like the rest of it: the
project's shadcn/ui components, Tailwind CSS classes, or (plain) a CSS module of its own.

shadcn/ui is recognised by its `components.json`. That file is untrusted input whose aliases
end up in generated import lines, so only an alias that is an import specifier and resolves,
through the project's tsconfig aliases, to a folder inside the project is used; anything else
falls back to Tailwind or plain, and `UiKit.fallback_reason` says why.
"""

import json
import posixpath
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import UsageError
from .naming import IMPORT_SPECIFIER

# The core template's `ui_kit` choices (templates/copier.yml).
UI_KITS = ("plain", "tailwind", "shadcn")
SHADCN_CONFIG = "components.json"
# Tailwind v3's PostCSS plugin is `tailwindcss` itself; v4 moved it to `@tailwindcss/postcss`.
TAILWIND_PACKAGES = ("tailwindcss", "@tailwindcss/postcss")
# The shadcn/ui components the importer's UI may use, by their file name in the ui folder.
KNOWN_COMPONENTS = (
    "alert",
    "badge",
    "button",
    "card",
    "dialog",
    "input",
    "label",
    "progress",
    "select",
    "table",
)
# The core answers that carry the UI kit (templates/copier.yml).
UI_KIT_ANSWERS = ("ui_kit", "ui_components_import", "ui_components")


@dataclass(frozen=True)
class UiKit:
    kind: str  # one of UI_KITS
    components_import: str  # import specifier of the shadcn/ui folder; "" unless shadcn
    components: tuple[str, ...]  # KNOWN_COMPONENTS found in that folder, sorted; () unless shadcn
    source: str | None  # what says so: components.json, package.json, a flag; None for plain
    fallback_reason: str | None = None  # why components.json is not used (None: it is, or none)

    def answers(self) -> dict[str, Any]:
        """The core template's answers for this kit."""
        values = (self.kind, self.components_import, list(self.components))
        return dict(zip(UI_KIT_ANSWERS, values, strict=True))

    @property
    def description(self) -> str:
        if self.kind == "shadcn":
            listed = ", ".join(self.components) or "none of the components the importer uses"
            return f"shadcn/ui from {self.components_import} ({listed})"
        if self.kind == "tailwind":
            return "Tailwind CSS (no shadcn/ui)"
        return "none: the importer brings its own CSS module"


# A project folder's `.tsx` file stems, or None when it is not a folder inside the project.
ListComponents = Callable[[str], list[str] | None]


def decide_ui_kit(
    components_json: str | None,
    dependencies: Collection[str],
    path_aliases: Mapping[str, str],
    specifier_for: Callable[[str], str],
    list_components: ListComponents,
) -> UiKit:
    """The UI kit, from the text of components.json (None: the project has none), the
    package.json (dev)dependencies, tsconfig's aliases (`@/` -> `src`), how the project writes a
    folder's import specifier, and `list_components(folder)`."""
    uses_tailwind = any(name in dependencies for name in TAILWIND_PACKAGES)
    without_shadcn = (
        UiKit("tailwind", "", (), "package.json") if uses_tailwind else UiKit("plain", "", (), None)
    )
    if components_json is None:
        return without_shadcn
    folder, problem = _ui_folder(components_json, path_aliases)
    if folder is not None:
        found = list_components(folder)
        specifier = _project_specifier(folder, specifier_for)
        if found is None:
            problem = f"its ui folder {folder} is missing (npx shadcn add button makes it)"
        elif specifier is None:
            problem = f"its ui folder {folder} has no import specifier in this project"
        else:
            components = tuple(sorted(set(found) & set(KNOWN_COMPONENTS)))
            return UiKit("shadcn", specifier, components, SHADCN_CONFIG)
    return replace(without_shadcn, fallback_reason=f"{SHADCN_CONFIG} not used: {problem}")


def _ui_folder(
    components_json: str, path_aliases: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """The project folder components.json's ui alias names, or None and why not."""
    try:
        config = json.loads(components_json)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python parses
        return None, "it is not valid JSON"
    aliases = config.get("aliases") if isinstance(config, dict) else None
    if not isinstance(aliases, dict):
        return None, "it has no `aliases` object"
    alias, key = aliases.get("ui"), "aliases.ui"
    if alias is None and isinstance(aliases.get("components"), str):
        alias, key = f"{aliases['components']}/ui", "aliases.components + /ui"
    if not isinstance(alias, str):
        return None, "it names no ui folder (aliases.ui or aliases.components)"
    if not IMPORT_SPECIFIER.fullmatch(alias):
        return None, f"{key} {alias!r} is not an import specifier"
    folder = _resolve(alias, path_aliases)
    if folder is None:
        return None, f"{key} {alias!r} matches no tsconfig alias"
    if folder == ".." or folder.startswith("../") or posixpath.isabs(folder):
        return None, f"{key} {alias!r} is outside the project"
    if folder == ".":
        return None, f"{key} {alias!r} names the project root, not its ui folder"
    return folder, None


def _resolve(alias: str, path_aliases: Mapping[str, str]) -> str | None:
    """`@/components/ui` with `@/` -> `src` gives `src/components/ui`; a root-relative
    `./components/ui` (a project without aliases) gives `components/ui`."""
    if alias.startswith("./"):
        return posixpath.normpath(alias)
    # TypeScript picks the mapping with the longest prefix.
    for prefix in sorted(path_aliases, key=len, reverse=True):
        if alias.startswith(prefix):
            return posixpath.normpath(posixpath.join(path_aliases[prefix], alias[len(prefix) :]))
    return None


def _project_specifier(folder: str, specifier_for: Callable[[str], str]) -> str | None:
    """The folder's import specifier as the project writes it (through its alias, else from
    the root), checked again: it is written into import lines."""
    try:
        specifier = specifier_for(folder)
    except ValueError:  # outside the folder the project's alias maps
        return None
    # `@/.`: the alias's own folder, no module path to put a component file name after
    if specifier.endswith(("/", "/.")) or not IMPORT_SPECIFIER.fullmatch(specifier):
        return None
    return specifier


def detect_ui_kit(
    root: Path,
    dependencies: Collection[str],
    path_aliases: Mapping[str, str],
    specifier_for: Callable[[str], str],
) -> UiKit:
    """The project's UI kit (reads components.json and the ui folder, then decides)."""
    config = root / SHADCN_CONFIG
    try:
        text = config.read_text(encoding="utf-8") if config.is_file() else None
    except (OSError, UnicodeDecodeError):
        text = ""  # unreadable: decided like malformed JSON
    return decide_ui_kit(
        text, dependencies, path_aliases, specifier_for, lambda folder: _tsx_stems(root, folder)
    )


def _tsx_stems(root: Path, folder: str) -> list[str] | None:
    path = (root / folder).resolve()
    if not (path.is_relative_to(root.resolve()) and path.is_dir()):  # a symlink may lead out
        return None
    return [file.stem for file in path.glob("*.tsx") if file.is_file()]


def chosen_ui_kit(detected: UiKit, requested: str | None) -> UiKit:
    """The kit `--ui-kit` asks for (None: the detected one). shadcn needs the components.json
    detection accepted, since its folder and components come from there."""
    if requested is None:
        return detected
    if requested not in UI_KITS:
        raise UsageError(f"--ui-kit must be one of {', '.join(UI_KITS)}, not {requested!r}")
    if requested != "shadcn":
        return UiKit(requested, "", (), "--ui-kit")
    if detected.kind == "shadcn":
        return detected
    if detected.fallback_reason:
        raise UsageError(f"--ui-kit shadcn: {detected.fallback_reason}")
    raise UsageError(
        f"--ui-kit shadcn needs shadcn/ui's {SHADCN_CONFIG} in the project (none found): "
        "run `npx shadcn init` first"
    )


def recorded_ui_kit(answers: Mapping[str, Any], source: str) -> UiKit | None:
    """The kit recorded in a core answers file (None: recorded before csvimport asked for
    one); checked like detection, since the file may have been edited."""
    if "ui_kit" not in answers:
        return None
    kind = answers.get("ui_kit")
    specifier = answers.get("ui_components_import") or ""
    components = answers.get("ui_components") or []
    if kind not in UI_KITS:
        raise UsageError(f"{source}: ui_kit must be one of {', '.join(UI_KITS)}")
    if kind != "shadcn":
        return UiKit(kind, "", (), source)
    if not (isinstance(specifier, str) and IMPORT_SPECIFIER.fullmatch(specifier)):
        raise UsageError(f"{source}: ui_components_import {specifier!r} is not an import specifier")
    if not (isinstance(components, list) and all(name in KNOWN_COMPONENTS for name in components)):
        raise UsageError(f"{source}: ui_components must list only {', '.join(KNOWN_COMPONENTS)}")
    return UiKit(kind, specifier, tuple(sorted(components)), source)
