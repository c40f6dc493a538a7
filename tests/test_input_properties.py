"""Property-based tests over everything a user or a pull request hands csvimport: the
`--fields` language, spec files, csvimport.json and `new`'s flags. Thousands of generated
inputs per run, derandomized (the same inputs on every machine), asserting: each input is
accepted or refused with one UsageError line, never another exception; what is accepted holds
only values generated code can take; a refused command writes nothing."""

import json
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csvimport_scaffold import cli
from csvimport_scaffold.config import parse_config
from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.field_dsl import parse_fields
from csvimport_scaffold.field_rules import FIELD_RULES, FIELD_TYPES
from csvimport_scaffold.js_regex import check_pattern_text
from csvimport_scaffold.naming import CAMEL, is_binding_name, is_import_specifier
from csvimport_scaffold.spec import FeatureSpec, make_feature_spec
from csvimport_scaffold.spec_file import parse_spec_text

from conftest import tree_snapshot

# Text that ends or starts a comment, a string, a template, a tag or a JSX expression.
HOSTILE = (
    "*/", "/*", "//", '"', "'", "`", "${", "</script>", "\n", "\r", "\u2028", "\u2029", "{", "}",
    "\\", "\x00", "\x1b[31m", "{{ 7*7 }}", "{%", "|", ",", ":", "=", "(", ")", "\u202e", "\ufeff",
)  # fmt: skip
SAMPLE_VALUES = (
    "100", "0", "-1", "1.5", "1e308", "99999999999999999999", "2024-02-30", "2024-01-15",
    "2024-01-15T10:00:00Z", "true", "maybe", "١٢", "x{99999999999}", "(?i)a", "^[A-Z]{2}$",
    "a++", "member", "admin",
)  # fmt: skip
FIELD_NAMES = ("name", "email", "age", "role", "joinedOn", "active")

text = st.text(max_size=12) | st.sampled_from(HOSTILE)
word = st.lists(text | st.sampled_from(SAMPLE_VALUES), max_size=3).map("".join)
field_name = st.sampled_from(FIELD_NAMES) | word
field_type = (
    st.sampled_from(FIELD_TYPES)
    | st.lists(word, min_size=1, max_size=4).map(lambda values: f"enum({'|'.join(values)})")
    | word
)
rule = st.builds(
    lambda name, value: name if value is None else f"{name}={value}",
    st.sampled_from([r.name for r in FIELD_RULES]) | word,
    st.none() | word,
)
definition = st.builds(
    lambda name, type_, rules: f"{name}:{type_}" + (":" + ",".join(rules) if rules else ""),
    field_name, field_type, st.lists(rule, max_size=4),
)  # fmt: skip


def assert_one_line(error: UsageError) -> None:
    message = str(error)
    assert message and "\n" not in message and "\r" not in message


def assert_fit_for_code(spec: FeatureSpec) -> None:
    """What an accepted spec may hold: names generated code uses as identifiers, texts the
    templates escape, patterns JavaScript is left to compile."""
    for f in spec.fields:
        assert CAMEL.fullmatch(f.name)
        assert isinstance(f.label, str) and f.label.strip()
        assert all(isinstance(v, str) and v for v in f.values)
        assert all(isinstance(a, str) and a.strip() for a in f.aliases)
        if f.regex is not None:
            check_pattern_text(f.regex, "an accepted spec")
    assert spec.key in {f.name for f in spec.fields}


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.lists(definition, min_size=1, max_size=4))
def test_any_field_definitions_are_accepted_or_refused_in_one_line(texts: list[str]):
    try:
        fields, key_flags = parse_fields(texts)
        spec = make_feature_spec("user", fields, key_flags=key_flags)
    except UsageError as error:
        assert_one_line(error)
        return
    assert_fit_for_code(spec)


