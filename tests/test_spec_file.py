"""YAML spec files: the DSL or the mapping form, and recorded answers files."""

from pathlib import Path

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.spec import make_feature_spec
from csvimport_scaffold.spec_file import parse_spec_text, read_spec_file

SPEC = """
feature: user
mode: upsert
key: email
batch-size: 250
fields:
  - name:string:max=100
  - name: email
    type: email
    unique: true
    lowercase: true
  - name: role
    type: enum
    values: [admin, member]
    default: member
"""


def test_a_spec_file_mixes_dsl_strings_and_mappings():
    settings = parse_spec_text(SPEC, "user.yml")
    spec = make_feature_spec(
        settings["feature"],
        settings["fields"],
        key=settings["key"],
        mode=settings["mode"],
        batch_size=settings["batch_size"],
    )
    assert [f.name for f in spec.fields] == ["name", "email", "role"]
    assert spec.mode == "upsert" and spec.key == "email" and spec.batch_size == 250
    assert spec.fields[2].values == ("admin", "member") and not spec.fields[2].required


def test_recorded_answers_read_back_as_the_same_spec():
    settings = parse_spec_text(SPEC, "user.yml")
    spec = make_feature_spec("user", settings["fields"], key="email", mode="upsert")
    import yaml

    answers = {"_src_path": "x", "kind": "feature", "app_dir": "src/app", **spec.to_answers()}
    again = parse_spec_text(yaml.safe_dump(answers), "answers.yml")
    assert tuple(again["fields"]) == spec.fields
    assert again["batch_size"] == spec.batch_size


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "must be a mapping (feature:, fields: ...), not a list"),
        ("", "must be a mapping (feature:, fields: ...), not empty"),
        ("feature: [unclosed\n", "is not valid YAML at line"),
        ("feature: user\nfeilds: []\n", "unknown key 'feilds'"),
        ("feature: user\nfields: name:string\n", "'fields' in spec file s.yml must be a list"),
        (
            "feature: user\nfields:\n  - 42\n",
            "field #1 of s.yml must be 'name:type:rules' or a mapping",
        ),
        ("feature: user\nfields:\n  - name: a\n", "needs a 'type'"),
        (
            "feature: user\nfields:\n  - name: a\n    type: string\n    colour: red\n",
            "unknown key 'colour'",
        ),
        (
            "feature: user\nbatch_size: lots\n",
            "'batch_size' in spec file s.yml must be a whole number",
        ),
    ],
)
def test_bad_spec_files_give_one_line_errors(text, message):
    with pytest.raises(UsageError) as caught:
        parse_spec_text(text, "s.yml")
    assert message in str(caught.value)


def test_a_missing_spec_file_is_named(tmp_path: Path):
    with pytest.raises(UsageError, match="spec file not found"):
        read_spec_file(tmp_path / "nope.yml")
