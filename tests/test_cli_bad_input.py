"""Every user mistake: one line on stderr, exit code 2, no traceback, nothing written."""

from pathlib import Path

import pytest

from conftest import run_cli, tree_snapshot

SPEC_FILES = {
    "list.yml": "- name:string\n",
    "label-mapping.yml": "feature: user\nfields:\n  - {name: name, type: string, label: {a: 1}}\n",
    "enum-list.yml": "feature: user\nfields:\n  - {name: role, type: enum, values: [[a, b]]}\n",
    "enum-bool.yml": "feature: user\nfields:\n  - {name: role, type: enum, values: [yes, no]}\n",
    "required-maybe.yml": "feature: user\nfields:\n"
    "  - {name: name, type: string, required: maybe}\n",
    "alias-number.yml": "feature: user\nfields:\n  - {name: name, type: string, alias: [1]}\n",
    # an enum of 100,000 values is refused at once (its parsing used to take minutes)
    "big-enum.yml": "feature: user\nfields:\n  - name: role\n    type: enum\n    values:\n"
    + "".join(f"      - v{n}\n" for n in range(100_000)),
    "broken.yml": "feature: user\nfields: [name:string\n",
    "typo.yml": "feature: user\nfeilds:\n  - name:string\n",
    "other.yml": "feature: course\nfields:\n  - title:string\n",
}

USER = ["name:string", "email:email"]  # the columns the example's User model needs

BAD_NEW = [
    (["User", "--fields", "name:string"], "invalid feature name 'User'"),
    (["1user", "--fields", "name:string"], "invalid feature name '1user'"),
    (["core", "--fields", "name:string"], "feature name 'core' is reserved"),
    (
        ["user", "--fields", "name:strng"],
        "unknown type 'strng' in field 'name:strng' (expected one of:",
    ),
    (["user", "--fields", "name"], "missing type in field 'name'"),
    (["user", "--fields", "age:int:min=abc"], "min value 'abc'"),
    (["user", "--fields", "age:int:min=5,max=1"], "min 5 is greater than max 1"),
    (["user", "--fields", "age:int:required,optional"], "rules 'required' and 'optional' conflict"),
    (["user", "--fields", "role:enum(admin|member):default=owner"], "is not one of: admin, member"),
    (
        ["user", "--fields", "name:string:regex=([a-z", "email:email"],
        "bad regex '([a-z' in field 'name':",
    ),
    # Python-only patterns, judged by JavaScript (with the u flag) as the generated code runs them
    (
        ["user", "--fields", "name:string:regex=(?i)abc", "email:email"],
        "Invalid group (JavaScript, u flag)",
    ),
    (["user", "--fields", "name:string:regex=a++", "email:email"], "Nothing to repeat"),
    (["user", "--fields", r"name:string:regex=abc\Z", "email:email"], "Invalid escape"),
    (["user", "--fields", "name:string:regex=a{,3}", "email:email"], "Incomplete quantifier"),
    (["user", "--fields", "name:string:regex=a\nb", "email:email"], "holds a line break"),
    (
        ["user", "--fields", "name:string:regex=^[a-z]+$,default=ABC", "email:email"],
        "does not match regex",
    ),
    (
        ["user", "--fields", "age:int:default=١٢"],
        "default '١٢' in field 'age:int:default=١٢' is not",
    ),
    (["user", "--spec", "big-enum.yml"], "more than 1,000 enum values"),
    (["user", "--spec", "label-mapping.yml"], "'label' in field 'name'"),
    (["user", "--spec", "enum-list.yml"], "enum value ['a', 'b'] of field 'role'"),
    (["user", "--spec", "enum-bool.yml"], "enum value True of field 'role'"),
    (["user", "--spec", "required-maybe.yml"], "'required' of field 'name'"),
    (["user", "--spec", "alias-number.yml"], "alias 1 in field 'name'"),
    (["user", "--fields", "name:string:colour=red"], "unknown rule 'colour'"),
    (["user", "--fields", "name:string", "name:string"], "duplicate field 'name'"),
    (["user", "--fields", "name:string:key", "email:email:key"], "only one field can be the key"),
    (["user", "--fields", "name:string", "--api-path", "/users/import"], "must start with /api/"),
    (["user", "--fields", "name:string", "--api-path", "/api/../etc"], "no '..'"),
    (["user", "--fields", "name:string", "--mode", "merge"], "unknown mode 'merge'"),
    (["user", "--fields", "name:string", "--mode", "upsert"], "mode upsert needs a unique key"),
    (["user", "--fields", "name:string", "--key", "email"], "key 'email' is not a field"),
    (["user", "--fields", "name:string", "--batch-size", "0"], "batch size 0 is out of range"),
    (
        ["user", "--fields", "name:string", "--batch-size", "many"],
        "Invalid value for '--batch-size'",
    ),
    (["user", "--fields", "name:string", "--max-retries", "99"], "max retries 99 is out of range"),
    (
        ["user", "--fields", "name:string:unique,key", "--mode", "upsert"],
        "mode upsert needs 'name' to be @unique (or @id) in Prisma model User",
    ),
    (["user", "--fields", "name:string", "--model", "Student"], "unknown Prisma model 'Student'"),
    (["user", "--fields", "nmae:string"], "field 'nmae' is not a field of Prisma model User"),
    (["widget", "--fields", "name:string"], "no Prisma model 'widget'"),
    (["user", "--spec", "list.yml"], "must be a mapping"),
    (["user", "--spec", "broken.yml"], "is not valid YAML at line"),
    (["user", "--spec", "typo.yml"], "unknown key 'feilds'"),
    (["user", "--spec", "other.yml"], "feature 'user' differs from 'course'"),
    (["user", "--spec", "missing.yml"], "spec file not found"),
    (["user", "--fields", *USER, "--mount", "../outside.tsx"], "is outside the project"),
    (["user", "--fields", *USER, "--mount", "src/app/nope.tsx"], "--mount file not found"),
    (["user"], "missing fields: pass --fields"),
    (["--fields", "name:string"], "missing feature name"),
    (["user", "extra"], "unexpected argument 'extra'"),
    (["user", "--fields", "name:string", "--bogus"], "No such option: --bogus"),
]


