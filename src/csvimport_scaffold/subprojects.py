"""The copier subprojects of a project (the core and each feature): their recorded answers,
their files as the template renders them at the recorded version, and which files csvimport
manages (a re-rendering must match them) and which the user owns (edits welcome)."""

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .errors import CsvImportError, UsageError
from .rendering import ANSWERS_DIR, PROJECT_BUNDLE, render
from .template_history import TemplateRevision, bundle_refs

# Managed: fully derived from the answers (DESIGN §4). Everything else is the user's.
_MANAGED_NAMES = re.compile(r"^(route\.ts|types\.ts|validate-.+-item\.ts|find-.+-conflicts\.ts)$")
SERVICE_DIR = "/functions/server/services/csv-import/"


@dataclass(frozen=True)
class Subproject:
    name: str  # "core" or the feature name
    answers_file: str  # relative to the project root
    answers: dict[str, Any]  # recorded answers, without copier's `_` keys
    commit: str | None  # the template version recorded as `_commit`

    @property
    def is_core(self) -> bool:
        return self.answers.get("kind") == "core"


def is_managed(path: str) -> bool:
    """Managed files are compared with a fresh rendering; owned files only with the rules."""
    if path.startswith(f"{ANSWERS_DIR}/"):
        return True
    if SERVICE_DIR in f"/{path}":
        return True
    posix = PurePosixPath(path)
    return "api" in posix.parts and bool(_MANAGED_NAMES.match(posix.name))


def read_subprojects(root: Path) -> list[Subproject]:
    """Every answers file under .csvimport/, core first."""
    folder = root / ANSWERS_DIR
    subprojects = []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise CsvImportError(f"{path} is not valid YAML: {error}") from None
        if not isinstance(data, dict) or data.get("kind") not in ("core", "feature"):
            continue
        answers = {k: v for k, v in data.items() if not str(k).startswith("_")}
        name = "core" if data["kind"] == "core" else str(data.get("feature"))
        commit = data.get("_commit")
        relative = path.relative_to(root).as_posix()
        subprojects.append(Subproject(name, relative, answers, str(commit) if commit else None))
    return sorted(subprojects, key=lambda s: (not s.is_core, s.name))


def find_subproject(root: Path, name: str) -> Subproject:
    for subproject in read_subprojects(root):
        if subproject.name == name:
            return subproject
    known = ", ".join(s.name for s in read_subprojects(root) if not s.is_core) or "none"
    raise UsageError(f"no feature '{name}' in {root} (features: {known})")


def render_recorded(root: Path, subproject: Subproject) -> dict[str, str]:
    """The subproject's files as its recorded answers render at its recorded version, from the
    project's own template history."""
    bundle = root / PROJECT_BUNDLE
    if not bundle.is_file():
        raise CsvImportError(f"{PROJECT_BUNDLE} is missing: run `csvimport init` again")
    if not subproject.commit:
        raise CsvImportError(f"{subproject.answers_file} records no template version (_commit)")
    released = tuple(name.removeprefix("refs/tags/") for name in bundle_refs(bundle))
    revision = TemplateRevision(bundle, subproject.commit, subproject.commit, released)
    return render(subproject.answers, subproject.answers_file, revision, ref=subproject.commit)