yaml_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | word,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(word, children, max_size=3),
    max_leaves=8,
)
field_mapping = st.fixed_dictionaries(
    {"name": field_name | yaml_value, "type": st.sampled_from(FIELD_TYPES) | yaml_value},
    optional={
        key: yaml_value | word
        for key in ("label", "values", "required", "unique", "key", "min", "max", "regex",
                    "default", "alias", "trim", "lowercase", "colour")
    },
)  # fmt: skip
spec_document = st.fixed_dictionaries(
    {"feature": st.sampled_from(["user", "User", ""]) | yaml_value},
    optional={
        "fields": st.lists(field_mapping | definition | yaml_value, max_size=4) | yaml_value,
        "mode": st.sampled_from(["create", "upsert"]) | yaml_value,
        "key": field_name | yaml_value,
        "batch_size": st.integers() | yaml_value,
        "api_path": st.sampled_from(["/api/user/import", "/api/../x"]) | yaml_value,
    },
)


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(spec_document | yaml_value)
def test_any_spec_file_is_accepted_or_refused_in_one_line(document):
    try:
        settings_ = parse_spec_text(yaml.safe_dump(document, allow_unicode=True), "spec.yml")
        if "fields" not in settings_:
            return
        spec = make_feature_spec(
            settings_.get("feature") or "user",
            settings_["fields"],
            key_flags=settings_.get("key_flags", ()),
            mode=settings_.get("mode"),
            key=settings_.get("key"),
            api_path=settings_.get("api_path"),
            batch_size=settings_.get("batch_size"),
        )
    except UsageError as error:
        assert_one_line(error)
        return
    assert_fit_for_code(spec)


VALID_CONFIG = {
    "version": 1, "appDir": "src/app", "appImport": "@/src/app",
    "dashboardDir": "src/app/[lang]/dashboard", "aliasPrefix": "@/", "aliasTarget": ".",
    "packageManager": "npm", "prismaSchema": "prisma/schema.prisma", "prismaProvider": "sqlite",
    "prismaImport": "@/src/app/misc/singletons/prisma", "prismaExport": "prisma",
    "logImport": "@/src/app/functions/log", "logExport": "log",
    "authImport": "@/src/app/functions/server/auth/auth", "authFunction": "getUserAuthOrThrow",
    "zodMajor": 4, "formatter": "prettier", "linter": "eslint", "prismaVersion": "7.1.0",
}  # fmt: skip
json_value = st.none() | st.booleans() | st.integers() | word | st.lists(word, max_size=2)


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(VALID_CONFIG)), json_value, max_size=3))
def test_any_csvimport_json_is_accepted_only_with_values_fit_for_code(changes: dict):
    try:
        config = parse_config(json.dumps({**VALID_CONFIG, **changes}), "csvimport.json")
    except UsageError as error:
        assert_one_line(error)
        return
    for specifier in (config.app_import, config.prisma_import, config.log_import,
                      config.auth_import):  # fmt: skip
        assert is_import_specifier(specifier)
    assert is_binding_name(config.auth_function)
    assert is_binding_name(config.log_export, default_ok=True)
    assert is_binding_name(config.prisma_export, default_ok=True)
    for path in (config.app_dir, config.dashboard_dir, config.alias_target):
        assert not path.startswith("/") and ".." not in path.split("/")


# Definitions close to what users write, so that many command lines get as far as rendering.
plausible_definition = st.builds(
    lambda name, type_, rules: f"{name}:{type_}" + (":" + ",".join(rules) if rules else ""),
    st.sampled_from(FIELD_NAMES),
    st.sampled_from(["string", "email", "int", "date", "boolean", "enum(admin|member)"]),
    st.lists(st.sampled_from(["optional", "unique", "key", "max=100", "min=0", "lowercase"])
             | st.sampled_from(HOSTILE).map(lambda h: f"label=Label {h}"), max_size=3),
)  # fmt: skip
flag = st.sampled_from(["--mode", "--key", "--api-path", "--batch-size", "--max-retries",
                        "--model", "--label"]) | word  # fmt: skip
new_arguments = st.builds(
    lambda feature, fields, flags: [feature, "--fields", *fields, *[a for f in flags for a in f]],
    st.sampled_from(["user", "user", "user", "User", "core"]) | word,
    st.lists(plausible_definition | definition, min_size=1, max_size=3),
    st.lists(st.tuples(flag, word | st.sampled_from(SAMPLE_VALUES)), max_size=1),
)


