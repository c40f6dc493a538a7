"""The generated browser-side code, unit-tested with Node's own test runner (issue items 7-9,
DESIGN §3 CSV traps): the SSE reader cut at every byte, the chunk splitter, the error-log
builder and the CSV reader.

The TypeScript tests live in tests/client/. They import the generated modules through the
project's alias (`@/src/...`), so they run inside the generated app: copied into it, run with
`node --import tsx --test` (tsx honours tsconfig `paths`), removed again afterwards.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CLIENT_TESTS = Path(__file__).parent / "client"

pytestmark = pytest.mark.node


def run_node_tests(
    app_root: Path,
    source: Path,
    test_file: str,
    *,
    name_pattern: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> str:
    """Copy `source` into the app, run one of its *.test.ts files with `node --test`, remove
    the copy again (the app's tsconfig includes every .ts file: the tests must not linger for
    other checks), and return the output; fail the pytest test unless every test passed."""
    target = app_root / f"csvimport-{source.name}-tests"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("screenshots"))
    command = ["node", "--import", "tsx", "--test", "--test-reporter=spec"]
    if name_pattern:
        command.append(f"--test-name-pattern={name_pattern}")
    try:
        result = subprocess.run(
            [*command, str((target / test_file).relative_to(app_root))],
            cwd=app_root, capture_output=True, text=True, timeout=timeout, env=env,
        )  # fmt: skip
    finally:
        shutil.rmtree(target, ignore_errors=True)
    output = result.stdout + result.stderr
    passed = re.search(r"^\S+ pass (\d+)$", output, re.MULTILINE)
    assert result.returncode == 0, f"node --test {test_file} failed:\n{output}"
    assert passed and int(passed.group(1)) > 0, f"no test ran:\n{output}"
    return output


@pytest.mark.parametrize(
    "test_file", sorted(path.name for path in CLIENT_TESTS.glob("*.test.ts"))
)  # fmt: skip
def test_generated_client_code(generated_app: Path, test_file: str) -> None:
    run_node_tests(generated_app, CLIENT_TESTS, test_file)
