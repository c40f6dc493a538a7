"""Reading the files a user hands csvimport (spec files, csvimport.json, answers files, schemas,
package.json, tsconfig): bounded in size, decoded strictly, YAML with limits. Every failure is a
one-line UsageError naming the file, never a traceback."""

from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError

# Far above any real spec, config or schema; far below what exhausts memory.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 200_000


def read_user_text(path: Path, what: str = "", max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of a user's file, as UTF-8 (a BOM is dropped). `what` names the kind of file in
    errors ("spec file"). Reads at most `max_bytes + 1` bytes, so a device or a growing file
    (/dev/zero) is refused too."""
    name = f"{what} {path}" if what else str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise UsageError(f"{what or 'file'} not found: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{name} is a directory, not a file") from None
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise UsageError(f"{name} is larger than {max_bytes:,} bytes")
    return decode_utf8(data, name)


def decode_utf8(data: bytes, source: str, *, keep_bom: bool = False) -> str:
    """`data` as UTF-8 text, or an error naming the first bad byte and its offset."""
    try:
        return data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
        raise UsageError(
            f"{source} is not UTF-8 text: byte 0x{data[offset]:02x} at offset {offset}"
        ) from None


class _YamlLimit(Exception):
    pass


class _BoundedLoader(yaml.SafeLoader):
    """A safe loader that refuses deep nesting while composing, before it costs recursion."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _YamlLimit(f"nesting deeper than {MAX_YAML_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document holds once every alias is expanded (a billion-laughs
    document is small on disk and huge here), counted once per distinct node."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        total = 1 + sum(size(child) for child in children)
        sizes[id(node)] = total
        return total

    return size(root)


def load_user_yaml(text: str, source: str) -> Any:
    """The data of a YAML document from a user's file: safe tags only, bounded nesting and
    expanded size; a syntax error names its line and column."""
    loader = None
    try:
        loader = _BoundedLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_YAML_NODES:
            raise _YamlLimit(f"more than {MAX_YAML_NODES:,} values once aliases are expanded")
        return loader.construct_document(node)
    except _YamlLimit as limit:
        raise UsageError(f"{source} is not accepted: {limit}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        raise UsageError(
            f"{source} is not valid YAML: character #x{error.character:04x} "
            f"at offset {error.position} is not allowed"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise UsageError(f"{source} is not valid YAML{where}: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()
