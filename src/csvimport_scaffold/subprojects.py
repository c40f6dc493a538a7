"""The copier subprojects of a project (the core and each feature): their recorded answers
and their files as the template renders them at the recorded version."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import load_config
from .errors import CsvImportError, UsageError
from .rendering import ANSWERS_DIR, PROJECT_BUNDLE, project_bundle, render
from .template_history import TemplateRevision, bundle_refs
from .user_files import load_user_yaml, read_user_text


@dataclass(frozen=True)
class Subproject:
    name: str  # "core" or the feature name
    answers_file: str  # relative to the project root
    answers: dict[str, Any]  # recorded answers, without copier's `_` keys
    commit: str | None  # the template version recorded as `_commit`

    @property
    def is_core(self) -> bool:
        return self.answers.get("kind") == "core"


def read_subprojects(root: Path) -> list[Subproject]:
    """Every answers file under .csvimport/, core first."""
    folder = root / ANSWERS_DIR
    subprojects = []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        data = load_user_yaml(read_user_text(path, "answers file"), f"answers file {path}")
        if not isinstance(data, dict) or data.get("kind") not in ("core", "feature"):
            raise UsageError(
                f"answers file {path} is not one of csvimport's: it must be a mapping with "
                "kind: core or kind: feature"
            )
        answers = {k: v for k, v in data.items() if not str(k).startswith("_")}
        name = "core" if data["kind"] == "core" else str(data.get("feature"))
        commit = data.get("_commit")
        relative = path.relative_to(root).as_posix()
        subprojects.append(Subproject(name, relative, answers, str(commit) if commit else None))
    return sorted(subprojects, key=lambda s: (not s.is_core, s.name))


def select_subprojects(subprojects: list[Subproject], names: list[str]) -> list[Subproject]:
    """The named subprojects (all of them when `names` is empty)."""
    if not subprojects:
        raise CsvImportError("no csvimport subprojects here: run `csvimport init` first")
    if not names:
        return subprojects
    known = {s.name: s for s in subprojects}
    for name in names:
        if name not in known:
            features = ", ".join(s.name for s in subprojects if not s.is_core) or "none"
            raise UsageError(f"no feature '{name}' (features: {features})")
    return [known[name] for name in names]


def find_subproject(root: Path, name: str) -> Subproject:
    return select_subprojects(read_subprojects(root), [name])[0]


def render_recorded(root: Path, subproject: Subproject) -> dict[str, str]:
    """The subproject's files as its recorded answers render at its recorded version, from the
    project's own template history."""
    bundle = project_bundle(root)
    if bundle is None:
        raise CsvImportError(f"{PROJECT_BUNDLE} is missing: run `csvimport init` again")
    if not subproject.commit:
        raise CsvImportError(f"{subproject.answers_file} records no template version (_commit)")
    released = tuple(name.removeprefix("refs/tags/") for name in bundle_refs(bundle))
    revision = TemplateRevision(bundle, subproject.commit, subproject.commit, released)
    formatter = load_config(root).formatter
    return render(
        subproject.answers,
        subproject.answers_file,
        revision,
        ref=subproject.commit,
        project=root,
        formatter=formatter,
    )
