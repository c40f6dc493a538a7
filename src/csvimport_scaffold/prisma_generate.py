"""Regenerate the project's Prisma client after its schema changed, the way the project does it:
its own script that runs `prisma generate` (which may set what its machine needs), else the
installed Prisma CLI."""

import re
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

GENERATE_TIMEOUT_SECONDS = 300
# A script that only generates: env assignments, an optional runner, `prisma generate` and its
# flags; nothing chained (`prisma generate && next build` would build the app too).
_GENERATE_ONLY = re.compile(
    r"(?:[A-Za-z_]\w*=\S*\s+)*(?:(?:npx|bunx|pnpm exec|yarn|bun x|pnpm)\s+)?"
    r"prisma\s+generate(?:\s+[^&|;<>`$()]*)?"
)
_RUN = {
    "npm": ["npm", "run"],
    "pnpm": ["pnpm", "run"],
    "yarn": ["yarn", "run"],
    "bun": ["bun", "run"],
}


@dataclass(frozen=True)
class GenerateCommand:
    argv: tuple[str, ...]
    runnable: bool  # the project's Prisma CLI is installed

    def shell_command(self) -> str:
        return shlex.join(self.argv)


def generate_script(scripts: Mapping[str, object]) -> str | None:
    """The name of the package.json script that runs `prisma generate` and nothing else."""
    for name, command in scripts.items():
        if isinstance(command, str) and _GENERATE_ONLY.fullmatch(command.strip()):
            return name
    return None


def generate_command(
    root: Path,
    scripts: Mapping[str, object],
    package_manager: str,
    schema: str,
    *,
    through_corepack: bool = False,
) -> GenerateCommand:
    """The command that regenerates the client in the project at `root`."""
    runnable = (root / "node_modules" / ".bin" / "prisma").exists()
    script = generate_script(scripts)
    if script is None:
        prisma = ("node_modules/.bin/prisma", "generate", "--schema", schema)
        return GenerateCommand(prisma, runnable)
    run = _RUN.get(package_manager, _RUN["npm"])
    if through_corepack and package_manager in ("pnpm", "yarn"):
        run = ["corepack", *run]
    return GenerateCommand((*run, script), runnable)


def regenerate_client(root: Path, command: GenerateCommand) -> str | None:
    """Run the command in the project; why it failed (its last line of output), or None."""
    try:
        completed = subprocess.run(
            list(command.argv), cwd=root, capture_output=True, text=True,
            timeout=GENERATE_TIMEOUT_SECONDS,
        )  # fmt: skip
    except FileNotFoundError:
        return f"{command.argv[0]} is not installed"
    except subprocess.TimeoutExpired:
        return f"it took longer than {GENERATE_TIMEOUT_SECONDS} s"
    except OSError as error:
        return error.strerror or str(error)
    if completed.returncode == 0:
        return None
    lines = [line.strip() for line in (completed.stderr + completed.stdout).splitlines()]
    errors = [line for line in lines if line.startswith("Error")]  # Prisma's own words
    return (errors or [line for line in lines if line] or ["failed"])[-1]
