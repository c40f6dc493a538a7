"""Reading project files for planning: a missing file is None; other read failures are errors."""

from pathlib import Path

from .errors import CsvImportError, UsageError
from .user_files import MAX_FILE_BYTES, decode_utf8


def read_text_or_none(path: Path) -> str | None:
    """The file's text as it is (line endings and a BOM kept, so it compares byte for byte
    with a rendering), or None when it does not exist."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None  # absent; a file blocking a folder is reported when writing
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory where csvimport needs a file") from None
    except OSError as error:
        raise CsvImportError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"{path} is larger than {MAX_FILE_BYTES:,} bytes")
    return decode_utf8(data, str(path), keep_bom=True)
