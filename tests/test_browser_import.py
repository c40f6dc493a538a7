"""The user import used in a real browser (issue item 10): Debian's Chromium, driven by
playwright-core from tests/browser/user-import.test.ts, against the generated app served by
`next start` on a fresh SQLite file.

Each scenario below runs one test of that file (by name) in its own Chromium. The script gets
the server's URL, its database and log files and a download folder from the environment, and
checks the database itself (better-sqlite3). A screenshot of the result dialog of the 2,000-row
import is left at /tmp/csvimport-result.png.
"""

import os
from pathlib import Path

import pytest
from test_client_code import run_node_tests

from running_app import RunningApp

BROWSER_TESTS = Path(__file__).parent / "browser"
SCREENSHOT = Path("/tmp/csvimport-result.png")

pytestmark = pytest.mark.node


@pytest.mark.parametrize(
    "scenario",
    [
        # 2,000 rows (37 bad) over 3 requests: progress, result, error log, database, again.
        "imports 2,000 messy rows",
        # Cancel during a long batch: no further request, nothing more written.
        "cancel stops the import",
        # A file over papaparse's 10 MiB slice size, with an "ë" across the slice boundary.
        "a file over 10 MB keeps its non-ASCII characters",
        # The dashboard mounts the user and the course import: each keeps its own state.
        "two importers on one page do not interfere",
    ],
)
def test_user_import_in_chromium(
    app: RunningApp, chromium: Path, tmp_path: Path, scenario: str
) -> None:
    env = {
        **os.environ,
        "BASE_URL": app.base_url,
        "DATABASE_PATH": str(app.database),
        "SERVER_LOG": str(app.log_path),
        "DOWNLOAD_DIR": str(tmp_path),
        "SCREENSHOT_PATH": str(SCREENSHOT),
        "AUTH_TOKEN": app.token,
        "NO_COLOR": "1",
    }
    run_node_tests(
        app.root, BROWSER_TESTS, "user-import.test.ts", name_pattern=scenario, env=env
    )  # fmt: skip
