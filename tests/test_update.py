"""Upgrades through copier's 3-way update (DESIGN §8): two real template versions (a git
history with tags v1.0.0 and v2.0.0), a project generated with the first, edited by its team,
then updated to the second."""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from csvimport_scaffold.template_history import build_revision, release

from conftest import REPO, link_node_modules, run_cli

FEATURE = "templates/feature/{{ route_dir }}/functions"
PROCESSOR = f"{FEATURE}/process-{{{{ feature }}}}-items.ts.jinja"
OLD_DOC = "/** The `{{ model }}` record written for a validated row. */"
NEW_DOC = "/** The `{{ model }}` record that a validated row becomes. */"
OLD_LOG = '"Writing {{ words }} import batch"'
NEW_LOG = '"Writing {{ words }} import rows"'
PROCESSOR_FILE = "src/app/api/user/import/progress/functions/process-user-items.ts"
COMPONENT_FILE = "src/app/[lang]/dashboard/user/user-import.tsx"
NOTES_FILE = "src/app/api/user/import/progress/functions/user-import-notes.ts"
FIELDS = ["name:string:max=100", "email:email:unique,key", "age:int:optional,min=0"]


@dataclass(frozen=True)
class TemplateVersions:
    v1: dict[str, str]  # environment pointing csvimport at version 1.0.0
    v2: dict[str, str]  # ... and at 2.0.0, whose history holds 1.0.0 too
    v2_templates: Path
    v2_history: Path


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> TemplateVersions:
    root = tmp_path_factory.mktemp("versions")
    v1 = shutil.copytree(REPO / "templates", root / "v1")
    history1 = root / "history-1.bundle"
    release("1.0.0", v1, history1)

    # Version 2 rewords the processor's first comment and a log message, adds a file and drops
    # the component.
    v2 = shutil.copytree(v1, root / "v2")
    processor = v2 / PROCESSOR.removeprefix("templates/")
    processor.write_text(processor.read_text().replace(OLD_DOC, NEW_DOC).replace(OLD_LOG, NEW_LOG))
    (v2 / FEATURE.removeprefix("templates/") / "{{ feature }}-import-notes.ts.jinja").write_text(
        'export const {{ feature_camel }}ImportNotes = "Imported with csvimport";\n'
    )
    (v2 / "feature/{{ feature_dir }}/{{ feature }}-import.tsx.jinja").unlink()
    history2 = root / "history-2.bundle"
    shutil.copyfile(history1, history2)
    release("2.0.0", v2, history2)

    def env(templates: Path, history: Path) -> dict[str, str]:
        return {"CSVIMPORT_TEMPLATES": str(templates), "CSVIMPORT_TEMPLATE_HISTORY": str(history)}

    return TemplateVersions(env(v1, history1), env(v2, history2), v2, history2)


