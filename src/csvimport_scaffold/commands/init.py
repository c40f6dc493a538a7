"""`csvimport init`: record the project's layout in csvimport.json and render the core."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ..auth_detection import AuthSource
from ..config import ASSUMED_PRISMA_VERSION, CONFIG_FILE, PROVIDERS, ProjectConfig, load_config
from ..dependencies import InstallPlan, install_plan_for, zod_major_for
from ..errors import UsageError
from ..formatter_ignore import formatter_ignore_changes
from ..formatting import format_rendering
from ..ledger import plan_ledger
from ..module_resolution import check_modules_resolve
from ..naming import is_binding_name, is_import_specifier
from ..plan import Plan, plan_files
from ..prisma_generate import GenerateCommand, generate_command
from ..project import (
    ModuleRef,
    ProjectInfo,
    detect_project,
    given_prisma_schema,
    major_of,
    read_package_json,
)
from ..rendering import answers_file_for, current_revision, plan_bundle, render
from ..sqlite_busy_wait import busy_wait_advice
from ..subprojects import read_subprojects
from ..ui_kit_detection import UiKit, chosen_ui_kit, recorded_ui_kit
from ..workspace import read_text_or_none

# Prisma 7 builds its client with a driver adapter csvimport cannot choose for a project.
FIRST_PRISMA_NEEDING_AN_ADAPTER = 7


@dataclass(frozen=True)
class ProjectModule:
    """A module of the project the generated code imports, which init writes (under the app
    directory, switched on by the core answer `create`) where the project has none."""

    name: str
    create: str
    path: str
    export: str


LOG = ProjectModule("log", "create_log", "functions/log.ts", "log")
AUTH = ProjectModule("auth", "create_auth", "functions/server/auth/auth.ts", "getUserAuthOrThrow")
PRISMA = ProjectModule("prisma", "create_prisma", "functions/server/prisma.ts", "prisma")


@dataclass(frozen=True)
class InitOverrides:
    prisma_import: str | None = None
    prisma_export: str | None = None
    log_import: str | None = None
    auth_import: str | None = None
    auth_function: str | None = None
    prisma_schema: str | None = None
    ui_kit: str | None = None  # plain, tailwind or shadcn instead of the detected or recorded kit


@dataclass(frozen=True)
class InitResult:
    config: ProjectConfig
    plan: Plan
    install: InstallPlan | None  # packages the generated code needs and the project lacks
    notes: tuple[str, ...]  # what the user still has to do
    found: tuple[str, ...] = ()  # what was detected that shapes the generated code
    regenerate: GenerateCommand | None = None  # the schema changed: the client is out of date


class InitQuestions(Protocol):
    """Asks on a terminal for what detection could not find."""

    def prisma_client_module(self) -> tuple[str, str]: ...

    def prisma_schema(self, check: Callable[[str], str]) -> str: ...


def plan_init(
    root: Path,
    *,
    force: bool = False,
    overrides: InitOverrides = InitOverrides(),
    questions: InitQuestions | None = None,
) -> InitResult:
    info = detect_project(root, overrides.prisma_schema)
    requested_ui_kit = chosen_ui_kit(info.ui_kit, overrides.ui_kit) if overrides.ui_kit else None
    if questions is not None and info.prisma is None and not (root / CONFIG_FILE).is_file():
        schema = questions.prisma_schema(lambda answer: given_prisma_schema(root, answer))
        overrides = replace(overrides, prisma_schema=schema)
        info = detect_project(root, schema)
    if questions is not None and _needs_prisma_import(info, overrides):
        specifier, export = questions.prisma_client_module()
        overrides = replace(overrides, prisma_import=specifier, prisma_export=export)
    if (root / CONFIG_FILE).is_file():
        config = load_config(root)
        recorded = _recorded_core_answers(root)
        created = {m.name for m in (LOG, AUTH, PRISMA) if recorded.get(m.create) is True}
        adapter = {key: recorded[key] for key in AUTH_ADAPTER_ANSWERS if key in recorded}
        recorded_ui = recorded_ui_kit(recorded, answers_file_for("core"))
    else:
        if problems := init_problems(info, overrides):
            raise UsageError(problems[0])
        created = modules_to_write(info, overrides)
        config = config_from_detection(info, overrides, created)
        check_modules_resolve(root, config, _modules_given(overrides))
        adapter = auth_adapter_answers(info.auth if AUTH.name in created else None)
        recorded_ui = None
    # an explicit --ui-kit, else what the core recorded (kept like its other answers), else found
    ui_kit = requested_ui_kit or recorded_ui or info.ui_kit

    answers = {
        "kind": "core",
        **config.template_answers(),
        **{m.create: m.name in created for m in (LOG, AUTH, PRISMA)},
        **adapter,
        **ui_kit.answers(),
        "prisma_client_import": info.prisma_client_import,
    }
    with current_revision(root) as revision:
        rendered = render(
            answers, answers_file_for("core"), revision, project=root, formatter=config.formatter
        )
        bundle = plan_bundle(root, revision)
    rendered |= format_rendering(root, {CONFIG_FILE: config.to_json()}, config.formatter)
    plan = plan_files(rendered, lambda path: read_text_or_none(root / path), force=force)
    plan = Plan((bundle, *plan.changes))
    ignore_changes, ignore_note = formatter_ignore_changes(root, config.formatter)
    ledger = plan_ledger(root, config.prisma_schema)
    plan = Plan((*plan.changes, *ignore_changes, *ledger.changes))
    install = install_plan_for(info, config.zod_major)
    provider = adapter.get("auth_provider", "stub")
    return InitResult(
        config,
        plan,
        install,
        (
            *_notes(created, config, provider),
            *((ignore_note,) if ignore_note else ()),
            *_ui_kit_notes(ui_kit, info.ui_kit, overrides.ui_kit),
            *ledger.notes,
            *_busy_wait_notes(root, info, created),
        ),
        (*_found(created, config, info.auth, provider), f"ui: {ui_kit.description}"),
        _regenerate(root, info, config, ledger.schema),
    )


def _busy_wait_notes(root: Path, info: ProjectInfo, created: set[str]) -> list[str]:
    """Advice for a SQLite client that waits for locks on Node's only thread."""
    module = info.prisma_module
    if PRISMA.name in created or module is None or info.prisma is None:
        return []
    if info.prisma.provider != "sqlite":
        return []
    source = read_text_or_none(root / module.path) or ""
    advice = busy_wait_advice(module.path, source)
    return [advice] if advice else []


