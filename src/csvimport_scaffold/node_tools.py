"""Node tools shipped in this package (a folder with package.json, package-lock.json and a
script): installed once per user into csvimport's cache with `npm ci`, never into a project,
and run with the user's node.

An install lives in a folder named by the lockfile's hash, so a new lockfile gets a new install
and old ones are never changed. It is made in a temporary folder and renamed into place: the
rename is atomic, so concurrent runs either reuse a finished install or make their own and
keep whichever landed first.
"""

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import UsageError

INSTALL_TIMEOUT_SECONDS = 600
RUN_TIMEOUT_SECONDS = 120
MANIFESTS = ("package.json", "package-lock.json")


def cache_dir(env: Mapping[str, str], home: Path) -> Path:
    """`CSVIMPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/csvimport`, else `~/.cache/csvimport`."""
    if env.get("CSVIMPORT_CACHE_DIR"):
        return Path(env["CSVIMPORT_CACHE_DIR"])
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "csvimport"
    return home / ".cache" / "csvimport"


def user_cache_dir() -> Path:
    return cache_dir(os.environ, Path.home())


def install_dir(cache: Path, tool: Path) -> Path:
    """Where `tool` is installed: `CACHE/node-tools/NAME-HASH`, HASH of its lockfile."""
    digest = hashlib.sha256((tool / "package-lock.json").read_bytes()).hexdigest()[:16]
    return cache / "node-tools" / f"{tool.name}-{digest}"


def ensure_installed(tool: Path, cache: Path, purpose: str) -> Path:
    """The folder where `tool`'s packages are installed, installing them on first use.
    `purpose` names what needs them in errors ("--from-prisma")."""
    find_node(purpose)  # checked first: npm is of no use without it
    target = install_dir(cache, tool)
    if target.is_dir():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise UsageError(f"{purpose} needs npm (with Node.js) on PATH to install its reader")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError as error:
        raise UsageError(
            f"{purpose}: cannot write csvimport's cache {cache} ({error.strerror}); "
            "set CSVIMPORT_CACHE_DIR to a folder you can write"
        ) from None
    try:
        for name in MANIFESTS:
            shutil.copyfile(tool / name, staging / name)
        _npm_ci(npm, staging, purpose)
        try:
            staging.rename(target)
        except OSError as error:  # another run installed it first: use that one
            if not target.is_dir():
                raise UsageError(f"{purpose}: could not install its reader: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def run_node_script(
    script: Path, args: list[str], cwd: Path, purpose: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `node SCRIPT ARGS...` (with `input` on stdin); a script that fails says why on its
    last stderr line."""
    node = find_node(purpose)
    try:
        completed = subprocess.run(
            [node, str(script), *args], cwd=cwd, capture_output=True, text=True,
            input=input, timeout=RUN_TIMEOUT_SECONDS,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UsageError(f"{purpose}: could not run node: {error}") from None
    if completed.returncode != 0:
        raise UsageError(f"{purpose}: {_last_line(completed.stderr)}")
    return completed


def find_node(purpose: str) -> str:
    node = shutil.which("node")
    if node is None:
        raise UsageError(f"{purpose} needs Node.js: `node` is not on PATH")
    return node


def _npm_ci(npm: str, folder: Path, purpose: str) -> None:
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        completed = subprocess.run(
            command, cwd=folder, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UsageError(f"{purpose}: installing its reader failed: {error}") from None
    if completed.returncode != 0:
        reason = npm_error_reason(completed.stderr) or _last_line(completed.stdout)
        raise UsageError(f"{purpose}: installing its reader with `npm ci` failed: {reason}")


def npm_error_reason(stderr: str) -> str | None:
    """The line of npm's error report that says what went wrong: not its `code`, `errno` or
    `syscall` lines, nor the stack trace below it."""
    for line in stderr.splitlines():
        text = line.removeprefix("npm error").removeprefix("npm ERR!").strip()
        if text and text != line.strip() and text.split()[0] not in ("code", "errno", "syscall"):
            return text
    return None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "failed"
