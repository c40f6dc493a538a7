"""`init` keeps the project's formatter off csvimport's answers files (copier's YAML)."""

import json
from pathlib import Path

from csvimport_scaffold.formatter_ignore import biome_ignore_change, prettier_ignore_change
from csvimport_scaffold.plan import Status


def test_prettier_gets_the_folder_in_prettierignore_once(tmp_path: Path):
    assert prettier_ignore_change(tmp_path).content == ".csvimport/\n"
    (tmp_path / ".prettierignore").write_text(".next")
    assert prettier_ignore_change(tmp_path).content == ".next\n.csvimport/\n"
    (tmp_path / ".prettierignore").write_text(".next\n.csvimport/\n")
    assert prettier_ignore_change(tmp_path).status is Status.IDENTICAL


def test_biome_2_leaves_the_folder_out_of_files_includes(tmp_path: Path):
    config = {"files": {"includes": ["**", "!node_modules"]}, "linter": {"enabled": True}}
    (tmp_path / "biome.json").write_text(json.dumps(config))
    changes, note = biome_ignore_change(tmp_path)
    assert note == ""
    written = json.loads(changes[0].content)
    assert written["files"]["includes"] == ["**", "!node_modules", "!.csvimport"]
    assert written["linter"] == {"enabled": True}
    (tmp_path / "biome.json").write_text(changes[0].content)
    assert biome_ignore_change(tmp_path)[0][0].status is Status.IDENTICAL


def test_biome_1_lists_the_folder_in_files_ignore(tmp_path: Path):
    (tmp_path / "biome.json").write_text('{"files": {"ignore": ["dist"]}}')
    changes, _ = biome_ignore_change(tmp_path)
    assert json.loads(changes[0].content)["files"]["ignore"] == ["dist", ".csvimport"]


def test_a_biome_config_with_comments_is_left_alone_with_a_note(tmp_path: Path):
    (tmp_path / "biome.jsonc").write_text('{\n  // ours\n  "files": {}\n}\n')
    changes, note = biome_ignore_change(tmp_path)
    assert changes == []
    assert '"!.csvimport" to files.includes in biome.jsonc' in note
