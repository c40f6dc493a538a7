"""Generate features into real projects and hold the result to the projects' own checks:
`next typegen` + `tsc --noEmit` in strict mode, eslint and prettier where the project has them."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import CNA_APP, COURSE_FIELDS, USER_FIELDS, copy_project, link_node_modules, run_cli

pytestmark = pytest.mark.node

ANY = re.compile(r":\s*any\b|\bas any\b|<any>|\bany\[\]")


def prisma_generate(project: Path) -> None:
    env = {
        **os.environ,
        "PRISMA_SCHEMA_ENGINE_BINARY": "/bin/true",
        "PRISMA_HIDE_UPDATE_MESSAGE": "1",
    }
    subprocess.run(
        [str(project / "node_modules/.bin/prisma"), "generate"],
        cwd=project, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def seed_layout_app(example_project: Path) -> Path:
    link_node_modules(example_project)
    prisma_generate(example_project)
    return example_project


def generated_files(project: Path, output: str) -> list[Path]:
    paths = re.findall(r"^\s+(?:create|overwrite|update)\s+(\S.*)$", output, re.M)
    return [project / p for p in paths if p.endswith((".ts", ".tsx"))]


def test_two_features_in_the_seed_layout_pass_tsc_eslint_and_prettier(seed_layout_app: Path):
    project = seed_layout_app
    assert run_cli("init", "--project", str(project)).returncode == 0
    user = run_cli(
        "new", "user", "--project", str(project),
        "--mount", "src/app/[lang]/dashboard/user/page.tsx", "--fields", *USER_FIELDS,
    )  # fmt: skip
    assert user.returncode == 0, user.stdout + user.stderr
    assert (
        "tsc: ok" in user.stdout and "eslint: ok" in user.stdout and "prettier: ok" in user.stdout
    )
    course = run_cli(
        "new", "course", "--project", str(project), "--mode", "upsert",
        "--mount", "src/app/[lang]/dashboard/course/page.tsx", "--fields", *COURSE_FIELDS,
    )  # fmt: skip
    assert course.returncode == 0, course.stdout + course.stderr

    files = generated_files(project, user.stdout) + generated_files(project, course.stdout)
    expected = {
        "src/app/api/user/import/progress/route.ts",
        "src/app/api/user/import/progress/types.ts",
        "src/app/api/user/import/progress/functions/validate-user-item.ts",
        "src/app/api/user/import/progress/functions/process-user-items.ts",
        "src/app/[lang]/dashboard/user/hooks/use-user-import.ts",
        "src/app/[lang]/dashboard/user/user-import.tsx",
        "src/app/[lang]/dashboard/user/page.tsx",
    }
    assert expected <= {f.relative_to(project).as_posix() for f in files}
    for path in files:
        assert not ANY.search(path.read_text()), f"'any' in {path}"
    page = (project / "src/app/[lang]/dashboard/user/page.tsx").read_text()
    assert 'import { UserImport } from "@/src/app/[lang]/dashboard/user/user-import";' in page

    # `check` right after `new` is clean: no drift, rules kept, files complete, tsc passes
    check = run_cli("check", "--project", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "check: clean" in check.stdout

    # the project's own whole-tree scripts stay green too (answers files are prettier-ignored)
    for script in ("lint", "format:check"):
        completed = subprocess.run(
            ["npm", "run", "--silent", script], cwd=project, capture_output=True, text=True
        )
        assert completed.returncode == 0, script + completed.stdout + completed.stderr


def test_the_type_check_catches_a_broken_file(seed_layout_app: Path):
    """The check after `new` is real: a type error in the project makes it fail, by line."""
    project = seed_layout_app
    assert run_cli("init", "--project", str(project)).returncode == 0
    broken = project / "src/app/functions/log.ts"
    broken.write_text(broken.read_text() + "\nexport const broken: number = 'text';\n")
    result = run_cli("new", "user", "--project", str(project), "--fields", *USER_FIELDS)
    assert result.returncode == 1
    assert re.search(
        r"src/app/functions/log\.ts:\d+: TS2322: Type 'string' is not assignable", result.stdout
    )


def test_create_next_app_layout_with_postgresql(tmp_path: Path):
    project = copy_project(CNA_APP, tmp_path / "cna")
    link_node_modules(project)
    prisma_generate(project)
    # node_modules is the example's, shared: print what to install, install nothing.
    init = run_cli("init", "--no-install", "--project", str(project))
    assert init.returncode == 0, init.stdout + init.stderr
    assert "wire your authentication" in init.stdout
    assert (
        "install the packages it uses: npm install --save-exact 'zod@^4.1.0' "
        "'papaparse@^5.4.1' 'eventsource-parser@^3.0.0' 'server-only@^0.0.1' && "
        "npm install --save-dev --save-exact '@types/papaparse@^5.3.14'"
    ) in init.stdout
    assert (project / "src/app/functions/server/auth/auth.ts").is_file()
    result = run_cli(
        "new", "product", "--project", str(project),
        "--fields", "sku:string:unique,key", "name:string:max=120", "price:float:min=0",
        "stock:int:optional,min=0", "releasedOn:date:optional",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tsc: ok" in result.stdout
    assert (project / "src/app/dashboard/product/hooks/use-product-import.ts").is_file()
    route = (project / "src/app/api/product/import/progress/route.ts").read_text()
    assert '"@/app/functions/server/auth/auth"' in route
