"""The published artifact works on its own: a wheel installed into a fresh virtualenv carries
the templates (and the Prisma schema reader) and can scaffold a feature."""

import subprocess
import sys
import zipfile
from pathlib import Path

from csvimport_scaffold.prisma_ast import READER

from conftest import REPO, USER_FIELDS


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, " ".join(command) + "\n" + result.stdout + result.stderr
    return result


def test_wheel_in_a_fresh_venv_scaffolds_a_feature(
    tmp_path: Path, example_project: Path, csvimport_cache: Path, monkeypatch
):
    dist = tmp_path / "dist"
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
        tmp_path,
    )
    (wheel,) = dist.glob("csvimport_scaffold-*.whl")
    reader = {f"csvimport_scaffold/prisma_reader/{path.name}" for path in READER.iterdir()}
    assert reader <= set(zipfile.ZipFile(wheel).namelist())  # --from-prisma's node tool
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    run([str(venv / "bin/pip"), "install", "--quiet", str(wheel)], tmp_path)
    csvimport = str(venv / "bin/csvimport")

    assert "new" in run([csvimport, "--help"], tmp_path).stdout
    run([csvimport, "init", "--project", str(example_project)], tmp_path)
    run(
        [
            csvimport,
            "new",
            "user",
            "--no-check",
            "--project",
            str(example_project),
            "--fields",
            *USER_FIELDS,
        ],
        tmp_path,
    )
    assert (example_project / "src/app/api/user/import/progress/route.ts").is_file()
    answers = (example_project / ".csvimport/user.yml").read_text()
    assert "_commit: v" in answers  # the wheel carries the released template history
    assert "_src_path: .csvimport/templates.bundle" in answers
    monkeypatch.setenv("CSVIMPORT_CACHE_DIR", str(csvimport_cache))
    command = [csvimport, "new", "course", "--from-prisma", "Course", "--dry-run"]
    derived = run([*command, "--project", str(example_project)], tmp_path)
    assert "--fields code:string:unique,key" in derived.stdout
