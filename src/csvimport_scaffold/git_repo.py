"""The few git facts and actions `update` needs in the user's project."""

import subprocess
from pathlib import Path

from .errors import CsvImportError, UsageError


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        raise CsvImportError("git is not installed; `csvimport update` needs it") from None
    if check and result.returncode != 0:
        raise CsvImportError(f"git {args[0]} failed: {result.stderr.strip()}")
    return result


def require_repository(root: Path) -> None:
    if git(root, "rev-parse", "--is-inside-work-tree", check=False).returncode != 0:
        raise UsageError(
            f"{root} is not in a git repository: `csvimport update` merges through git "
            "(git init && git add -A && git commit -m 'Initial commit')"
        )


def dirty_paths(root: Path) -> list[str]:
    """Paths with uncommitted changes (copier's merge needs a clean tree)."""
    listed = git(root, "status", "--porcelain", "--untracked-files=all", ".")
    return [line[3:] for line in listed.stdout.splitlines() if line.strip()]


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "--all", ".")
    git(root, "-c", "user.name=csvimport", "-c", "user.email=csvimport@localhost",
        "commit", "--quiet", "--no-verify", "-m", message)  # fmt: skip
    return git(root, "rev-parse", "--short", "HEAD").stdout.strip()
