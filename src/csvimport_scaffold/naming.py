"""Names: the patterns a name must match (features, JavaScript exports, import specifiers), and
conversions of the spec model: suggestions for bad names, default labels and models."""

import re

KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")
# A JavaScript export name (an identifier; `default` is one too).
JS_EXPORT = re.compile(r"[A-Za-z_$][\w$]*", re.ASCII)
# A module specifier as projects write them: a package, an alias path or a relative path.
IMPORT_SPECIFIER = re.compile(r"[@~#.\w][\w@~#./\[\]()+-]*", re.ASCII)
# Words that cannot name a binding in a module (strict mode).
JS_RESERVED_WORDS = frozenset(
    {
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
    }
)


def is_binding_name(name: str, *, default_ok: bool = False) -> bool:
    """Whether generated code can import `name` and call it: an identifier, not a reserved
    word (`default` when the import may be a default import)."""
    if default_ok and name == "default":
        return True
    return bool(JS_EXPORT.fullmatch(name)) and name not in JS_RESERVED_WORDS


def is_import_specifier(text: str) -> bool:
    """A specifier generated code may import: a package, an alias path or a path from the
    project root (`./lib/db`), never climbing out with `..`."""
    return (
        bool(IMPORT_SPECIFIER.fullmatch(text))
        and ".." not in text.split("/")
        and not text.endswith("/")
    )


def pascal_case(kebab: str) -> str:
    """`course-enrollment` -> `CourseEnrollment`."""
    return "".join(part[:1].upper() + part[1:] for part in kebab.split("-"))


def camel_case(kebab: str) -> str:
    """`course-enrollment` -> `courseEnrollment`."""
    pascal = pascal_case(kebab)
    return pascal[:1].lower() + pascal[1:]


def kebab_case(name: str) -> str:
    """A best-effort kebab-case spelling of any name, used in suggestions."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name.strip())
    return re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")


def humanize(camel: str) -> str:
    """`joinedOn` -> `Joined on` (a default label for messages and the error log)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", camel).split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]
