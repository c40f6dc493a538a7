"""The demo works in a browser as examples/demo.sh prints it: Chromium with no auth header at all
signs in on the example's sign-in page and imports examples/sample-users.csv through the
generated user import (tests/browser/demo-sign-in.test.ts), against the generated app served
by `next start` on a fresh SQLite file.

Also, without a browser: what demo.sh prints and builds on exists, and its `user` feature is
the one the served app and the sample are made for.
"""

import os
import re
import shlex
from pathlib import Path

import pytest
from test_client_code import run_node_tests

from running_app import REPO, USER_FIELDS, RunningApp

BROWSER_TESTS = Path(__file__).parent / "browser"
DEMO = REPO / "examples" / "demo.sh"
SAMPLE = REPO / "examples" / "sample-users.csv"


@pytest.mark.node
def test_demo_sign_in_and_sample_import_in_chromium(
    app: RunningApp, chromium: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "BASE_URL": app.base_url,
        "DATABASE_PATH": str(app.database),
        "SERVER_LOG": str(app.log_path),
        "DOWNLOAD_DIR": str(tmp_path),
        "SAMPLE_CSV": str(SAMPLE),
        "NO_COLOR": "1",
    }
    env.pop("AUTH_TOKEN", None)  # the point: no Bearer token anywhere
    run_node_tests(app.root, BROWSER_TESTS, "demo-sign-in.test.ts", env=env)


def _demo_user_fields() -> list[str]:
    """The `--fields` of demo.sh's `csvimport new user` command, as the shell reads them."""
    command = re.search(r"^\$csvimport new user .*?[^\\]$", DEMO.read_text(), re.M | re.S)
    assert command, "demo.sh has no `$csvimport new user` command"
    words = shlex.split(command.group(0).replace("\\\n", " "))
    return words[words.index("--fields") + 1 :]


def test_demo_generates_the_user_feature_the_browser_test_serves() -> None:
    # The browser test imports the sample into an app made with USER_FIELDS: it proves the demo
    # only while the two agree.
    assert _demo_user_fields() == USER_FIELDS


def test_the_sample_demo_sh_prints_exists_with_a_column_for_each_demo_user_field() -> None:
    sample = re.search(r"^sample=(\S+)", DEMO.read_text(), re.M)
    assert sample, "demo.sh names its sample CSV in `sample=...`"
    assert (REPO / sample.group(1)).resolve() == SAMPLE and SAMPLE.is_file()
    header = SAMPLE.read_text().splitlines()[0].split(",")
    names = {}  # header names the import accepts (field name or alias) -> field
    for field in _demo_user_fields():
        name = field.split(":")[0]
        names[name] = name
        names.update((alias, name) for alias in re.findall(r"alias=([^,]+)", field))
    assert sorted(names.get(cell, cell) for cell in header) == sorted(set(names.values()))
