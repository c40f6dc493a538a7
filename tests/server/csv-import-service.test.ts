/**
 * The core import service on its own (DESIGN §4): how it isolates the rows a
 * database rejects, retries transient failures and accounts for every row.
 * The processor here is a stand-in that fails like Prisma does (an error
 * with a `code`); the runtime tests drive the same service through the real
 * route and SQLite.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { messagesFor } from "@/src/app/components/csv-importer/messages";
import { getCsvImportService } from "@/src/app/functions/server/services/csv-import/csv-import.service";
import type {
  CsvImportBatchResult,
  CsvImportConfig,
} from "@/src/app/functions/server/services/csv-import/types";

interface Row {
  line: number;
  key: string;
}

interface RowError {
  line: number;
  key: string;
  error: string;
}

function databaseError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Runs an import and returns its `complete` event and the processor calls. */
async function runImport(
  keys: (string | Record<string, string>)[],
  write: (batch: Row[]) => void,
  options: Partial<CsvImportConfig<Row, Row, RowError, null>> = {},
  language = "en",
) {
  const calls: number[] = [];
  const config: CsvImportConfig<Row, Row, RowError, null> = {
    name: "test",
    validator: (item, line) => ({
      valid: true,
      item: { line, key: String((item as { key: string }).key) },
    }),
    processor: async (batch): Promise<CsvImportBatchResult<Row, RowError>> => {
      calls.push(batch.length);
      write(batch);
      return { success: batch, errors: [] };
    },
    toError: (item, line, message) => ({
      line,
      key: String((item as { key?: string }).key ?? ""),
      error: message,
    }),
    batchSize: 1_000,
    maxRetries: 2,
    retryDelayMs: 1,
    ...options,
  };
  const stream = getCsvImportService().processImportWithStream(
    keys.map((key) => (typeof key === "string" ? { key } : key)),
    config,
    null,
    { messages: messagesFor(language) },
  );
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  const complete = events.filter((event) => event.event === "complete");
  assert.equal(complete.length, 1);
  const result = JSON.parse(complete[0].data) as {
    success: Row[];
    errors: RowError[];
  };
  return { ...result, calls };
}

const keys = (count: number) =>
  Array.from({ length: count }, (_, index) => `k${index}`);

describe("isolating rows the database rejects", () => {
  test("bisection fails only the bad rows, in about 2·log2(n) writes each", async () => {
    const bad = new Set(["k10", "k500", "k999"]);
    const { success, errors, calls } = await runImport(keys(1_000), (batch) => {
      if (batch.some((row) => bad.has(row.key))) {
        throw databaseError("P2003", "Foreign key constraint violated");
      }
    });
    assert.equal(success.length, 997);
    assert.deepEqual(
      errors.map((error) => [error.line, error.key]),
      [
        [12, "k10"],
        [502, "k500"],
        [1001, "k999"],
      ],
    );
    assert.ok(errors.every((error) => error.error.includes("does not exist")));
    assert.ok(calls.length <= 1 + 3 * 2 * Math.ceil(Math.log2(1_000)));
  });

  test("a unique violation asks the feature for conflicts instead of bisecting", async () => {
    const stored = new Set(["k3", "k700"]);
    const { success, errors, calls } = await runImport(
      keys(1_000),
      (batch) => {
        if (batch.some((row) => stored.has(row.key))) {
          throw databaseError("P2002", "Unique constraint failed");
        }
      },
      {
        findConflicts: async (batch) =>
          new Map(
            batch
              .filter((row) => stored.has(row.key))
              .map((row) => [row.line, "Key already exists"]),
          ),
      },
    );
    assert.equal(success.length, 998);
    assert.deepEqual(
      errors.map((error) => [error.line, error.error]),
      [
        [5, "Key already exists"],
        [702, "Key already exists"],
      ],
    );
    assert.deepEqual(calls, [1_000, 998]);
  });

  test("when the lookup finds nothing, bisection still isolates the row", async () => {
    const { success, errors } = await runImport(
      keys(100),
      (batch) => {
        if (batch.some((row) => row.key === "k42")) {
          throw databaseError("P2002", "Unique constraint failed");
        }
      },
      { findConflicts: async () => new Map() },
    );
    assert.equal(success.length, 99);
    assert.deepEqual(
      errors.map((error) => error.line),
      [44],
    );
  });
});

