"""Planning compares renderings with the disk; writing applies all of a plan or none of it."""

from pathlib import Path

import pytest

from csvimport_scaffold.errors import CsvImportError, UsageError
from csvimport_scaffold.mount import mount_component
from csvimport_scaffold.plan import Status, plan_edit, plan_files
from csvimport_scaffold.workspace import read_text_or_none
from csvimport_scaffold.writer import TEMP_SUFFIX, ConflictError, apply_plan


def plan_for(root: Path, rendered: dict[str, str], force: bool = False):
    return plan_files(rendered, lambda path: read_text_or_none(root / path), force=force)


def test_new_identical_and_conflicting_files(tmp_path: Path):
    (tmp_path / "same.ts").write_text("a\n")
    (tmp_path / "edited.ts").write_text("mine\n")
    plan = plan_for(tmp_path, {"new/file.ts": "x\n", "same.ts": "a\n", "edited.ts": "theirs\n"})
    statuses = {c.path: c.status for c in plan.changes}
    assert statuses == {
        "new/file.ts": Status.CREATE,
        "same.ts": Status.IDENTICAL,
        "edited.ts": Status.CONFLICT,
    }
    assert [c.path for c in plan.writes] == ["new/file.ts"]
    assert "-mine\n+theirs\n" in plan.conflicts[0].diff()


def test_force_turns_conflicts_into_overwrites(tmp_path: Path):
    (tmp_path / "edited.ts").write_text("mine\n")
    plan = plan_for(tmp_path, {"edited.ts": "theirs\n"}, force=True)
    assert plan.changes[0].status is Status.OVERWRITE
    apply_plan(tmp_path, plan)
    assert (tmp_path / "edited.ts").read_text() == "theirs\n"


def test_a_plan_with_a_conflict_writes_nothing(tmp_path: Path):
    (tmp_path / "edited.ts").write_text("mine\n")
    plan = plan_for(tmp_path, {"new.ts": "x\n", "edited.ts": "theirs\n"})
    with pytest.raises(ConflictError, match=r"already exists.*\(edited\.ts\); nothing written"):
        apply_plan(tmp_path, plan)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edited.ts"]
    assert (tmp_path / "edited.ts").read_text() == "mine\n"


def test_a_diff_of_a_new_file_comes_from_dev_null(tmp_path: Path):
    diff = plan_for(tmp_path, {"a.ts": "one\ntwo"}).changes[0].diff()
    assert diff.startswith("--- /dev/null\n+++ b/a.ts\n")
    assert diff.endswith("+two\n")


def test_writing_creates_folders_and_nothing_else(tmp_path: Path):
    written = apply_plan(tmp_path, plan_for(tmp_path, {"a/b/c.ts": "c\n", "d.ts": "d\n"}))
    assert sorted(written) == ["a/b/c.ts", "d.ts"]
    assert sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
    ) == [
        "a/b/c.ts",
        "d.ts",
    ]


def test_a_failed_write_leaves_the_project_as_it_was(tmp_path: Path):
    (tmp_path / "blocked").write_text("a file where a folder is needed\n")
    plan = plan_for(tmp_path, {"ok/first.ts": "1\n", "blocked/second.ts": "2\n"})
    with pytest.raises(CsvImportError, match="could not write"):
        apply_plan(tmp_path, plan)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]


def test_a_write_that_fails_half_way_leaves_no_temporary_file(tmp_path: Path, monkeypatch):
    real_open = open

    def failing_open(path, *args, **kwargs):
        handle = real_open(path, *args, **kwargs)
        if str(path).endswith("second.ts" + TEMP_SUFFIX):
            handle.close()
            raise OSError(28, "No space left on device", str(path))
        return handle

    monkeypatch.setattr("builtins.open", failing_open)
    plan = plan_for(tmp_path, {"first.ts": "1\n", "second.ts": "2\n"})
    with pytest.raises(CsvImportError, match=r"could not write .*No space left"):
        apply_plan(tmp_path, plan)
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_while_writing_leaves_no_temporary_file(tmp_path: Path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    (tmp_path / "kept.ts").write_text("mine\n")
    plan = plan_for(tmp_path, {"new/first.ts": "1\n", "kept.ts": "theirs\n"}, force=True)
    monkeypatch.setattr("os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_plan(tmp_path, plan)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["kept.ts"]
    assert (tmp_path / "kept.ts").read_text() == "mine\n"


def test_a_directory_where_a_file_goes_is_refused_before_any_write(tmp_path: Path):
    plan = plan_for(tmp_path, {"first.ts": "1\n", "second.ts": "2\n"})
    (tmp_path / "second.ts").mkdir()  # after planning: another process made it
    with pytest.raises(CsvImportError, match=r"second\.ts is a directory"):
        apply_plan(tmp_path, plan)
    assert [p.name for p in tmp_path.iterdir()] == ["second.ts"]


PAGE = """import { Heading } from "@/src/app/components/heading";

export default function UserPage() {
  return (
    <main>
      <Heading>Users</Heading>
      {/* csvimport:mount */}
    </main>
  );
}
"""


def test_mounting_adds_an_import_and_the_component_once():
    once = mount_component(PAGE, "user", "UserImport", "@/src/app/x/user-import", "page.tsx")
    assert (
        '// csvimport:user:import\nimport { UserImport } from "@/src/app/x/user-import";\n' in once
    )
    assert (
        "      {/* csvimport:user */}\n      <UserImport />\n      {/* csvimport:mount */}" in once
    )
    assert (
        mount_component(once, "user", "UserImport", "@/src/app/x/user-import", "page.tsx") == once
    )
    assert plan_edit("page.tsx", once, once).status is Status.IDENTICAL


def test_mounting_needs_a_marked_spot():
    with pytest.raises(
        UsageError, match=r"has no mount spot: add the line \{/\* csvimport:mount \*/\}"
    ):
        mount_component(
            "export default function P() { return null; }\n", "user", "UserImport", "x", "p.tsx"
        )
