"""Whether the modules csvimport.json names exist: generated code imports them, so a specifier
that resolves nowhere is refused before anything is written, not found by the type check after.

A specifier resolves as the project's bundler resolves it: a path from the project root
(`./lib/db`, projects without an alias), a path through the recorded alias (`@/lib/db`), or a
package the project depends on (`@acme/db`)."""

from pathlib import Path

from .config import ProjectConfig
from .errors import UsageError
from .project import declared_dependencies, read_package_json

SOURCE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".d.ts", ".js", ".jsx", ".mjs", ".cjs")
# The modules generated code imports, by their csvimport.json key.
IMPORTED_MODULES = {
    "prismaImport": "prisma_import",
    "logImport": "log_import",
    "authImport": "auth_import",
}


def module_path(specifier: str, alias_prefix: str, alias_target: str) -> str | None:
    """The project-relative path a local specifier names (without suffix); None for a
    package."""
    if specifier.startswith("./"):
        return specifier[2:]
    if alias_prefix and specifier.startswith(alias_prefix):
        inner = specifier[len(alias_prefix) :]
        return inner if alias_target in ("", ".") else f"{alias_target}/{inner}"
    return None


def package_name(specifier: str) -> str:
    """`@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`."""
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def resolves(root: Path, specifier: str, alias_prefix: str, alias_target: str) -> bool:
    path = module_path(specifier, alias_prefix, alias_target)
    if path is None:
        name = package_name(specifier)
        return (
            name in declared_dependencies(read_package_json(root))
            or (root / "node_modules" / name).is_dir()
        )
    base = root / path
    candidates = [base.with_name(base.name + suffix) for suffix in SOURCE_SUFFIXES]
    candidates += [base / f"index{suffix}" for suffix in SOURCE_SUFFIXES]
    return any(candidate.is_file() for candidate in candidates)


def check_modules_resolve(
    root: Path, config: ProjectConfig, keys: tuple[str, ...] = tuple(IMPORTED_MODULES)
) -> None:
    """Every module of `keys` (csvimport.json keys; default all it names) must resolve."""
    for key in keys:
        specifier = getattr(config, IMPORTED_MODULES[key])
        if not resolves(root, specifier, config.alias_prefix, config.alias_target):
            raise UsageError(
                f"{key} '{specifier}' in csvimport.json resolves to no module of the project "
                "(fix it, or run `csvimport init` again)"
            )