def git(project: Path, *args: str) -> str:
    identity = ["-c", "user.name=Team", "-c", "user.email=team@example.com"]
    return subprocess.run(
        ["git", *identity, *args], cwd=project, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def project_on_v1(example_project: Path, versions: TemplateVersions) -> Path:
    """The example app with the core and a `user` feature from version 1, committed."""
    git(example_project, "init", "--quiet")
    assert run_cli("init", "--project", str(example_project), env=versions.v1).returncode == 0
    new = run_cli(
        "new", "user", "--no-check", "--project", str(example_project), "--fields", *FIELDS,
        env=versions.v1,
    )  # fmt: skip
    assert new.returncode == 0, new.stderr
    git(example_project, "add", "-A")
    git(example_project, "commit", "--quiet", "-m", "Add the user import")
    return example_project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def report(output: str) -> dict[str, str]:
    """{file: state} from `csvimport update` output lines `  state  path`."""
    return {path: state for state, path in re.findall(r"^  (\w+) +(\S.*)$", output, re.M)}


def test_an_update_keeps_local_edits_and_brings_the_new_version(
    project_on_v1: Path, versions: TemplateVersions
):
    processor = project_on_v1 / PROCESSOR_FILE
    edit(processor, "    errors: [],\n", "    errors: [], // (team logic)\n")
    git(project_on_v1, "commit", "--quiet", "-am", "Our own processing")

    result = run_cli("update", "--all", "--project", str(project_on_v1), env=versions.v2)
    assert result.returncode == 0, result.stdout + result.stderr

    text = processor.read_text()
    assert "(team logic)" in text and "record that a validated row becomes" in text
    assert "<<<<<<<" not in text
    assert (project_on_v1 / NOTES_FILE).is_file()
    assert not (project_on_v1 / COMPONENT_FILE).exists()
    assert "_commit: v2.0.0" in (project_on_v1 / ".csvimport/user.yml").read_text()
    assert "_commit: v2.0.0" in (project_on_v1 / ".csvimport/core.yml").read_text()
    states = report(result.stdout)
    assert states[PROCESSOR_FILE] == "merged"
    assert states[NOTES_FILE] == "added"
    assert states[COMPONENT_FILE] == "removed"
    assert states["src/app/api/user/import/progress/route.ts"] == "unchanged"
    assert not list(project_on_v1.rglob("*.rej"))


@pytest.mark.node
def test_a_project_in_its_own_style_gets_only_the_real_changes(
    example_project: Path, versions: TemplateVersions
):
    """Single quotes and no semicolons: both renderings are merged in the project's style,
    so the reworded string is an update, not a conflict with every quote of the file."""
    link_node_modules(example_project)  # its prettier
    (example_project / ".prettierrc.json").write_text('{"semi": false, "singleQuote": true}\n')
    git(example_project, "init", "--quiet")
    assert run_cli("init", "--project", str(example_project), env=versions.v1).returncode == 0
    new = run_cli(
        "new", "user", "--no-check", "--project", str(example_project), "--fields", *FIELDS,
        env=versions.v1,
    )  # fmt: skip
    assert new.returncode == 0, new.stderr
    processor = example_project / PROCESSOR_FILE
    assert "'Writing user import batch'" in processor.read_text()
    git(example_project, "add", "-A")
    git(example_project, "commit", "--quiet", "-m", "Add the user import")

    result = run_cli("update", "--all", "--project", str(example_project), env=versions.v2)
    assert result.returncode == 0, result.stdout + result.stderr
    text = processor.read_text()
    assert "'Writing user import rows'" in text and "<<<<<<<" not in text
    assert report(result.stdout)[PROCESSOR_FILE] == "updated"
    git(example_project, "add", "-A")
    git(example_project, "commit", "--quiet", "-m", "Update")
    check = run_cli("check", "--no-typecheck", "--project", str(example_project), env=versions.v2)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_true_conflict_is_marked_and_reported(project_on_v1: Path, versions: TemplateVersions):
    processor = project_on_v1 / PROCESSOR_FILE
    edit(processor, "/** The `user` record written for a validated row. */", "/** Ours. */")
    git(project_on_v1, "commit", "--quiet", "-am", "Reword")

    result = run_cli("update", "user", "--project", str(project_on_v1), env=versions.v2)
    assert result.returncode == 1
    assert report(result.stdout)[PROCESSOR_FILE] == "conflict"
    assert f"conflicts in {PROCESSOR_FILE}" in result.stderr
    text = processor.read_text()
    assert "<<<<<<< before updating" in text and ">>>>>>> after updating" in text
    assert "/** Ours. */" in text and "record that a validated row becomes" in text


def test_update_refuses_a_dirty_tree_and_says_what_to_do(
    project_on_v1: Path, versions: TemplateVersions
):
    processor = project_on_v1 / PROCESSOR_FILE
    edit(processor, "Writing user import batch", "Uncommitted edit")
    result = run_cli("update", "--project", str(project_on_v1), env=versions.v2)
    assert result.returncode == 1
    assert "uncommitted changes in" in result.stderr and "git stash -u" in result.stderr
    assert "Uncommitted edit" in processor.read_text()
    assert "_commit: v1.0.0" in (project_on_v1 / ".csvimport/user.yml").read_text()


def test_answers_can_change_on_update(project_on_v1: Path, versions: TemplateVersions):
    result = run_cli(
        "update", "user", "--project", str(project_on_v1), "--fields", *FIELDS[:2],
        env=versions.v1,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    types = (project_on_v1 / "src/app/api/user/import/progress/types.ts").read_text()
    assert "age" not in types and "email" in types
    assert "name: age" not in (project_on_v1 / ".csvimport/user.yml").read_text()


def test_plain_copier_update_works_in_a_fresh_clone(
    project_on_v1: Path, versions: TemplateVersions, tmp_path: Path
):
    """A teammate's clone, with only the newer template history committed into the project:
    copier alone, offline, from the project root."""
    revision = build_revision(versions.v2_templates, versions.v2_history, tmp_path / "build")
    shutil.copyfile(revision.bundle, project_on_v1 / ".csvimport/templates.bundle")
    git(project_on_v1, "commit", "--quiet", "-am", "Newer csvimport template history")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(project_on_v1), str(clone)], check=True)

    copier = Path(shutil.which("copier") or REPO / ".venv/bin/copier")
    result = subprocess.run(
        [str(copier), "update", "--defaults", "--answers-file", ".csvimport/user.yml"],
        cwd=clone, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "record that a validated row becomes" in (clone / PROCESSOR_FILE).read_text()
    assert "_commit: v2.0.0" in (clone / ".csvimport/user.yml").read_text()


def test_check_reports_an_available_update_with_its_own_exit_code(
    project_on_v1: Path, versions: TemplateVersions
):
    current = run_cli("check", "--no-typecheck", "--project", str(project_on_v1), env=versions.v1)
    assert current.returncode == 0, current.stdout
    newer = run_cli("check", "--no-typecheck", "--project", str(project_on_v1), env=versions.v2)
    assert newer.returncode == 3, newer.stdout
    assert (
        ".csvimport/user.yml:1: update-available: template v2.0.0 is available "
        "(recorded v1.0.0): run `csvimport update user`"
    ) in newer.stdout
