"""`csvimport list` and `csvimport remove`: what each feature consists of, and taking a
feature away without losing anyone's edits."""

from dataclasses import dataclass
from pathlib import Path

from ..errors import CsvImportError, UsageError
from ..mount import unmount_component
from ..plan import FileChange, Plan, Status, plan_edit
from ..subprojects import Subproject, find_subproject, read_subprojects, render_recorded
from ..workspace import read_text_or_none

SOURCE_SUFFIXES = (".ts", ".tsx", ".js", ".jsx")


@dataclass(frozen=True)
class FileState:
    path: str
    state: str  # clean | edited | missing


@dataclass(frozen=True)
class FeatureInventory:
    subproject: Subproject
    files: tuple[FileState, ...]


def list_subprojects(root: Path) -> list[FeatureInventory]:
    inventories = []
    for subproject in read_subprojects(root):
        rendered = render_recorded(root, subproject)
        files = tuple(
            FileState(path, _state(read_text_or_none(root / path), text))
            for path, text in sorted(rendered.items())
        )
        inventories.append(FeatureInventory(subproject, files))
    if not inventories:
        raise CsvImportError(f"{root} has no csvimport features: run `csvimport init` first")
    return inventories


def plan_remove(root: Path, feature: str, *, force: bool = False) -> Plan:
    """Delete the feature's files and answers, and unmount it from pages. Edited files are
    refused unless `force`; the core stays."""
    if feature == "core":
        raise UsageError("the core is shared by every feature; remove the features instead")
    subproject = find_subproject(root, feature)
    rendered = render_recorded(root, subproject)
    changes, edited = [], []
    for path, text in sorted(rendered.items()):
        current = read_text_or_none(root / path)
        if current is None:
            continue
        if current != text:
            edited.append(path)
        changes.append(FileChange(path, "", current, Status.DELETE))
    if edited and not force:
        raise CsvImportError(
            f"{len(edited)} file(s) of '{feature}' were edited since generation: "
            f"{', '.join(edited)}; nothing removed. Re-run with --force to delete them too"
        )
    changes += _unmounts(root, subproject)
    return Plan(tuple(changes))


def _unmounts(root: Path, subproject: Subproject) -> list[FileChange]:
    marker = f"csvimport:{subproject.name}:import"
    app_dir = root / str(subproject.answers["app_dir"])
    edits = []
    for path in sorted(app_dir.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or "node_modules" in path.parts:
            continue
        text = read_text_or_none(path)
        if text is not None and marker in text:
            relative = path.relative_to(root).as_posix()
            edits.append(plan_edit(relative, text, unmount_component(text, subproject.name)))
    return edits


def _state(current: str | None, rendered: str) -> str:
    if current is None:
        return "missing"
    return "clean" if current == rendered else "edited"
