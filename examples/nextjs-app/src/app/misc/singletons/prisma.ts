import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { log } from "@/src/app/functions/log";
import { PrismaClient } from "@/src/generated/prisma/client";

/**
 * How long a write waits for another connection's lock before SQLite says
 * "database is locked" (ms; `SQLITE_BUSY_TIMEOUT_MS` overrides it).
 * better-sqlite3 waits on Node's only thread, so every request of the
 * server waits with it: keep it short and let the caller wait
 * asynchronously (the CSV import does) instead of better-sqlite3's default
 * of 5 seconds.
 */
function sqliteBusyTimeoutMs(): number {
  const fallback = 50;
  const configured = Number(process.env.SQLITE_BUSY_TIMEOUT_MS ?? fallback);
  return Number.isSafeInteger(configured) && configured >= 0
    ? configured
    : fallback;
}

/**
 * Creates the Prisma client. The database URL is read when this runs (at
 * server start or on first import), never at build time. A relative
 * `file:` path is resolved from the process's working directory, which is
 * the project root under `next dev`, `next start` and the npm scripts.
 *
 * With `CSVIMPORT_LOG_QUERIES=1`, every SQL statement SQLite runs (BEGIN,
 * COMMIT, ROLLBACK and failed statements included) is logged as one JSON
 * line, "SQL statement"; the benchmark in bench/ counts them.
 */
function createPrismaClient(): PrismaClient {
  const url = process.env.DATABASE_URL ?? "file:./dev.db";
  const options = { url, timeout: sqliteBusyTimeoutMs() };
  const adapter =
    process.env.CSVIMPORT_LOG_QUERIES === "1"
      ? new PrismaBetterSqlite3({
          ...options,
          verbose: (sql?: unknown): void =>
            log.info("SQL statement", { sql: String(sql).slice(0, 80) }),
        })
      : new PrismaBetterSqlite3(options);
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as {
  prisma?: PrismaClient;
};

/** The application's single PrismaClient (cached across hot reloads in dev). */
export const prisma: PrismaClient =
  globalForPrisma.prisma ?? createPrismaClient();

if (process.env.NODE_ENV !== "production") {
  globalForPrisma.prisma = prisma;
}
