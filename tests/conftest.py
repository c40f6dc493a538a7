"""Shared helpers: real copies of the example projects and a way to run the real CLI."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_APP = REPO / "examples" / "nextjs-app"
CNA_APP = REPO / "tests" / "fixtures" / "create-next-app"
NODE_MODULES = EXAMPLE_APP / "node_modules"
COPY_IGNORE = shutil.ignore_patterns(
    "node_modules", ".next", "dev.db*", "generated", "*.tsbuildinfo"
)

USER_FIELDS = [
    "name:string:required,max=100",
    "email:email:required,unique,key,lowercase",
    "age:int:optional,min=0,max=150",
    "role:enum(admin|member):default=member",
    "joinedOn:date:optional,alias=Joined On",
    "active:boolean:optional,default=true",
]
COURSE_FIELDS = [
    r"code:string:unique,key,regex=^[A-Z]{2,4}-\d{3}$",
    "title:string:max=200",
    "credits:int:min=1,max=10",
    "startsOn:date",
    "price:float:optional,min=0",
]


def copy_project(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=COPY_IGNORE, symlinks=True)
    return destination


def link_node_modules(project: Path) -> None:
    """Share the example app's installed packages (CI installs them once)."""
    assert NODE_MODULES.is_dir(), (
        f"{NODE_MODULES} is missing: run `npm ci` in {EXAMPLE_APP} (the CI script does)"
    )
    (project / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)


def run_cli(
    *args: str, cwd: Path | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `csvimport` exactly as a user would, without a terminal."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"}
    return subprocess.run(
        [sys.executable, "-m", "csvimport_scaffold", *args],
        cwd=cwd,
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def tree_snapshot(root: Path) -> dict[str, str]:
    """Every file below root (not following node_modules) with a hash of its content."""
    snapshot = {}
    for path in sorted(root.rglob("*")):
        if "node_modules" in path.parts or not path.is_file():
            continue
        snapshot[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return snapshot


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A fresh copy of the example app (the seed's layout), without node_modules."""
    return copy_project(EXAMPLE_APP, tmp_path / "app")


@pytest.fixture
def initialized_project(example_project: Path) -> Path:
    result = run_cli("init", "--project", str(example_project))
    assert result.returncode == 0, result.stdout + result.stderr
    return example_project
