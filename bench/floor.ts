/**
 * The floor of the import benchmark: the same rows the route imports,
 * written by a plain Node script with the same Prisma client and driver
 * adapter the app uses (no HTTP, no validation, no event stream).
 *
 * Copied into the generated app by bench/import_benchmark.py and run there
 * with tsx, so `./src/generated/prisma/client` is the app's own client.
 *
 * Usage: tsx floor.ts ROWS.json DATABASE_FILE BATCH_SIZE MODE
 *   MODE: "plain"  - one `createMany` per batch
 *         "tx"     - one `$transaction([createMany])` per batch (what the
 *                    generated processor does)
 *         "one-tx" - every batch in one interactive `$transaction`
 * Prints one JSON object: { rows, seconds, rowsPerSecond, batchSize, mode }.
 */
import { readFileSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./src/generated/prisma/client";

/** A row as the CSV file holds it (every value is text). */
interface RawRow {
  name: string;
  email: string;
  age: string;
  role: string;
  joinedOn: string;
  active: string;
}

/** The `User` record written for a row. */
interface UserData {
  name: string;
  email: string;
  age?: number;
  role: string;
  joinedOn?: Date;
  active: boolean;
}

type Mode = "plain" | "tx" | "one-tx";

/** Plain conversion of the text cells (the benchmark's rows are all valid). */
function toUserData(row: RawRow): UserData {
  return {
    name: row.name.trim(),
    email: row.email.trim().toLowerCase(),
    age: row.age === "" ? undefined : Number(row.age),
    role: row.role === "" ? "member" : row.role,
    joinedOn:
      row.joinedOn === "" ? undefined : new Date(`${row.joinedOn}T00:00:00Z`),
    active: ["true", "yes", "1"].includes(row.active.toLowerCase()),
  };
}

function parseMode(value: string): Mode {
  if (value === "plain" || value === "tx" || value === "one-tx") {
    return value;
  }
  throw new Error(`unknown mode ${value}`);
}

async function main(): Promise<void> {
  const [rowsFile, databaseFile, batchText, modeText] = process.argv.slice(2);
  if (!rowsFile || !databaseFile || !batchText || !modeText) {
    throw new Error("usage: tsx floor.ts ROWS.json DATABASE_FILE BATCH MODE");
  }
  const batchSize = Number(batchText);
  const mode = parseMode(modeText);
  const rows = JSON.parse(readFileSync(rowsFile, "utf8")) as RawRow[];
  // Exactly as the app's singleton builds it.
  const prisma = new PrismaClient({
    adapter: new PrismaBetterSqlite3({ url: `file:${databaseFile}` }),
  });
  await prisma.$connect();
  await prisma.user.count(); // open the database before the clock starts

  const started = performance.now();
  if (mode === "one-tx") {
    await prisma.$transaction(
      async (tx) => {
        for (let start = 0; start < rows.length; start += batchSize) {
          const data = rows.slice(start, start + batchSize).map(toUserData);
          await tx.user.createMany({ data });
        }
      },
      { timeout: 3_600_000, maxWait: 60_000 },
    );
  } else {
    for (let start = 0; start < rows.length; start += batchSize) {
      const data = rows.slice(start, start + batchSize).map(toUserData);
      if (mode === "tx") {
        await prisma.$transaction([prisma.user.createMany({ data })]);
      } else {
        await prisma.user.createMany({ data });
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;

  const count = await prisma.user.count();
  await prisma.$disconnect();
  if (count !== rows.length) {
    throw new Error(
      `expected ${rows.length} rows in the database, found ${count}`,
    );
  }
  console.log(
    JSON.stringify({
      rows: rows.length,
      seconds,
      rowsPerSecond: rows.length / seconds,
      batchSize,
      mode,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