def run_main(arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """csvimport's console entry point, in this process (no interpreter start per input)."""
    monkeypatch.setattr(sys, "argv", ["csvimport", *arguments])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    return exited.value.code


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import EXAMPLE_APP, copy_project, run_cli

    root = copy_project(EXAMPLE_APP, tmp_path_factory.mktemp("properties") / "app")
    assert run_cli("init", "--no-install", "--project", str(root)).returncode == 0
    return root


@settings(
    max_examples=300, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(arguments=new_arguments)
def test_any_new_command_line_exits_0_or_2_and_never_writes_on_error(
    arguments: list[str], project: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    before = tree_snapshot(project)
    code = run_main(["new", *arguments, "--dry-run", "--no-check", "--project", str(project)],
                    monkeypatch)  # fmt: skip
    captured = capsys.readouterr()
    assert code in (0, 2), captured.err
    assert "Traceback" not in captured.err
    if code == 2:
        assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert tree_snapshot(project) == before


PRISMA_TYPES = {
    "string": "String", "email": "String", "url": "String", "uuid": "String", "int": "Int",
    "float": "Float", "boolean": "Boolean", "date": "DateTime", "datetime": "DateTime",
    "enum": "String",
}  # fmt: skip
PATTERNS = (r"^[A-Z]{2,4}-\d{3}$", r"^\p{L}[\p{L} ]*$", "^[^/]+/[^/]+$", r"^\S+$")


def random_field(rng, index: int) -> dict:
    """A field a user could write, with hostile words wherever text goes."""
    type_ = rng.choice(sorted(PRISMA_TYPES))
    field = {"name": f"field{index}", "type": type_, "label": f"L{index} {rng.choice(HOSTILE)}"}
    if rng.random() < 0.5:
        field["required"] = False
    if rng.random() < 0.4:
        field["alias"] = [f"A{index} {rng.choice(HOSTILE)}"]
    if type_ == "enum":
        field["values"] = [f"v{n}{rng.choice(HOSTILE)}" for n in range(rng.randint(1, 4))]
        if rng.random() < 0.5:
            field["default"] = field["values"][0]
    elif type_ in ("string", "email", "url", "uuid"):
        field["max"] = rng.choice([None, 1, 100, 254])
        field["lowercase"] = rng.random() < 0.3
        if type_ == "string" and rng.random() < 0.4:
            field["regex"] = rng.choice(PATTERNS)
    elif type_ in ("int", "float"):
        field["min"], field["max"] = rng.choice([(None, None), (0, 150), (-5, 5)])
        if rng.random() < 0.3:
            field["default"] = "1"
    elif type_ == "boolean" and rng.random() < 0.5:
        field["default"] = rng.choice(["true", "no"])
    elif type_ == "date":
        field["min"] = rng.choice([None, "2000-01-01"])
    return field


def prisma_model(name: str, fields: list[dict]) -> str:
    columns = [
        f"  {f['name']} {PRISMA_TYPES[f['type']]}"
        + ("?" if f.get("required") is False or "default" in f else "")
        for f in fields
    ]
    return "\n".join([f"model {name} {{", "  id Int @id @default(autoincrement())", *columns, "}"])


@pytest.mark.node
def test_a_seeded_sample_of_accepted_specs_type_checks_in_one_project(tmp_path: Path):
    import random
    import subprocess

    from test_generate_into_projects import prisma_generate

    from conftest import EXAMPLE_APP, copy_project, link_node_modules, run_cli

    rng = random.Random(20261202)
    project = copy_project(EXAMPLE_APP, tmp_path / "app")
    link_node_modules(project)
    features = {f"sample{n}": [random_field(rng, i) for i in range(rng.randint(1, 6))]
                for n in range(1, 7)}  # fmt: skip
    schema = project / "prisma/schema.prisma"
    models = [prisma_model(f"Sample{n}", fields) for n, fields in enumerate(features.values(), 1)]
    schema.write_text(schema.read_text() + "\n" + "\n\n".join(models) + "\n")
    prisma_generate(project)
    assert run_cli("init", "--project", str(project)).returncode == 0
    for feature, fields in features.items():
        (project / f"{feature}.yml").write_text(
            yaml.safe_dump({"feature": feature, "fields": fields}, allow_unicode=True)
        )
        result = run_cli("new", "--spec", f"{feature}.yml", "--no-check", "--project", ".",
                         cwd=project)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    tsc = subprocess.run(
        [str(project / "node_modules/.bin/tsc"), "--noEmit", "-p", "."],
        cwd=project, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert tsc.returncode == 0, tsc.stdout[-4000:]
