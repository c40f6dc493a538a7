"""The import ledger's models in the project's Prisma schema: one block between two marker
comments at the end of the schema, rendered for the datasource's provider and laid out as
`prisma format` lays it out, so csvimport can find it, compare it and replace it in place.

The schema is the user's file: everything outside the block stays byte for byte, and the block
follows the file's own line endings and indentation.
"""

import re
from dataclasses import dataclass

from .errors import UsageError

START = "// csvimport:ledger:start"
END = "// csvimport:ledger:end"
START_LINE = f"{START} — the CSV import ledger, kept by csvimport (`csvimport init`)"
MODELS = ("CsvImport", "CsvImportChunk")
# Prisma's String is too short for a chunk's outcome and undo data on these providers.
LONG_TEXT = {"mysql": "@db.LongText", "sqlserver": "@db.NVarChar(Max)"}
# Schema-only: Prisma has no relations with referential actions like these on MongoDB.
UNSUPPORTED_PROVIDERS = ("mongodb",)

# (name, type, attributes); LONG marks the columns that take LONG_TEXT.
LONG = "long"
_IMPORT_FIELDS = (
    ("id", "String", "@id"),
    ("feature", "String", ""),
    ("userId", "String?", ""),
    ("fileName", "String?", ""),
    ("fileSize", "Int?", ""),
    ("fileHash", "String?", ""),
    ("status", "String", '@default("running")'),
    ("totalRows", "Int", "@default(0)"),
    ("succeeded", "Int", "@default(0)"),
    ("failed", "Int", "@default(0)"),
    ("startedAt", "DateTime", "@default(now())"),
    ("finishedAt", "DateTime?", ""),
    ("undoneAt", "DateTime?", ""),
    ("chunks", "CsvImportChunk[]", ""),
)
_CHUNK_FIELDS = (
    ("importId", "String", ""),
    ("index", "Int", ""),
    ("firstLine", "Int", ""),
    ("lastLine", "Int", ""),
    ("rows", "Int", ""),
    ("succeeded", "Int", "@default(0)"),
    ("failed", "Int", "@default(0)"),
    ("outcome", "String", LONG),
    ("before", "String?", LONG),
    ("updatedAt", "DateTime", "@updatedAt"),
    ("import", "CsvImport", "@relation(fields: [importId], references: [id], onDelete: Cascade)"),
)
_IMPORT_DOC = ("/// One CSV import: what was sent, by whom, and what was written.",)
_CHUNK_DOC = (
    "/// One chunk (one request) of an import, updated in the transaction that",
    "/// writes each of its batches.",
)
_DECLARATION = re.compile(r"^[ \t]*(model|view|enum|type)[ \t]+(\w+)[ \t]*\{", re.M)


@dataclass(frozen=True)
class LedgerEdit:
    """The schema with the ledger block, and what was there before."""

    text: str
    state: str  # "added", "replaced" (an older block) or "unchanged"

    @property
    def changed(self) -> bool:
        return self.state != "unchanged"


def ledger_block(provider: str, indent: str = "  ", newline: str = "\n") -> str:
    """The block, markers included, without a final line break."""
    long_text = LONG_TEXT.get(provider, "")
    chunk_fields = tuple(
        (name, type_, long_text if attributes == LONG else attributes)
        for name, type_, attributes in _CHUNK_FIELDS
    )
    lines = [
        START_LINE,
        *_model("CsvImport", _IMPORT_DOC, _IMPORT_FIELDS, "@@index([feature, userId, startedAt])"),
        "",
        *_model("CsvImportChunk", _CHUNK_DOC, chunk_fields, "@@id([importId, index])"),
        "",  # prisma format sets a comment after a block apart
        END,
    ]
    return newline.join(indent + line[2:] if line[:2] == "  " else line for line in lines)


def _model(
    name: str, doc: tuple[str, ...], fields: tuple[tuple[str, str, str], ...], attribute: str
) -> list[str]:
    """A model as `prisma format` writes it: names, types and attributes in aligned columns."""
    name_width = max(len(field[0]) for field in fields)
    type_width = max(len(field[1]) for field in fields)
    rows = [
        f"  {field:<{name_width}} {type_:<{type_width}} {attributes}".rstrip()
        for field, type_, attributes in fields
    ]
    return [*doc, f"model {name} {{", *rows, "", f"  {attribute}", "}"]


def with_ledger(text: str, provider: str, source: str) -> LedgerEdit:
    """`text` (a schema file's content) with the ledger block for `provider`: appended at the
    end, or in place of the block it has. `source` names the file in errors."""
    refuse_ledger_names(text, source)
    span = _block_span(text, source)
    newline = line_ending(text)
    block = ledger_block(provider, schema_indent(text), newline)
    if span is not None:
        start, end = span
        if text[start:end].split() == block.split():  # the same, however it was formatted
            return LedgerEdit(text, "unchanged")
        return LedgerEdit(text[:start] + block + text[end:], "replaced")
    if not text:
        return LedgerEdit(block + newline, "added")
    if text.endswith("\n"):
        return LedgerEdit(text + newline + block + newline, "added")
    # no final line break: the file keeps ending without one
    return LedgerEdit(text + newline + newline + block, "added")


def refuse_ledger_names(text: str, source: str) -> None:
    """Refuse a schema file that declares the ledger's names itself, outside the block: the
    models would clash."""
    span = _block_span(text, source)
    for match in _DECLARATION.finditer(text):
        inside = span is not None and span[0] <= match.start() < span[1]
        if match.group(2) in MODELS and not inside:
            line = text.count("\n", 0, match.start()) + 1
            raise UsageError(
                f"{source}:{line}: {match.group(1)} {match.group(2)} is declared outside "
                f"csvimport's ledger block; the import ledger needs the names "
                f"{' and '.join(MODELS)}: rename yours"
            )


def line_ending(text: str) -> str:
    """The file's line break: CRLF when most of its lines end so."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def schema_indent(text: str) -> str:
    """A tab when the schema indents its blocks with tabs, else prisma format's two spaces."""
    indents = re.findall(r"^([ \t]+)\S", text, re.M)
    return "\t" if indents and sum(i.startswith("\t") for i in indents) * 2 > len(indents) else "  "


def _block_span(text: str, source: str) -> tuple[int, int] | None:
    """Offsets of the block, from its start marker to the end of its end marker (the line
    break after it excluded); None without one. A broken or repeated block is an error."""
    starts = [m.start() for m in re.finditer(rf"^{re.escape(START)}", text, re.M)]
    ends = [m.end() for m in re.finditer(rf"^{re.escape(END)}[ \t]*(?=\r?\n|$)", text, re.M)]
    if not starts and not ends:
        return None
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        line = text.count("\n", 0, (starts or ends)[0]) + 1
        raise UsageError(
            f"{source}:{line}: csvimport's ledger block must appear once, from a line "
            f"{START} to a line {END}: fix the markers, or remove the block and run init again"
        )
    return starts[0], ends[0]
