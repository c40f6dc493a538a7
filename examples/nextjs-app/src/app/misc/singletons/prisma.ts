import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/src/generated/prisma/client";

/**
 * Creates the Prisma client. The database URL is read when this runs (at
 * server start or on first import), never at build time. A relative
 * `file:` path is resolved from the process's working directory, which is
 * the project root under `next dev`, `next start` and the npm scripts.
 */
function createPrismaClient(): PrismaClient {
  const url = process.env.DATABASE_URL ?? "file:./dev.db";
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
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
