"""The importer as the people who import use it (issue 9): each scenario of
tests/browser/importer-flow.test.ts in Debian's Chromium against the example app served by
`next start`: guidance before the upload, refused files, encodings, drag and drop, the
mapping step, the review grid, the error file round trip, warnings, German, the keyboard,
and axe-core at every step. Screenshots of every step, light and dark, are saved under
tests/browser/screenshots/plain/ (not committed).
"""

import os
from pathlib import Path

import pytest
from test_client_code import run_node_tests

from running_app import RunningApp

BROWSER_TESTS = Path(__file__).parent / "browser"
SCREENSHOTS = BROWSER_TESTS / "screenshots"

pytestmark = pytest.mark.node


@pytest.mark.parametrize(
    "scenario",
    [
        "shows the expected columns",
        "refuses a PNG",
        "reads Windows-1252 and UTF-16",
        "maps headers that do not match",
        "fixes two bad cells in the grid",
        "an error file, fixed by a script",
        "shows ragged rows and unknown columns",
        "speaks German",
        "imports with the keyboard only",
    ],
)
def test_importer_in_chromium(app: RunningApp, tmp_path: Path, scenario: str) -> None:
    assert Path("/usr/bin/chromium").exists(), "chromium is missing (tests/run.sh installs it)"
    env = {
        **os.environ,
        "BASE_URL": app.base_url,
        "DATABASE_PATH": str(app.database),
        "SERVER_LOG": str(app.log_path),
        "DOWNLOAD_DIR": str(tmp_path),
        "SCREENSHOT_DIR": str(SCREENSHOTS / "plain"),
        "AUTH_TOKEN": app.token,
        "NO_COLOR": "1",
    }
    run_node_tests(
        app.root, BROWSER_TESTS, "importer-flow.test.ts", name_pattern=scenario, env=env
    )  # fmt: skip
