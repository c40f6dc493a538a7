/**
 * The core import service on its own (DESIGN §4, §10): how it isolates the
 * rows a database rejects, waits for locks, retries transient failures,
 * stops when the database cannot take writes, and accounts for every row.
 * The processor here is a stand-in that fails like Prisma does (an error
 * with a `code`); the runtime tests drive the same service through the real
 * route and SQLite.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { messagesFor } from "@/src/app/components/csv-importer/messages";
import { getCsvImportService } from "@/src/app/functions/server/services/csv-import/csv-import.service";
import { failureKind } from "@/src/app/functions/server/services/csv-import/import-errors";
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
    skipped: number[];
    stopped?: string;
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

describe("a database that is locked, unreachable or failing", () => {
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, index) => from + index);

  test("a locked write is tried again until the lock frees", async () => {
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

  test("a lock held past lockWaitMs stops the import; the rest is skipped", async () => {
    const result = await runImport(
      keys(20),
      (batch) => {
        if (batch[0].line > 2) {
          throw databaseError("SQLITE_BUSY", "database is locked");
        }
      },
      { batchSize: 10, lockWaitMs: 40 },
    );
    assert.equal(result.success.length, 10);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.skipped, lines(12, 21));
    assert.equal(
      result.stopped,
      "The database stayed locked for 0 seconds; the import stopped",
    );
  });

  test("transient failures are retried maxRetries times, then the import stops", async () => {
    const result = await runImport(keys(20), () => {
      throw databaseError("ECONNRESET", "read ECONNRESET");
    });
    assert.deepEqual(result.calls, [20, 20, 20]);
    assert.deepEqual(result.success, []);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.skipped, lines(2, 21));
    // the importer's words only: the driver's stay in the server log
    assert.equal(
      result.stopped,
      "The database is unreachable; the import stopped after 3 attempts",
    );
  });

  test("a database that cannot take writes stops the import at once: one try, no bisection", async () => {
    // How Prisma 7 reports a read-only SQLite file: the driver adapter's
    // error, with SQLite's extended result code 1032 (READONLY_DBMOVED).
    const readOnly = Object.assign(
      new Error("attempt to write a readonly database"),
      {
        code: "P2010",
        meta: { driverAdapterError: { kind: "sqlite", extendedCode: 1032 } },
      },
    );
    for (const language of ["en", "de"] as const) {
      const result = await runImport(
        keys(30),
        (batch) => {
          if (batch[0].line > 2) {
            throw readOnly;
          }
        },
        { batchSize: 10 },
        language,
      );
      assert.deepEqual(result.calls, [10, 10]);
      assert.equal(result.success.length, 10);
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.skipped, lines(12, 31));
      assert.equal(
        result.stopped,
        messagesFor(language).server.databaseFailed,
      );
    }
  });

  test("a stop while a batch is split skips the rest of the batch", async () => {
    let writes = 0;
    const result = await runImport(
      keys(8),
      () => {
        writes += 1;
        if (writes === 1) {
          throw databaseError("P2002", "Unique constraint failed");
        }
        if (writes === 3) {
          throw databaseError("SQLITE_FULL", "database or disk is full");
        }
      },
    );
    // 8 rows fail on a row's fault: halves of 4; the first half is
    // written, the second finds the disk full: its rows are skipped.
    assert.deepEqual(result.calls, [8, 4, 4]);
    assert.deepEqual(
      result.success.map((row) => row.line),
      [2, 3, 4, 5],
    );
    assert.deepEqual(result.skipped, [6, 7, 8, 9]);
    assert.equal(result.stopped, messagesFor("en").server.databaseFailed);
  });

  test("failures are told apart by the codes of Prisma, its driver adapters and the databases", () => {
    const adapter = (driverAdapterError: Record<string, unknown>) =>
      Object.assign(new Error("Invalid invocation"), {
        code: "P2010",
        meta: { driverAdapterError },
      });
    const cases: [unknown, string][] = [
      [databaseError("P2002", "Unique constraint failed"), "row"],
      [databaseError("P2003", "Foreign key constraint violated"), "row"],
      [new Error("something nobody knows"), "row"],
      [databaseError("SQLITE_BUSY", "database is locked"), "lock"],
      [adapter({ kind: "sqlite", extendedCode: 517 }), "lock"], // BUSY_SNAPSHOT
      // Prisma 7 with better-sqlite3: a timeout on top, SQLITE_BUSY beneath
      [
        Object.assign(new Error("Operation has timed out"), {
          code: "P1008",
          meta: {
            driverAdapterError: Object.assign(new Error("SocketTimeout"), {
              cause: { kind: "SocketTimeout", originalCode: "SQLITE_BUSY" },
            }),
          },
        }),
        "lock",
      ],
      [adapter({ kind: "postgres", code: "55P03" }), "lock"],
      [databaseError("P1017", "Server has closed the connection"), "transient"],
      [adapter({ kind: "postgres", code: "40001" }), "transient"],
      [adapter({ kind: "postgres", code: "57P01" }), "transient"],
      [adapter({ kind: "postgres", code: "08006" }), "transient"],
      [adapter({ kind: "ConnectionClosed" }), "transient"],
      [databaseError("SQLITE_IOERR_WRITE", "disk I/O error"), "database"],
      [adapter({ kind: "sqlite", extendedCode: 13 }), "database"], // FULL
      [adapter({ kind: "postgres", code: "25006" }), "database"],
      [adapter({ kind: "postgres", code: "28P01" }), "database"],
      [adapter({ kind: "AuthenticationFailed" }), "database"],
      [adapter({ kind: "TableDoesNotExist" }), "database"],
      [databaseError("P2021", "The table does not exist"), "database"],
      [new Error("attempt to write a readonly database"), "database"],
      // a trigger that quotes SQLite's words is still the row's fault
      [new Error("bad JSON path: 'SQLITE_IOERR_WRITE: disk I/O error'"), "row"],
    ];
    assert.deepEqual(
      cases.map(([error]) => failureKind(error)),
      cases.map(([, kind]) => kind),
    );
  });
});

describe("several imports at once", () => {
  test("write their batches in turns on SQLite, and every row is written", async () => {
    let active = 0;
    let mostAtOnce = 0;
    const slowWrite = async () => {
      active += 1;
      mostAtOnce = Math.max(mostAtOnce, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active -= 1;
    };
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        runImport(keys(30), () => undefined, {
          batchSize: 10,
          processor: async (batch) => {
            await slowWrite();
            return { success: batch, errors: [] };
          },
        }),
      ),
    );
    assert.deepEqual(
      results.map((result) => result.success.length),
      [30, 30, 30],
    );
    assert.equal(mostAtOnce, 1);
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
                "Invalid `prisma.user.createMany()` invocation:\n\nSQLITE_CONSTRAINT_CHECK: CHECK constraint failed: age >= 0",
              ),
              { code: "SQLITE_CONSTRAINT_CHECK" },
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
