"""`--dry-run` writes nothing; re-running with the same answers changes nothing; edits are kept."""

import re
from pathlib import Path

from conftest import USER_FIELDS, run_cli, tree_snapshot


def new_user(project: Path, *extra: str):
    return run_cli(
        "new", "user", "--no-check", "--project", str(project), "--fields", *USER_FIELDS, *extra
    )


def test_dry_run_shows_diffs_and_writes_nothing(initialized_project: Path):
    before = tree_snapshot(initialized_project)
    result = new_user(initialized_project, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "+++ b/src/app/api/user/import/progress/route.ts" in result.stdout
    assert "dry run: nothing written" in result.stdout
    assert tree_snapshot(initialized_project) == before


def test_a_second_identical_run_reports_every_file_identical(initialized_project: Path):
    assert new_user(initialized_project).returncode == 0
    before = tree_snapshot(initialized_project)
    again = new_user(initialized_project)
    assert again.returncode == 0, again.stderr
    statuses = re.findall(r"^  (\w+) +\S", again.stdout, re.M)
    assert len(statuses) >= 7 and set(statuses) == {"identical"}
    assert tree_snapshot(initialized_project) == before


def test_an_edited_file_is_a_conflict_not_an_overwrite(initialized_project: Path):
    assert new_user(initialized_project).returncode == 0
    processor = (
        initialized_project / "src/app/api/user/import/progress/functions/process-user-items.ts"
    )
    processor.write_text(processor.read_text() + "\n// my custom processing\n")
    before = tree_snapshot(initialized_project)
    result = new_user(initialized_project)
    assert result.returncode == 1
    assert "conflict" in result.stdout and "nothing written" in result.stderr
    assert "-// my custom processing" in result.stdout
    assert tree_snapshot(initialized_project) == before

    forced = new_user(initialized_project, "--force")
    assert forced.returncode == 0
    assert "// my custom processing" not in processor.read_text()


def test_init_never_overwrites_a_file_it_did_not_create(example_project: Path):
    service = example_project / "src/app/functions/server/services/csv-import/csv-import.service.ts"
    service.parent.mkdir(parents=True)
    service.write_text("// the team's own service\n")
    before = tree_snapshot(example_project)
    result = run_cli("init", "--project", str(example_project))
    assert result.returncode == 1
    assert tree_snapshot(example_project) == before


def test_init_dry_run_then_init_then_init_again(example_project: Path):
    before = tree_snapshot(example_project)
    dry = run_cli("init", "--dry-run", "--project", str(example_project))
    assert dry.returncode == 0 and "dry run: nothing written" in dry.stdout
    assert tree_snapshot(example_project) == before

    first = run_cli("init", "--project", str(example_project))
    assert first.returncode == 0, first.stderr
    assert "update    .prettierignore" in first.stdout
    assert (example_project / ".prettierignore").read_text().endswith("dev.db*\n.csvimport/\n")
    config = (example_project / "csvimport.json").read_text()
    assert '"appImport": "@/src/app"' in config and '"prismaProvider": "sqlite"' in config

    again = run_cli("init", "--project", str(example_project))
    statuses = set(re.findall(r"^  (\w+) +\S", again.stdout, re.M))
    assert again.returncode == 0 and statuses == {"identical"}


def test_the_recorded_answers_file_re_renders_the_feature(initialized_project: Path):
    assert new_user(initialized_project, "--mode", "upsert", "--batch-size", "250").returncode == 0
    before = tree_snapshot(initialized_project)
    again = run_cli("new", "--spec", ".csvimport/user.yml", "--no-check", cwd=initialized_project)
    assert again.returncode == 0, again.stderr
    assert set(re.findall(r"^  (\w+) +\S", again.stdout, re.M)) == {"identical"}
    assert tree_snapshot(initialized_project) == before
