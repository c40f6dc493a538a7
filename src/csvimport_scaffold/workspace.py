"""Reading project files for planning: a missing file is None; other read failures are errors."""

from pathlib import Path

from .errors import CsvImportError


def read_text_or_none(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None  # absent; a file blocking a folder is reported when writing
    except IsADirectoryError:
        raise CsvImportError(
            f"{path} is a directory where csvimport needs to write a file"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CsvImportError(f"cannot read {path}: {error}") from None
