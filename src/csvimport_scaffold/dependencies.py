"""The npm packages the generated code imports: which ones a project lacks, the versions that
suit it, and the install command of its own package manager."""

import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import CsvImportError
from .project import ProjectInfo

# zod 4 needs TypeScript 5.5 or newer; older projects get zod 3.
ZOD_4_MIN_TYPESCRIPT = (5, 5)
RUNTIME_PACKAGES = {
    "papaparse": "^5.4.1",
    "eventsource-parser": "^3.0.0",
    "server-only": "^0.0.1",
}
DEV_PACKAGES = {"@types/papaparse": "^5.3.14"}
ZOD_VERSIONS = {3: "^3.23.8", 4: "^4.1.0"}
INSTALL_TIMEOUT_SECONDS = 900

# How each package manager records the exact version it installs (a project that pins every
# dependency exactly gets its new ones pinned too).
_EXACT = {"npm": "--save-exact", "pnpm": "--save-exact", "yarn": "--exact", "bun": "--exact"}
_ADD = {
    "npm": (["npm", "install"], ["npm", "install", "--save-dev"]),
    "pnpm": (["pnpm", "add"], ["pnpm", "add", "--save-dev"]),
    "yarn": (["yarn", "add"], ["yarn", "add", "--dev"]),
    "bun": (["bun", "add"], ["bun", "add", "--dev"]),
}


@dataclass(frozen=True)
class InstallPlan:
    """What to add to package.json: {package: version range}, and with which tool."""

    package_manager: str
    runtime: Mapping[str, str]
    dev: Mapping[str, str]
    through_corepack: bool = False  # package.json pins the manager's version for corepack
    exact: bool = False  # record exact versions, as the project does

    @property
    def commands(self) -> list[list[str]]:
        add, add_dev = _ADD.get(self.package_manager, _ADD["npm"])
        if self.through_corepack:
            add, add_dev = ["corepack", *add], ["corepack", *add_dev]
        if self.exact:
            flag = _EXACT.get(self.package_manager, _EXACT["npm"])
            add, add_dev = [*add, flag], [*add_dev, flag]
        commands = []
        if self.runtime:
            commands.append([*add, *(f"{name}@{v}" for name, v in self.runtime.items())])
        if self.dev:
            commands.append([*add_dev, *(f"{name}@{v}" for name, v in self.dev.items())])
        return commands

    def shell_command(self) -> str:
        return " && ".join(shlex.join(command) for command in self.commands)


def zod_major_for(zod_major: int | None, typescript: str | None) -> int:
    """The zod the generated code is written for: the project's, else the newest its
    TypeScript can use."""
    if zod_major in ZOD_VERSIONS:
        return zod_major
    return 4 if _version_tuple(typescript) >= ZOD_4_MIN_TYPESCRIPT else 3


def plan_install(
    package_manager: str,
    declared: frozenset[str],
    zod_major: int | None,
    typescript: str | None,
    *,
    pinned_by_package_json: bool = False,
    exact: bool = False,
) -> InstallPlan | None:
    """The packages of the generated code that package.json does not declare (None: none)."""
    runtime = {name: v for name, v in RUNTIME_PACKAGES.items() if name not in declared}
    if "zod" not in declared:
        runtime = {"zod": ZOD_VERSIONS[zod_major_for(zod_major, typescript)], **runtime}
    dev = {name: v for name, v in DEV_PACKAGES.items() if name not in declared}
    if not runtime and not dev:
        return None
    corepack = pinned_by_package_json and package_manager in ("pnpm", "yarn")
    return InstallPlan(package_manager, runtime, dev, through_corepack=corepack, exact=exact)


def install_plan_for(project: ProjectInfo, zod_major: int) -> InstallPlan | None:
    """What `project` lacks of the generated code's packages, added its way."""
    return plan_install(
        project.package_manager,
        project.dependencies,
        zod_major,
        project.typescript_version,
        pinned_by_package_json=project.package_manager_pinned,
        exact=project.pins_exact_versions,
    )


def install(root: Path, plan: InstallPlan) -> None:
    """Run the plan's commands in the project; a failure names the command to run by hand."""
    for command in plan.commands:
        try:
            completed = subprocess.run(
                command, cwd=root, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS
            )
        except FileNotFoundError:
            raise CsvImportError(
                f"{command[0]} is not installed; install the packages yourself: "
                f"{plan.shell_command()}"
            ) from None
        except subprocess.TimeoutExpired:
            raise CsvImportError(
                f"{shlex.join(command)} took longer than {INSTALL_TIMEOUT_SECONDS} s"
            ) from None
        if completed.returncode != 0:
            last = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["failed"]
            raise CsvImportError(f"{shlex.join(command)} failed: {last[0]}")


def _version_tuple(version: str | None) -> tuple[int, ...]:
    numbers = []
    for part in (version or "0").split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        numbers.append(int(digits) if digits else 0)
    return tuple(numbers)
