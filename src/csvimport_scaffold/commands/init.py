"""`csvimport init`: record the project's layout in csvimport.json and render the core."""

from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_FILE, PROVIDERS, ProjectConfig, load_config
from ..errors import UsageError
from ..plan import FileChange, Plan, Status, plan_edit, plan_files
from ..project import ProjectInfo, detect_project, specifier_for
from ..rendering import ANSWERS_DIR, answers_file_for, current_revision, plan_bundle, render
from ..workspace import read_text_or_none

# Written by init only where the project has no such module; the user wires them afterwards.
LOG_MODULE = "functions/log.ts"
AUTH_MODULE = "functions/server/auth/auth.ts"
PRETTIER_IGNORE = ".prettierignore"
RUNTIME_PACKAGES = ("zod", "papaparse", "server-only", "eventsource-parser")
TYPE_PACKAGES = ("@types/papaparse",)


@dataclass(frozen=True)
class InitOverrides:
    prisma_import: str | None = None
    log_import: str | None = None
    auth_import: str | None = None


@dataclass(frozen=True)
class InitResult:
    config: ProjectConfig
    plan: Plan
    notes: tuple[str, ...]


def plan_init(
    root: Path, *, force: bool = False, overrides: InitOverrides = InitOverrides()
) -> InitResult:
    info = detect_project(root)
    existing = root / CONFIG_FILE
    config = load_config(root) if existing.is_file() else config_from_detection(info, overrides)
    create_log = not existing.is_file() and info.log_module is None and overrides.log_import is None
    create_auth = (
        not existing.is_file() and info.auth_module is None and overrides.auth_import is None
    )

    answers = {
        "kind": "core",
        **config.template_answers(),
        "create_log": create_log,
        "create_auth": create_auth,
    }
    with current_revision(root) as revision:
        rendered = render(answers, answers_file_for("core"), revision)
        bundle = plan_bundle(root, revision)
    rendered[CONFIG_FILE] = config.to_json()
    plan = plan_files(rendered, lambda path: read_text_or_none(root / path), force=force)
    plan = Plan((bundle, *plan.changes))
    if config.formatter == "prettier":
        plan = Plan((*plan.changes, _prettier_ignore_change(root)))
    return InitResult(config, plan, tuple(_notes(info, create_log, create_auth, config)))


def _prettier_ignore_change(root: Path) -> FileChange:
    """Answers files are copier's YAML, not prettier's: keep `prettier --check .` quiet on them."""
    current = read_text_or_none(root / PRETTIER_IGNORE)
    if current is None:
        return FileChange(PRETTIER_IGNORE, f"{ANSWERS_DIR}/\n", None, Status.CREATE)
    if any(line.strip().strip("/") == ANSWERS_DIR for line in current.splitlines()):
        return plan_edit(PRETTIER_IGNORE, current, current)
    separator = "" if current.endswith("\n") or not current else "\n"
    return plan_edit(PRETTIER_IGNORE, current, f"{current}{separator}{ANSWERS_DIR}/\n")


def config_from_detection(info: ProjectInfo, overrides: InitOverrides) -> ProjectConfig:
    if info.prisma is None or info.prisma_schema_path is None:
        raise UsageError(f"no Prisma schema found in {info.root} (expected prisma/schema.prisma)")
    provider = info.prisma.provider
    if provider not in PROVIDERS:
        raise UsageError(
            f"Prisma provider '{provider}' is not supported (supported: {', '.join(PROVIDERS)})"
        )
    prisma_import = overrides.prisma_import or (info.prisma_module and info.prisma_module.specifier)
    if not prisma_import:
        raise UsageError(
            "no module exporting `prisma` found (a PrismaClient singleton); create one or pass "
            "--prisma-import @/path/to/prisma"
        )
    log_import = overrides.log_import or (
        info.log_module.specifier if info.log_module else _core_module(info, LOG_MODULE)
    )
    auth_import = overrides.auth_import or (
        info.auth_module.specifier if info.auth_module else _core_module(info, AUTH_MODULE)
    )
    return ProjectConfig(
        app_dir=info.app_dir,
        app_import=info.app_import,
        dashboard_dir=info.dashboard_dir,
        alias_prefix=info.alias_prefix,
        alias_target=info.alias_target,
        package_manager=info.package_manager,
        prisma_schema=info.prisma_schema_path,
        prisma_provider=provider,
        prisma_import=prisma_import,
        prisma_export="prisma",
        log_import=log_import,
        log_export="log",
        auth_import=auth_import,
        auth_function="getUserAuthOrThrow",
        zod_major=info.zod_major if info.zod_major in (3, 4) else 4,
        formatter=info.formatter,
        linter=info.linter,
    )


def _core_module(info: ProjectInfo, relative: str) -> str:
    return specifier_for(f"{info.app_dir}/{relative}", info.alias_prefix, info.alias_target)


def _notes(
    info: ProjectInfo, create_log: bool, create_auth: bool, config: ProjectConfig
) -> list[str]:
    notes = []
    if create_auth:
        notes.append(
            f"wire your authentication: {config.app_dir}/{AUTH_MODULE} rejects every request "
            "until getUserAuthOrThrow() checks your session"
        )
    if create_log:
        notes.append(
            f"no `log` module found: wrote {config.app_dir}/{LOG_MODULE} (console JSON lines)"
        )
    missing = [p for p in RUNTIME_PACKAGES if p not in info.dependencies]
    missing_types = [p for p in TYPE_PACKAGES if p not in info.dependencies]
    if missing or missing_types:
        manager = info.package_manager
        add = "install" if manager == "npm" else "add"
        commands = []
        if missing:
            commands.append(f"{manager} {add} {' '.join(missing)}")
        if missing_types:
            flag = "--save-dev" if manager == "npm" else "-D"
            commands.append(f"{manager} {add} {flag} {' '.join(missing_types)}")
        notes.append("install the packages the import system uses: " + " && ".join(commands))
    return notes
