"""`--mount FILE`: put a generated component into an existing page.

A page that names the spot with `{/* csvimport:mount */}` gets the component's JSX before that
line. A page without it gets the JSX as the last child of the element its default export
returns, at `PageSpots` found in its syntax tree (`page_syntax.py`). Either way one import goes
after the page's last import; each insertion is wrapped in markers naming the feature, so
running it again changes nothing and `remove` can take it out.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import UsageError

MOUNT_SPOT = "{/* csvimport:mount */}"
_MOUNT_SPOT = re.compile(r"^([ \t]*)\{/\*\s*csvimport:mount\s*\*/\}", re.M)


@dataclass(frozen=True)
class PageSpots:
    """Where a page without a mount spot takes the component: offsets of the lines the import
    and the JSX go before, and the indentation of the JSX's new siblings."""

    import_at: int
    jsx_at: int
    indent: str


@dataclass(frozen=True)
class CannotMount:
    """Why a page is left as it is (it is then mounted by hand)."""

    reason: str


def is_mounted(text: str, feature: str) -> bool:
    return f"csvimport:{feature}:import" in text


def has_mount_spot(text: str) -> bool:
    return _MOUNT_SPOT.search(text) is not None


def import_statement(component: str, specifier: str) -> str:
    return f'import {{ {component} }} from "{specifier}";'


def mount_component(
    text: str,
    feature: str,
    component: str,
    specifier: str,
    source: str,
    *,
    spots: PageSpots | None = None,
    statement: str | None = None,
) -> str:
    """Return `text` with the component mounted (unchanged if it already is): at the page's
    mount spot, else at `spots`. `statement` is the import in the project's style."""
    if is_mounted(text, feature):
        return text
    statement = statement or import_statement(component, specifier)
    import_block = f"// csvimport:{feature}:import\n{statement}\n"
    spot = _MOUNT_SPOT.search(text)
    if spot is None:
        if spots is None:
            raise UsageError(
                f"{source} has no mount spot: add the line {MOUNT_SPOT} to its JSX where the "
                "import button should appear"
            )
        jsx = _jsx_block(spots.indent, feature, component)
        return insert_lines(text, [(spots.import_at, import_block), (spots.jsx_at, jsx)])
    text = insert_lines(text, [(spot.start(), _jsx_block(spot.group(1), feature, component))])

    imports = list(re.finditer(r"^import\s[^;]*;[ \t]*\n", text, re.M))
    if imports:
        position = imports[-1].end()
    else:  # after a leading directive such as "use client", or at the top
        directive = re.match(r"""\s*(["'])use (client|server)\1;?[ \t]*\n""", text)
        position = directive.end() if directive else 0
    return insert_lines(text, [(position, import_block)])


def insert_lines(text: str, insertions: Iterable[tuple[int, str]]) -> str:
    """`text` with each block inserted at its offset, every offset counted in the original
    text and each one the start of a line."""
    for position, block in sorted(insertions, key=lambda insertion: insertion[0], reverse=True):
        if not (position == 0 or text[position - 1 : position] == "\n") or position > len(text):
            raise ValueError(f"offset {position} is not the start of a line")
        text = text[:position] + block + text[position:]
    return text


def unmount_component(text: str, feature: str) -> str:
    """Take out what `mount_component` put in for `feature` (its marked import and JSX)."""
    name = re.escape(feature)
    text = re.sub(rf"^[ \t]*// csvimport:{name}:import\n[^\n]*\n", "", text, flags=re.M)
    return re.sub(rf"^[ \t]*\{{/\* csvimport:{name} \*/\}}\n[^\n]*\n", "", text, flags=re.M)


def _jsx_block(indent: str, feature: str, component: str) -> str:
    return f"{indent}{{/* csvimport:{feature} */}}\n{indent}<{component} />\n"
