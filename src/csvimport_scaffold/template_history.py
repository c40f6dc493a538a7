"""The template's version history, kept as git so copier can update features 3-way.

Released template versions are tags in `template-history.bundle`, shipped in the package
(maintainers add one with `python -m csvimport_scaffold.release_templates VERSION`).
Templates changed since the last release become one more commit on top, made with a fixed
identity and date so the same templates always give the same commit. Every project gets a copy
of the resulting bundle at `.csvimport/templates.bundle`: copier records that relative path
and the version, so `copier update` works offline in any clone of the project.
"""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import CsvImportError

HISTORY_BUNDLE = Path(__file__).with_name("template-history.bundle")
BRANCH = "main"
TAG_PREFIX = "v"
_IDENTITY = {
    "GIT_AUTHOR_NAME": "csvimport",
    "GIT_AUTHOR_EMAIL": "templates@csvimport.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_NAME": "csvimport",
    "GIT_COMMITTER_EMAIL": "templates@csvimport.invalid",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
}
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")


@dataclass(frozen=True)
class TemplateRevision:
    """A bundle holding every released version, and the revision to render from it."""

    bundle: Path
    ref: str  # a release tag, or the commit of unreleased templates
    version: str  # what copier records as `_commit` (`git describe --tags`)
    released: tuple[str, ...]  # release tags, oldest first


def build_revision(
    templates: Path, history: Path | None, workdir: Path, keep: Path | None = None
) -> TemplateRevision:
    """Put `templates` on top of the released `history` and bundle the result in `workdir`.
    Commits of the bundle `keep` (a project's current one) stay reachable in the result, so
    features rendered from unreleased templates can still be updated."""
    repo = workdir / "history"
    repo.mkdir(parents=True)
    _git(repo, "init", "--quiet", f"--initial-branch={BRANCH}")
    if keep is not None and keep.is_file():
        kept = sorted(set(bundle_refs(keep).values()))
        refspecs = [f"{commit}:refs/kept/{commit}" for commit in kept]
        _git(repo, "fetch", "--quiet", str(keep), *refspecs)
    if history is not None and history.is_file():
        released = ["refs/tags/*:refs/tags/*", f"refs/heads/{BRANCH}:refs/heads/{BRANCH}"]
        _git(repo, "fetch", "--quiet", "--force", "--update-head-ok", str(history), *released)
        _git(repo, "checkout", "--quiet", BRANCH)
    for entry in repo.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copytree(templates, repo, ignore=_IGNORED, dirs_exist_ok=True)
    _git(repo, "add", "--all")
    has_head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0
    changed = not has_head or _git(repo, "diff", "--cached", "--quiet", check=False).returncode
    if changed:
        _git(repo, "commit", "--quiet", "--no-verify", "-m", "Unreleased template changes")
    released = tuple(_tags(repo))
    head = _git(repo, "rev-parse", "HEAD").stdout.strip()
    version = _git(repo, "describe", "--tags", "--always").stdout.strip()
    ref = version if version in released else head
    bundle = workdir / "templates.bundle"
    _git(repo, "bundle", "create", "--quiet", str(bundle), "--all")
    return TemplateRevision(bundle, ref, version, released)


def same_history(first: Path, second: Path) -> bool:
    """Whether two bundles hold the same commits at their refs (their bytes may differ)."""
    return set(bundle_refs(first).values()) == set(bundle_refs(second).values())


def bundle_refs(bundle: Path) -> dict[str, str]:
    """{ref name: commit} of a bundle file."""
    with tempfile.TemporaryDirectory(prefix="csvimport-refs-") as scratch:
        listed = _git(Path(scratch), "bundle", "list-heads", str(bundle), check=False)
    if listed.returncode != 0:
        raise CsvImportError(f"{bundle} is not a readable git bundle")
    refs = {}
    for line in listed.stdout.splitlines():
        commit, _, name = line.partition(" ")
        if name != "HEAD":
            refs[name] = commit
    return refs


def release(version: str, templates: Path, history: Path = HISTORY_BUNDLE) -> None:
    """Tag the current templates as `version` in the shipped history (never moves a tag)."""
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise CsvImportError(f"version '{version}' must look like 1.2.3")
    tag = TAG_PREFIX + version
    with tempfile.TemporaryDirectory(prefix="csvimport-release-") as scratch:
        revision = build_revision(templates, history, Path(scratch))
        repo = Path(scratch) / "history"
        if tag in revision.released:
            raise CsvImportError(f"template version {tag} is released already; pick a new one")
        if revision.ref in revision.released:
            raise CsvImportError(f"the templates are unchanged since {revision.ref}")
        _git(repo, "tag", tag)
        _git(repo, "bundle", "create", "--quiet", str(history), "--all")


def _tags(repo: Path) -> list[str]:
    listed = _git(repo, "tag", "--list", f"{TAG_PREFIX}*", "--sort=version:refname")
    return [line for line in listed.stdout.splitlines() if line]


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **_IDENTITY, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            ["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
            cwd=cwd, capture_output=True, text=True, env=env,
        )  # fmt: skip
    except FileNotFoundError:
        raise CsvImportError(
            "git is not installed; csvimport needs it for template versions"
        ) from None
    if check and result.returncode != 0:
        raise CsvImportError(f"git {args[0]} failed: {result.stderr.strip()}")
    return result
