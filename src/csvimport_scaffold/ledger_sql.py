"""The migration that creates the import ledger's tables, written as `prisma migrate diff` writes
it for each provider csvimport can write SQL for. Prisma's schema engine cannot always run where
csvimport does (it is downloaded on first use), so the SQL ships with csvimport.

Each renderer follows Prisma's DDL for the block of ledger_schema.py: its column types, its
constraint and index names (`<Model>_pkey`, `<Model>_<fields>_idx`, `<Model>_<field>_fkey`) and
the order of its statements.
"""

# (name, column type, NOT NULL, default) per provider, in the models' field order.
_IMPORT_COLUMNS = (
    ("id", "text", True, None),
    ("feature", "text", True, None),
    ("userId", "text", False, None),
    ("fileName", "text", False, None),
    ("fileSize", "int", False, None),
    ("fileHash", "text", False, None),
    ("status", "text", True, "'running'"),
    ("totalRows", "int", True, "0"),
    ("succeeded", "int", True, "0"),
    ("failed", "int", True, "0"),
    ("startedAt", "datetime", True, "now"),
    ("finishedAt", "datetime", False, None),
    ("undoneAt", "datetime", False, None),
)
_CHUNK_COLUMNS = (
    ("importId", "text", True, None),
    ("index", "int", True, None),
    ("firstLine", "int", True, None),
    ("lastLine", "int", True, None),
    ("rows", "int", True, None),
    ("succeeded", "int", True, "0"),
    ("failed", "int", True, "0"),
    ("outcome", "long", True, None),
    ("before", "long", False, None),
    ("updatedAt", "datetime", True, None),
)
INDEX = "CsvImport_feature_userId_startedAt_idx"
INDEX_COLUMNS = ("feature", "userId", "startedAt")
FOREIGN_KEY = "CsvImportChunk_importId_fkey"

_TYPES = {
    "sqlite": {"text": "TEXT", "long": "TEXT", "int": "INTEGER", "datetime": "DATETIME"},
    "postgresql": {"text": "TEXT", "long": "TEXT", "int": "INTEGER", "datetime": "TIMESTAMP(3)"},
    "mysql": {
        "text": "VARCHAR(191)",
        "long": "LONGTEXT",
        "int": "INTEGER",
        "datetime": "DATETIME(3)",
    },
}
_NOW = {
    "sqlite": "CURRENT_TIMESTAMP",
    "postgresql": "CURRENT_TIMESTAMP",
    "mysql": "CURRENT_TIMESTAMP(3)",
}
SQL_PROVIDERS = tuple(_TYPES)


def ledger_migration_sql(provider: str) -> str | None:
    """The migration.sql creating the ledger's tables; None for a provider csvimport writes no
    SQL for (its migration is then made with `prisma migrate dev`)."""
    renderer = {"sqlite": _sqlite, "postgresql": _postgresql, "mysql": _mysql}.get(provider)
    return renderer() if renderer else None


def _columns(provider: str, columns: tuple, quote: str) -> list[str]:
    lines = []
    for name, kind, required, default in columns:
        column = f"{quote}{name}{quote} {_TYPES[provider][kind]}"
        if required:
            column += " NOT NULL"
        elif provider == "mysql":
            column += " NULL"  # Prisma spells out MySQL's nullable columns
        if default is not None:
            column += f" DEFAULT {_NOW[provider] if default == 'now' else default}"
        lines.append(f"    {column}")
    return lines


def _table(name: str, lines: list[str], suffix: str = "") -> str:
    return f"-- CreateTable\nCREATE TABLE {name} (\n" + ",\n".join(lines) + f"\n){suffix};\n"


def _sqlite() -> str:
    columns = _columns("sqlite", _IMPORT_COLUMNS, '"')
    columns[0] += " PRIMARY KEY"  # a single-column key is declared on its column
    chunk = [
        *_columns("sqlite", _CHUNK_COLUMNS, '"'),
        '\n    PRIMARY KEY ("importId", "index")',
        f'    CONSTRAINT "{FOREIGN_KEY}" FOREIGN KEY ("importId") REFERENCES "CsvImport" ("id") '
        "ON DELETE CASCADE ON UPDATE CASCADE",
    ]
    return "\n".join(
        (
            _table('"CsvImport"', columns),
            _table('"CsvImportChunk"', chunk),
            "-- CreateIndex",
            f'CREATE INDEX "{INDEX}" ON "CsvImport"({_list(INDEX_COLUMNS, chr(34))});\n',
        )
    )


def _postgresql() -> str:
    imports = [
        *_columns("postgresql", _IMPORT_COLUMNS, '"'),
        '\n    CONSTRAINT "CsvImport_pkey" PRIMARY KEY ("id")',
    ]
    chunk = [
        *_columns("postgresql", _CHUNK_COLUMNS, '"'),
        '\n    CONSTRAINT "CsvImportChunk_pkey" PRIMARY KEY ("importId","index")',
    ]
    return "\n".join(
        (
            _table('"CsvImport"', imports),
            _table('"CsvImportChunk"', chunk),
            "-- CreateIndex",
            f'CREATE INDEX "{INDEX}" ON "CsvImport"({_list(INDEX_COLUMNS, chr(34))});\n',
            "-- AddForeignKey",
            f'ALTER TABLE "CsvImportChunk" ADD CONSTRAINT "{FOREIGN_KEY}" FOREIGN KEY '
            '("importId") REFERENCES "CsvImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;\n',
        )
    )


def _mysql() -> str:
    charset = " DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    imports = [
        *_columns("mysql", _IMPORT_COLUMNS, "`"),
        f"\n    INDEX `{INDEX}`({_list(INDEX_COLUMNS, '`')})",
        "    PRIMARY KEY (`id`)",
    ]
    chunk = [*_columns("mysql", _CHUNK_COLUMNS, "`"), "\n    PRIMARY KEY (`importId`, `index`)"]
    return "\n".join(
        (
            _table("`CsvImport`", imports, charset),
            _table("`CsvImportChunk`", chunk, charset),
            "-- AddForeignKey",
            f"ALTER TABLE `CsvImportChunk` ADD CONSTRAINT `{FOREIGN_KEY}` FOREIGN KEY "
            "(`importId`) REFERENCES `CsvImport`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;\n",
        )
    )


def _list(names: tuple[str, ...], quote: str) -> str:
    return ", ".join(f"{quote}{name}{quote}" for name in names)