def _regenerate(
    root: Path, info: ProjectInfo, config: ProjectConfig, schema: str | None
) -> GenerateCommand | None:
    """How to regenerate the Prisma client once `schema` changed (None: it did not)."""
    if schema is None:
        return None
    scripts = read_package_json(root).get("scripts")
    return generate_command(
        root,
        scripts if isinstance(scripts, dict) else {},
        config.package_manager,
        schema,
        through_corepack=info.package_manager_pinned,
    )


def _modules_given(overrides: InitOverrides) -> tuple[str, ...]:
    """csvimport.json keys of the modules named by flags (the others are found or written)."""
    given = {
        "prismaImport": overrides.prisma_import,
        "logImport": overrides.log_import,
        "authImport": overrides.auth_import,
    }
    return tuple(key for key, value in given.items() if value)


AUTH_ADAPTER_ANSWERS = ("auth_provider", "auth_source_import", "auth_source_export")


def auth_adapter_answers(found: AuthSource | None) -> dict[str, str]:
    """The core answers for csvimport's auth module: an adapter to the auth library found,
    else the stub."""
    if found is None or found.provider is None:
        return {"auth_provider": "stub", "auth_source_import": "", "auth_source_export": ""}
    return {
        "auth_provider": found.provider,
        "auth_source_import": found.specifier,
        "auth_source_export": found.export,
    }


def _recorded_core_answers(root: Path) -> dict:
    core = next((s for s in read_subprojects(root) if s.is_core), None)
    return core.answers if core else {}


def modules_to_write(info: ProjectInfo, overrides: InitOverrides) -> set[str]:
    """The project modules init writes: those neither detected nor given by a flag."""
    missing = set()
    if info.log_module is None and overrides.log_import is None:
        missing.add(LOG.name)
    own_helper = info.auth is not None and info.auth.provider is None
    if not own_helper and overrides.auth_import is None:
        missing.add(AUTH.name)
    if info.prisma_module is None and overrides.prisma_import is None:
        missing.add(PRISMA.name)
    return missing


def _needs_prisma_import(info: ProjectInfo, overrides: InitOverrides) -> bool:
    """No client instance to import, and init cannot write one: Prisma 7 builds its client
    with a driver adapter only the project can choose."""
    needs_adapter = (major_of(info.prisma_version) or 0) >= FIRST_PRISMA_NEEDING_AN_ADAPTER
    return info.prisma_module is None and overrides.prisma_import is None and needs_adapter


