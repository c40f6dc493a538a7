"""`csvimport doctor`: what detection finds in a project, where it found it, and what `init`
would add or cannot do there."""

from dataclasses import asdict, dataclass
from pathlib import Path

from ..config import CONFIG_FILE
from ..dependencies import install_plan_for, zod_major_for
from ..errors import UsageError
from ..ledger import plan_ledger
from ..project import ProjectInfo, detect_project
from .init import AUTH, LOG, PRISMA, InitOverrides, init_problems, modules_to_write


@dataclass(frozen=True)
class Fact:
    name: str
    value: str
    source: str | None = None  # the file it was read from


@dataclass(frozen=True)
class Diagnosis:
    project: str
    initialized: bool  # csvimport.json exists (then it, not detection, rules)
    facts: tuple[Fact, ...]
    init_adds: tuple[str, ...]  # what init writes or installs because the project lacks it
    problems: tuple[str, ...]  # what stops init

    def to_dict(self) -> dict:
        return asdict(self)


def diagnose(root: Path) -> Diagnosis:
    info = detect_project(root)
    ledger, ledger_problems = ledger_additions(info)
    return Diagnosis(
        project=str(root),
        initialized=(root / CONFIG_FILE).is_file(),
        facts=tuple(project_facts(info)),
        init_adds=(*init_additions(info), *ledger),
        problems=(*init_problems(info), *ledger_problems),
    )


def ledger_additions(info: ProjectInfo) -> tuple[list[str], list[str]]:
    """The import ledger's writes `init` would make (a missing or older block, its migration),
    or what stops them."""
    try:
        plan = plan_ledger(info.root, info.prisma_schema_path)
    except UsageError as error:
        return [], [str(error)]
    return [f"import ledger: {change.path}" for change in plan.changes if change.status.writes], []


def project_facts(info: ProjectInfo) -> list[Fact]:
    def module(ref, default: str) -> tuple[str, str | None]:
        if ref is None:
            return default, None
        return f"{ref.export} ({ref.specifier})", ref.path or None

    schema = info.prisma
    schema_path = info.prisma_schema_path
    prisma_module = module(info.prisma_module, "none")
    auth = info.auth
    versions = info.version_sources
    facts = [
        Fact("Next.js", info.next_version, versions.get("next")),
        Fact("app directory", info.app_dir),
        Fact(
            "import alias",
            f"{info.alias_prefix}* -> {info.alias_target}/*"
            if info.alias_prefix
            else "none (relative imports)",
            info.alias_source or "tsconfig.json",
        ),
        Fact("locale segment", info.locale_segment or "none"),
        Fact("feature components", info.dashboard_dir),
        Fact("package manager", info.package_manager, info.package_manager_source),
        Fact("Prisma schema", schema_path or "none"),
        Fact("Prisma", info.prisma_version or "not a dependency", versions.get("prisma")),
        Fact("database provider", (schema and schema.provider) or "unknown", schema_path),
        Fact("PrismaClient from", info.prisma_client_import, schema_path),
        Fact("Prisma client instance", *prisma_module),
        Fact(
            "auth",
            auth.description if auth else "none (init writes a stub that answers 401)",
            auth.path or None if auth else None,
        ),
        Fact("log module", *module(info.log_module, "none")),
        Fact("zod", str(info.zod_major or "not a dependency"), versions.get("zod")),
        Fact(
            "TypeScript", info.typescript_version or "not a dependency", versions.get("typescript")
        ),
        Fact("formatter", info.formatter or "none"),
        Fact("linter", info.linter or "none"),
        Fact(
            "UI kit",
            "; ".join(filter(None, (info.ui_kit.description, info.ui_kit.fallback_reason))),
            info.ui_kit.source,
        ),
    ]
    return facts


def init_additions(info: ProjectInfo) -> list[str]:
    written = modules_to_write(info, InitOverrides())
    additions = [
        f"{module.name} module: {info.app_dir}/{module.path}"
        for module in (PRISMA, AUTH, LOG)
        if module.name in written
    ]
    install = install_plan_for(info, zod_major_for(info.zod_major, info.typescript_version))
    if install is not None:
        additions.append(f"packages: {install.shell_command()}")
    return additions
