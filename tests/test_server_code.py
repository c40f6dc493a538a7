"""The generated core import service, unit-tested with Node's own test runner: bisection,
conflict lookup, retries and accounting (tests/server/). Runs inside the generated app like the
client tests, with the react-server condition so `import "server-only"` resolves as on a server.
"""

import os
from pathlib import Path

import pytest
from test_client_code import run_node_tests

SERVER_TESTS = Path(__file__).parent / "server"

pytestmark = pytest.mark.node


@pytest.mark.parametrize("test_file", sorted(p.name for p in SERVER_TESTS.glob("*.test.ts")))
def test_generated_server_code(generated_app: Path, test_file: str) -> None:
    env = {**os.environ, "NODE_OPTIONS": "--conditions=react-server"}
    run_node_tests(generated_app, SERVER_TESTS, test_file, env=env)
