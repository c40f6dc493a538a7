"""What `init` does for the import ledger: the block of models in the project's Prisma schema
(ledger_schema.py) and, where the project keeps Prisma Migrate's folder beside its schema, the
migration creating their tables (ledger_sql.py). Reads the schema and the migrations folder;
the decisions are the pure functions of those modules.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .errors import UsageError
from .ledger_schema import MODELS, UNSUPPORTED_PROVIDERS, refuse_ledger_names, with_ledger
from .ledger_sql import ledger_migration_sql
from .plan import FileChange, Status, plan_edit
from .prisma_schema import parse_prisma_schema
from .workspace import read_text_or_none

MIGRATION_SUFFIX = "_csvimport_ledger"
MIGRATE_DEV = f"prisma migrate dev --name {MIGRATION_SUFFIX[1:]}"
_TIMESTAMP = "%Y%m%d%H%M%S"
_LOCK_PROVIDER = re.compile(r'^\s*provider\s*=\s*"([^"]*)"', re.M)
_DATASOURCE = re.compile(r"^\s*datasource\s+\w+\s*\{", re.M)


@dataclass(frozen=True)
class LedgerPlan:
    changes: tuple[FileChange, ...] = ()
    notes: tuple[str, ...] = ()  # what was added and what the user runs next
    schema: str | None = None  # the schema file the block went into, when it changed

    @property
    def schema_changed(self) -> bool:
        return self.schema is not None


def plan_ledger(root: Path, schema: str | None, now: datetime | None = None) -> LedgerPlan:
    """The ledger's block in the schema at `schema` (relative to `root`, a file or a folder of
    .prisma files) and its migration. A schema csvimport cannot find or read gets nothing."""
    located = _schema_file(root, schema)
    if located is None:
        return LedgerPlan()
    path, others = located
    relative = path.relative_to(root).as_posix()
    if not _inside(root, path):
        return LedgerPlan(notes=(f"{relative} is outside the project: csvimport added no ledger",))
    text = read_text_or_none(path)
    if text is None:
        return LedgerPlan()
    for other in others:
        refuse_ledger_names(read_text_or_none(other) or "", other.relative_to(root).as_posix())
    provider = parse_prisma_schema(text).provider
    if provider in UNSUPPORTED_PROVIDERS:
        return LedgerPlan(notes=(f"the import ledger is not supported on {provider}: "
                                 f"{relative} is left as it is",))  # fmt: skip
    if provider is None:
        return LedgerPlan()
    edit = with_ledger(text, provider, relative)
    schema_change = plan_edit(relative, text, edit.text)
    if not edit.changed:
        return LedgerPlan((schema_change,))
    models = f"the {' and '.join(MODELS)} models"
    done = f"added {models} to" if edit.state == "added" else f"updated {models} in"
    migrations = path.parent / "migrations"
    if not migrations.is_dir():
        note = f"{done} {relative}: create their tables with `prisma db push`"
        return LedgerPlan((schema_change,), (note,), relative)
    sql = ledger_migration_sql(provider)
    if sql is None or edit.state == "replaced" or not _inside(root, migrations):
        note = f"{done} {relative}: create their migration with `{MIGRATE_DEV}`"
        return LedgerPlan((schema_change,), (note,), relative)
    check_lock_provider(root, migrations, provider, relative)
    existing = _ledger_migrations(migrations)
    same = next((name for name, current in existing.items() if current == sql), None)
    name = same or migration_name(now or datetime.now(UTC), _migration_names(migrations))
    migration = (migrations / name / "migration.sql").relative_to(root).as_posix()
    status = Status.IDENTICAL if same else Status.CREATE
    note = (
        f"{done} {relative} and the migration {migration}: apply it as you apply "
        "your migrations (prisma migrate deploy)"
    )
    change = FileChange(migration, sql, sql if same else None, status)
    return LedgerPlan((schema_change, change), (note,), relative)


def migration_name(now: datetime, existing: list[str]) -> str:
    """`<UTC timestamp>_csvimport_ledger`, after every existing migration (Prisma applies them
    in name order), even one dated later than this machine's clock."""
    stamp = now.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    for name in existing:
        try:
            stamp = max(stamp, datetime.strptime(name[:14], _TIMESTAMP) + timedelta(seconds=1))
        except ValueError:
            continue  # not a timestamped migration
    return stamp.strftime(_TIMESTAMP) + MIGRATION_SUFFIX


def check_lock_provider(root: Path, migrations: Path, provider: str, schema: str) -> None:
    """Prisma Migrate keeps one provider's SQL in a folder: refuse to add another's."""
    lock = migrations / "migration_lock.toml"
    match = _LOCK_PROVIDER.search(read_text_or_none(lock) or "")
    if match and match.group(1) != provider:
        raise UsageError(
            f"{lock.relative_to(root).as_posix()} holds {match.group(1)} migrations but {schema} "
            f"uses {provider}: csvimport adds no {provider} migration there; make them agree "
            "(or move the migrations folder away) and run init again"
        )


def _schema_file(root: Path, schema: str | None) -> tuple[Path, list[Path]] | None:
    """The file the block goes into, and the schema's other files: a folder's file that holds
    the datasource (Prisma keeps migrations beside it)."""
    if not schema:
        return None
    path = root / schema
    if path.is_file():
        return path, []
    if not path.is_dir():
        return None
    files = sorted(p for p in path.rglob("*.prisma") if p.is_file())
    holder = next((f for f in files if _DATASOURCE.search(read_text_or_none(f) or "")), None)
    if holder is None:
        return None
    return holder, [f for f in files if f != holder]


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _migration_names(migrations: Path) -> list[str]:
    return sorted(entry.name for entry in migrations.iterdir() if entry.is_dir())


def _ledger_migrations(migrations: Path) -> Mapping[str, str | None]:
    return {
        name: read_text_or_none(migrations / name / "migration.sql")
        for name in _migration_names(migrations)
        if name.endswith(MIGRATION_SUFFIX)
    }
