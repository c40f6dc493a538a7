"""For maintainers: release the current templates as a template version.

    python -m csvimport_scaffold.release_templates 0.2.0

tags them in the shipped history (`template-history.bundle`); a released tag is never moved.
"""

import sys

from .errors import CsvImportError
from .rendering import template_dir
from .template_history import HISTORY_BUNDLE, TAG_PREFIX, release


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print("usage: python -m csvimport_scaffold.release_templates VERSION", file=sys.stderr)
        return 2
    try:
        release(arguments[0], template_dir())
    except CsvImportError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    print(f"released template version {TAG_PREFIX}{arguments[0]} into {HISTORY_BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
