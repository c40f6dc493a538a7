import { defineConfig } from "prisma/config";

/**
 * Prisma 7 CLI configuration. The datasource URL moved here from
 * schema.prisma. At runtime the app passes the URL to the driver adapter
 * instead (see src/app/misc/singletons/prisma.ts).
 */
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
  },
  datasource: {
    url: process.env.DATABASE_URL ?? "file:./dev.db",
  },
});