def init_problems(info: ProjectInfo, overrides: InitOverrides = InitOverrides()) -> list[str]:
    """What stops `init` in this project, each with the way out."""
    problems = []
    if info.prisma is None or info.prisma_schema_path is None:
        problems.append(
            f"no Prisma schema found in {info.root} (looked for prisma/schema.prisma): "
            "pass --prisma-schema PATH"
        )
    elif info.prisma.provider not in PROVIDERS:
        problems.append(
            f"Prisma provider '{info.prisma.provider}' is not supported "
            f"(supported: {', '.join(PROVIDERS)})"
        )
    if _needs_prisma_import(info, overrides):
        problems.append(
            "no module exports a PrismaClient instance, and Prisma "
            f"{info.prisma_version} needs a driver adapter csvimport cannot choose: create "
            "your client module, or pass --prisma-import @/path/to/module "
            "[--prisma-export NAME]"
        )
    for flag, value in (
        ("--prisma-import", overrides.prisma_import),
        ("--log-import", overrides.log_import),
        ("--auth-import", overrides.auth_import),
    ):
        if value is not None and not is_import_specifier(value):
            problems.append(f"{flag} {value!r} is not an import specifier (e.g. @/lib/db)")
    for flag, value, default_ok in (
        ("--prisma-export", overrides.prisma_export, True),
        ("--auth-function", overrides.auth_function, False),
    ):
        if value and not is_binding_name(value, default_ok=default_ok):
            problems.append(f"{flag} {value!r} is not an export name (a JavaScript identifier)")
    if overrides.auth_function and not overrides.auth_import:
        problems.append("--auth-function needs --auth-import (the module it comes from)")
    return problems


def config_from_detection(
    info: ProjectInfo, overrides: InitOverrides, created: set[str]
) -> ProjectConfig:
    assert info.prisma is not None and info.prisma_schema_path is not None  # init_problems
    provider = info.prisma.provider

    def module(
        module: ProjectModule, found: ModuleRef | None, flag: str | None, export: str | None = None
    ) -> ModuleRef:
        if flag:
            return ModuleRef("", flag, export or module.export)
        if module.name in created or found is None:
            path = f"{info.app_dir}/{module.path}"
            return ModuleRef(path, info.specifier_for(path), module.export)
        return found

    own_helper = info.auth if info.auth and info.auth.provider is None else None
    prisma = module(PRISMA, info.prisma_module, overrides.prisma_import)
    log = module(LOG, info.log_module, overrides.log_import)
    auth = module(
        AUTH,
        own_helper and ModuleRef(own_helper.path, own_helper.specifier, own_helper.export),
        overrides.auth_import,
        overrides.auth_function,
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
        prisma_import=prisma.specifier,
        prisma_export=overrides.prisma_export or prisma.export,
        log_import=log.specifier,
        log_export=log.export,
        auth_import=auth.specifier,
        auth_function=auth.export,
        zod_major=zod_major_for(info.zod_major, info.typescript_version),
        formatter=info.formatter,
        linter=info.linter,
        prisma_version=info.prisma_version or ASSUMED_PRISMA_VERSION,
    )


def _found(
    created: set[str], config: ProjectConfig, found: AuthSource | None, provider: str
) -> list[str]:
    if found is None:
        return []
    if AUTH.name not in created and config.auth_import == found.specifier:
        return [f"auth: the import routes call {found.description}"]
    if AUTH.name in created and provider != "stub":
        return [
            f"auth: {found.description}; {config.app_dir}/{AUTH.path} lets a request in "
            f"when it has a signed-in user"
        ]
    return []


def _notes(created: set[str], config: ProjectConfig, provider: str) -> list[str]:
    notes = []
    if AUTH.name in created and provider == "stub":
        notes.append(
            f"wire your authentication: {config.app_dir}/{AUTH.path} rejects every request "
            f"until {AUTH.export}() checks your session"
        )
    if LOG.name in created:
        notes.append(
            f"no `log` module found: wrote {config.app_dir}/{LOG.path} (console JSON lines)"
        )
    if PRISMA.name in created:
        notes.append(
            "no module exports a PrismaClient instance: wrote "
            f"{config.app_dir}/{PRISMA.path} (one client per server process)"
        )
    return notes


def _ui_kit_notes(used: UiKit, detected: UiKit, requested: str | None) -> list[str]:
    """Why the project's components.json is not used; that a re-init keeps a recorded kit
    which no longer matches the project (after `npx shadcn add`, say). Switching re-renders
    the core with other answers, so its files differ: hence --force."""
    if requested is not None:
        return []
    notes = []
    if used is not detected and used.answers() != detected.answers():
        notes.append(
            f"the project's UI is now {detected.description}; {used.source} keeps "
            f"{used.kind}: `csvimport init --ui-kit {detected.kind} --force` switches "
            "(it rewrites the core's files)"
        )
    if detected.fallback_reason is not None and used.kind != "shadcn":
        notes.append(
            f"{detected.fallback_reason}; the importer is styled as {used.kind}. Fix it, then "
            "run `csvimport init --ui-kit shadcn --force` (it rewrites the core's files)"
        )
    return notes
