"""Read the import alias from tsconfig.json, which is JSONC and may `extends` other files."""

from pathlib import Path, PurePosixPath
from typing import Any

import json5

from .errors import UsageError
from .user_files import read_user_text

MAX_EXTENDS_DEPTH = 10


def load_compiler_options(tsconfig: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Merged `compilerOptions` along the `extends` chain, plus for `paths` and `baseUrl` the
    file that declares each (paths are relative to its folder)."""
    options: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    for config_path, config in reversed(_extends_chain(tsconfig)):
        compiler = config.get("compilerOptions") or {}
        if not isinstance(compiler, dict):
            raise UsageError(f"{config_path}: compilerOptions must be an object")
        for key, value in compiler.items():
            options[key] = value
            if key in ("paths", "baseUrl"):
                origins[key] = config_path
    return options, origins


def find_alias(tsconfig: Path, root: Path, app_dir: str) -> tuple[str, str, str] | None:
    """The alias prefix (e.g. `@/`), the folder it maps to, relative to the project root
    (e.g. `.` or `src`), and the tsconfig file that declares it, choosing a mapping that
    reaches `app_dir`; None when none does."""
    folders, declared_in = _alias_folders(tsconfig, root)
    candidates = [
        (prefix != "@/", prefix, folder)
        for prefix, folder in folders.items()
        if _is_within(PurePosixPath(app_dir), PurePosixPath(folder))
    ]
    if not candidates:
        return None
    _, prefix, folder = sorted(candidates)[0]
    return prefix, folder, _display_path(declared_in, root)


def path_aliases(tsconfig: Path, root: Path) -> dict[str, str]:
    """Every wildcard alias of `compilerOptions.paths` that maps into the project: its prefix
    (`@components/`) and folder relative to the root (`src/components`)."""
    return _alias_folders(tsconfig, root)[0]


def _alias_folders(tsconfig: Path, root: Path) -> tuple[dict[str, str], Path]:
    options, origins = load_compiler_options(tsconfig)
    paths = options.get("paths") or {}
    if not isinstance(paths, dict):
        raise UsageError(f"{tsconfig}: compilerOptions.paths must be an object")
    declared_in = origins.get("paths", tsconfig)
    base = declared_in.parent
    if "baseUrl" in options:
        base = (origins["baseUrl"].parent / str(options["baseUrl"])).resolve()
    folders = {}
    for pattern, targets in paths.items():
        if not (pattern.endswith("/*") and isinstance(targets, list) and targets):
            continue
        target = str(targets[0])
        if not target.endswith("/*"):
            continue
        folder = (base / target[:-2]).resolve()
        try:
            relative = folder.relative_to(root.resolve())
        except ValueError:
            continue
        folders[pattern[:-1]] = relative.as_posix()
    return folders, declared_in


def _is_within(path: PurePosixPath, folder: PurePosixPath) -> bool:
    return str(folder) == "." or path == folder or folder in path.parents


def _extends_chain(tsconfig: Path) -> list[tuple[Path, dict[str, Any]]]:
    chain: list[tuple[Path, dict[str, Any]]] = []
    current: Path | None = tsconfig
    while current is not None:
        if len(chain) >= MAX_EXTENDS_DEPTH or any(p == current for p, _ in chain):
            raise UsageError(f"{tsconfig}: 'extends' chain is cyclic or too deep")
        config = _read_jsonc(current)
        chain.append((current, config))
        parent = config.get("extends")
        if isinstance(parent, list):  # TS 5: later entries win; follow the last one
            parent = parent[-1] if parent else None
        current = _resolve_extends(current, parent) if isinstance(parent, str) else None
    return chain


def _resolve_extends(config_path: Path, spec: str) -> Path | None:
    if spec.startswith("."):
        candidate = (config_path.parent / spec).resolve()
        candidates = [candidate, candidate.with_name(candidate.name + ".json")]
    else:  # a package, e.g. @tsconfig/next/tsconfig.json
        modules = [p / "node_modules" / spec for p in (config_path.parent, *config_path.parents)]
        candidates = [
            c for m in modules for c in (m, m.with_name(m.name + ".json"), m / "tsconfig.json")
        ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if spec.startswith("."):
        raise UsageError(f"{config_path}: extends '{spec}' not found")
    return None  # an uninstalled package only contributes options we do not need


def _read_jsonc(path: Path) -> dict[str, Any]:
    text = read_user_text(path)
    try:
        data = json5.loads(text)
    except ValueError as error:
        raise UsageError(f"{path} is not valid JSON/JSONC: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold a JSON object")
    return data


def _display_path(path: Path, root: Path) -> str:
    """A tsconfig file as a person finds it: from the project root, or from node_modules."""
    resolved = path.resolve()
    if resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return str(path)
