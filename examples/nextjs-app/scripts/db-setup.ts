/**
 * Creates or updates the SQLite database named by DATABASE_URL (default
 * `file:./dev.db`, relative to the project root) by applying every
 * `prisma/migrations/<name>/migration.sql` not applied yet, in name order.
 *
 * `prisma migrate` needs Prisma's schema engine, which cannot be downloaded
 * offline, so this applies the checked-in SQL through better-sqlite3 instead.
 * Applied migrations are recorded with a checksum in
 * `_csvimport_example_migrations`; running it again changes nothing.
 *
 * Usage: npm run db:setup
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const PROJECT_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
);
const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma", "migrations");
const TRACKING_TABLE = "_csvimport_example_migrations";

interface AppliedMigration {
  name: string;
  checksum: string;
}

/**
 * Turns a Prisma SQLite URL into a file path.
 * @param url - `file:./dev.db`, `file:/abs/path.db` or a bare path.
 * @returns An absolute path (relative ones resolved from the project root).
 */
function databasePathFromUrl(url: string): string {
  const withoutScheme = url.replace(/^file:/, "").replace(/\?.*$/, "");
  if (withoutScheme === "" || withoutScheme === ":memory:") {
    throw new Error(`DATABASE_URL must name a database file, got "${url}"`);
  }
  return path.resolve(PROJECT_ROOT, withoutScheme);
}

function listMigrations(): string[] {
  if (!existsSync(MIGRATIONS_DIR)) {
    return [];
  }
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(path.join(MIGRATIONS_DIR, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort();
}

function main(): void {
  const url = process.env.DATABASE_URL ?? "file:./dev.db";
  const file = databasePathFromUrl(url);
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(
      `CREATE TABLE IF NOT EXISTS "${TRACKING_TABLE}" (
        "name" TEXT NOT NULL PRIMARY KEY,
        "checksum" TEXT NOT NULL,
        "applied_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
      )`,
    );
    const applied = new Map(
      db
        .prepare<[], AppliedMigration>(
          `SELECT "name", "checksum" FROM "${TRACKING_TABLE}"`,
        )
        .all()
        .map((row) => [row.name, row.checksum]),
    );
    const record = db.prepare<[string, string]>(
      `INSERT INTO "${TRACKING_TABLE}" ("name", "checksum") VALUES (?, ?)`,
    );

    let count = 0;
    for (const name of listMigrations()) {
      const sql = readFileSync(
        path.join(MIGRATIONS_DIR, name, "migration.sql"),
        "utf8",
      );
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = applied.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(
            `migration ${name} was edited after it was applied to ${file}`,
          );
        }
        continue;
      }
      db.transaction(() => {
        db.exec(sql);
        record.run(name, checksum);
      })();
      console.log(`applied ${name}`);
      count += 1;
    }
    console.log(
      count === 0
        ? `${file} is up to date`
        : `${file}: applied ${count} migration(s)`,
    );
  } finally {
    db.close();
  }
}

try {
  main();
} catch (error) {
  console.error(
    `db:setup failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