describe("transient failures", () => {
  test("are retried until they pass", async () => {
    let failures = 2;
    const { success, errors, calls } = await runImport(keys(50), () => {
      if (failures > 0) {
        failures -= 1;
        throw databaseError("SQLITE_BUSY", "database is locked");
      }
    });
    assert.equal(success.length, 50);
    assert.equal(errors.length, 0);
    assert.deepEqual(calls, [50, 50, 50]);
  });

  test("fail every row once, never bisected, after maxRetries", async () => {
    const { success, errors, calls } = await runImport(keys(20), () => {
      throw databaseError("SQLITE_BUSY", "database is locked");
    });
    assert.equal(success.length, 0);
    assert.equal(errors.length, 20);
    // the importer's words only: the driver's stay in the server log
    assert.ok(
      errors.every(
        (error) =>
          error.error ===
          "The database is busy or unreachable; gave up after 3 attempts",
      ),
    );
    assert.deepEqual(calls, [20, 20, 20]);
  });
});

describe("what a failed write tells the user", () => {
  test("a failure the user cannot act on gets the importer's words, not the driver's", async () => {
    for (const language of ["en", "de"] as const) {
      const { success, errors } = await runImport(
        keys(3),
        (batch) => {
          if (batch.some((row) => row.key === "k1")) {
            throw Object.assign(
              new Error(
                "Invalid `prisma.user.createMany()` invocation:\n\nSQLITE_IOERR_WRITE: disk I/O error",
              ),
              { code: "SQLITE_IOERR_WRITE" },
            );
          }
        },
        {},
        language,
      );
      assert.deepEqual(
        success.map((row) => row.line),
        [2, 4],
      );
      assert.deepEqual(
        errors.map((error) => [error.line, error.error]),
        [[3, messagesFor(language).server.notSaved]],
      );
    }
    assert.equal(
      messagesFor("en").server.notSaved,
      "The database could not save this row",
    );
  });

  test("constraint violations keep their own words, naming the column", async () => {
    const { errors } = await runImport(
      keys(1),
      () => {
        throw Object.assign(
          databaseError("P2002", "Unique constraint failed"),
          {
            meta: { target: ["key"] },
          },
        );
      },
      { fields: [{ field: "key", label: "Key" }] },
    );
    assert.deepEqual(
      errors.map((error) => error.error),
      ["Key already exists"],
    );
  });
});

describe("text that is not valid Unicode", () => {
  test("a lone surrogate in a column name or an ignored column fails its row", async () => {
    const { success, errors, calls } = await runImport(
      [
        "k0",
        { key: "k1", "note\uD800": "x" },
        { key: "k2", note: "\uDC00" },
        { key: "k3", note: "\uD83D\uDE00 a valid pair" },
      ],
      () => {},
    );
    assert.deepEqual(
      success.map((row) => row.line),
      [2, 5],
    );
    assert.deepEqual(
      errors.map((error) => [error.line, error.error]),
      [
        [3, "The row contains a broken character (not valid Unicode)"],
        [4, "The row contains a broken character (not valid Unicode)"],
      ],
    );
    assert.deepEqual(calls, [2]);
  });
});

test("rows the processor forgets are still accounted for", async () => {
  const { success, errors } = await runImport(keys(10), () => {}, {
    processor: async (batch) => ({ success: batch.slice(0, 7), errors: [] }),
  });
  assert.equal(success.length + errors.length, 10);
  assert.deepEqual(
    errors.map((error) => error.line),
    [9, 10, 11],
  );
});
