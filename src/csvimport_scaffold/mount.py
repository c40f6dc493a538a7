"""`--mount FILE`: put a generated component into an existing page, between marker comments.

The page names the spot with `{/* csvimport:mount */}`. Mounting adds one import after the
page's last import and the component's JSX before that spot, each wrapped in markers naming the
feature, so running it again changes nothing and `remove` can take it out.
"""

import re

from .errors import UsageError

MOUNT_SPOT = "{/* csvimport:mount */}"


def mount_component(text: str, feature: str, component: str, specifier: str, source: str) -> str:
    """Return `text` with the component mounted (unchanged if it already is)."""
    import_block = f'// csvimport:{feature}:import\nimport {{ {component} }} from "{specifier}";\n'
    if f"csvimport:{feature}:import" in text:
        return text
    spot = re.search(r"^([ \t]*)\{/\*\s*csvimport:mount\s*\*/\}", text, re.M)
    if spot is None:
        raise UsageError(
            f"{source} has no mount spot: add the line {MOUNT_SPOT} to its JSX where the "
            "import button should appear"
        )
    indent = spot.group(1)
    jsx = f"{indent}{{/* csvimport:{feature} */}}\n{indent}<{component} />\n"
    text = text[: spot.start()] + jsx + text[spot.start() :]

    imports = list(re.finditer(r"^import\s[^;]*;[ \t]*\n", text, re.M))
    if imports:
        position = imports[-1].end()
    else:  # after a leading directive such as "use client", or at the top
        directive = re.match(r"""\s*(["'])use (client|server)\1;?[ \t]*\n""", text)
        position = directive.end() if directive else 0
    return text[:position] + import_block + text[position:]


def unmount_component(text: str, feature: str) -> str:
    """Take out what `mount_component` put in for `feature` (its marked import and JSX)."""
    name = re.escape(feature)
    text = re.sub(rf"^[ \t]*// csvimport:{name}:import\n[^\n]*\n", "", text, flags=re.M)
    return re.sub(rf"^[ \t]*\{{/\* csvimport:{name} \*/\}}\n[^\n]*\n", "", text, flags=re.M)