@pytest.mark.parametrize(
    ("arguments", "message"), BAD_NEW, ids=lambda v: " ".join(v) if isinstance(v, list) else None
)
def test_bad_new_arguments(initialized_project: Path, arguments, message):
    for name, text in SPEC_FILES.items():
        (initialized_project / name).write_text(text)
    before = tree_snapshot(initialized_project)
    result = run_cli("new", *arguments, "--project", ".", cwd=initialized_project)
    assert_one_line_usage_error(result, message)
    assert tree_snapshot(initialized_project) == before


def test_new_before_init_asks_for_init(example_project: Path):
    before = tree_snapshot(example_project)
    result = run_cli("new", "user", "--fields", "name:string", "--project", str(example_project))
    assert_one_line_usage_error(result, "has no csvimport.json: run `csvimport init` first")
    assert tree_snapshot(example_project) == before


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda root: None, "project directory not found"),
        (lambda root: root.write_text("a file"), "project path is not a directory"),
        (lambda root: root.mkdir(), "is not a Node.js project (no package.json)"),
        (
            lambda root: (root.mkdir(), (root / "package.json").write_text('{"name": "x"}')),
            "is not a Next.js app",
        ),
    ],
    ids=["missing", "a file", "empty folder", "not next"],
)
def test_init_refuses_what_is_not_a_nextjs_project(tmp_path: Path, setup, message):
    root = tmp_path / "project"
    setup(root)
    result = run_cli("init", "--project", str(root))
    assert_one_line_usage_error(result, message)
    assert not (root / "csvimport.json").exists()


def test_init_without_a_prisma_singleton_names_the_flag(example_project: Path):
    (example_project / "src/app/misc/singletons/prisma.ts").unlink()
    before = tree_snapshot(example_project)
    result = run_cli("init", "--project", str(example_project))
    assert_one_line_usage_error(result, "--prisma-import")
    assert tree_snapshot(example_project) == before


def test_init_refuses_an_export_name_that_is_not_an_identifier(example_project: Path):
    before = tree_snapshot(example_project)
    result = run_cli(
        "init", "--project", str(example_project), "--prisma-export", "db; process.exit()"
    )
    assert_one_line_usage_error(result, "is not an export name")
    assert tree_snapshot(example_project) == before


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--prisma-import", '@/lib/db"; import x from "y', "is not an import specifier"),
        ("--log-import", "lib/log\nprocess.exit()", "is not an import specifier"),
        ("--auth-function", "requireUser", "--auth-function needs --auth-import"),
        ("--prisma-import", "@/lib/nowhere", "resolves to no module of the project"),
        ("--auth-import", "../outside/auth", "is not an import specifier"),
        ("--prisma-export", "class", "is not an export name"),
    ],
)
def test_init_refuses_module_flags_that_are_not_modules(
    example_project: Path, flag: str, value: str, message: str
):
    before = tree_snapshot(example_project)
    result = run_cli("init", "--project", str(example_project), flag, value)
    assert_one_line_usage_error(result, message)
    assert tree_snapshot(example_project) == before


@pytest.mark.parametrize(
    ("components_json", "ui_kit", "message"),
    [
        (None, "bootstrap", "--ui-kit must be one of plain, tailwind, shadcn, not 'bootstrap'"),
        (None, "shadcn", "--ui-kit shadcn needs shadcn/ui's components.json in the project"),
        ("{", "shadcn", "--ui-kit shadcn: components.json not used: it is not valid JSON"),
    ],
)
def test_init_refuses_a_ui_kit_the_project_cannot_have(
    example_project: Path, components_json: str | None, ui_kit: str, message: str
):
    if components_json is not None:
        (example_project / "components.json").write_text(components_json)
    before = tree_snapshot(example_project)
    result = run_cli("init", "--project", str(example_project), "--ui-kit", ui_kit)
    assert_one_line_usage_error(result, message)
    assert tree_snapshot(example_project) == before


def assert_one_line_usage_error(result, message: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]


def test_another_features_route_is_refused_even_with_force(initialized_project: Path):
    user = run_cli(
        "new", "user", "--fields", "name:string", "email:email:unique,key", "--no-check",
        "--project", str(initialized_project),
    )  # fmt: skip
    assert user.returncode == 0, user.stderr
    before = tree_snapshot(initialized_project)
    result = run_cli(
        "new", "course", "--fields", "code:string:unique,key", "title:string", "credits:int",
        "startsOn:date", "--force",
        "--api-path", "/api/user/import/progress", "--project", str(initialized_project),
    )  # fmt: skip
    assert_one_line_usage_error(result, "is the route of feature 'user'")
    assert tree_snapshot(initialized_project) == before
