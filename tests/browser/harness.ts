/**
 * What the browser tests share: Debian's Chromium driven by playwright-core,
 * the served app (from the environment the pytest wrapper sets), its SQLite
 * file and its log.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import {
  chromium,
  type BrowserContext,
  type Page,
  type Request,
} from "playwright-core";

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set (the pytest wrapper sets it)`);
  return value;
}

export const env = {
  baseUrl: required("BASE_URL"),
  databasePath: required("DATABASE_PATH"),
  downloadDir: required("DOWNLOAD_DIR"),
  serverLog: required("SERVER_LOG"),
  screenshot: process.env.SCREENSHOT_PATH ?? "/tmp/csvimport-result.png",
  token: process.env.AUTH_TOKEN ?? "test-token",
};

/** The longest any single wait may take. */
export const WAIT_MS = 60_000;

/**
 * Chromium with a fresh profile; every request carries the demo token
 * unless `withToken` is false (then only what the page itself sends).
 */
export async function launchBrowser({ withToken = true } = {}): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "csvimport-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
    acceptDownloads: true,
    // Stands for an auth gateway adding the header, which the example's
    // auth accepts besides its session cookie.
    ...(withToken
      ? { extraHTTPHeaders: { Authorization: `Bearer ${env.token}` } }
      : {}),
    viewport: { width: 1100, height: 900 },
  });
  context.setDefaultTimeout(WAIT_MS);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The body the hook POSTs for one chunk. */
export interface ImportRequestBody {
  items: Record<string, string>[];
  lines: number[];
  importId: string;
}

/** Records the POSTs to an import route, in order, with their bodies. */
export function recordImportRequests(page: Page, routePath: string) {
  const bodies: ImportRequestBody[] = [];
  const sizes: number[] = [];
  const listener = (request: Request) => {
    if (
      request.method() === "POST" &&
      new URL(request.url()).pathname === routePath
    ) {
      const raw = request.postDataBuffer();
      sizes.push(raw?.length ?? 0);
      bodies.push(request.postDataJSON() as ImportRequestBody);
    }
  };
  page.on("request", listener);
  return { bodies, sizes, stop: () => page.off("request", listener) };
}

/**
 * Records every text the progress panel's status line shows ("1,000 of
 * 2,000 rows processed (50%)"), as the DOM changes, for later checks.
 */
export async function recordProgressTexts(
  page: Page,
): Promise<() => Promise<string[]>> {
  // A string, not a function: tsx would wrap named functions in a helper
  // that does not exist in the page.
  await page.evaluate(`{
    const seen = [];
    window.progressTexts = seen;
    new MutationObserver(() => {
      for (const panel of document.querySelectorAll('section[aria-busy="true"]')) {
        const text = panel.querySelector('p[role="status"]')?.textContent ?? "";
        if (text !== seen.at(-1)) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }`);
  return () => page.evaluate("window.progressTexts") as Promise<string[]>;
}

/** "1,963 of 2,000 rows processed (98%)" as numbers. */
export function parseProgressText(text: string): {
  processed: number;
  total: number;
  percentage: number;
} {
  const match = /^([\d,]+) of ([\d,]+) rows processed \((\d+)%\)$/.exec(
    text.replace(/\s+/g, " ").trim(),
  );
  if (!match)
    throw new Error(`unexpected progress text: ${JSON.stringify(text)}`);
  const number = (value: string) => Number(value.replaceAll(",", ""));
  return {
    processed: number(match[1]),
    total: number(match[2]),
    percentage: Number(match[3]),
  };
}

/** A connection to the app's SQLite file (the server keeps writing to it). */
export function openDatabase(): Database.Database {
  const db = new Database(env.databasePath, { timeout: 30_000 });
  return db;
}

/** A row of the User table as the test reads it. */
export interface UserRecord {
  name: string;
  email: string;
  age: number | null;
  role: string;
  active: number;
  joinedOn: string | number | null;
}

export function usersWithPrefix(
  db: Database.Database,
  prefix: string,
): UserRecord[] {
  return db
    .prepare(
      "SELECT name, email, age, role, active, joinedOn FROM User WHERE email LIKE ? ORDER BY id",
    )
    .all(`%${prefix}%`) as UserRecord[];
}

/** The server's structured log lines, each flattened with its context. */
export function serverLogRecords(): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of readFileSync(env.serverLog, "utf8").split("\n")) {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      const context =
        typeof record.context === "object" && record.context !== null
          ? record.context
          : {};
      records.push({ ...record, ...context });
    } catch {
      // Not a log record (Next's own output).
    }
  }
  return records;
}

/**
 * Waits until every importer on the page has hydrated: their file inputs
 * are disabled in the server-rendered HTML and enabled by React, so a key
 * press or a file is never sent to a control without its script.
 */
export async function waitForImporters(page: Page): Promise<void> {
  await page.waitForFunction(
    `document.querySelector("input[type=file]") !== null &&
      document.querySelector("input[type=file]:disabled") === null`,
    undefined,
    { timeout: WAIT_MS },
  );
}

/** A prefix making the emails of one test run unique in the shared database. */
export function uniquePrefix(name: string): string {
  return `${name}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Polls until `read` returns the same value `times` times in a row, `everyMs` apart. */
export async function waitUntilStable<T>(
  read: () => T,
  times = 6,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let last = read();
  let same = 1;
  while (same < times) {
    if (Date.now() > deadline)
      throw new Error(`value still changing after ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    const next = read();
    same = JSON.stringify(next) === JSON.stringify(last) ? same + 1 : 1;
    last = next;
  }
  return last;
}

/** Where the screenshots of every step go (the pytest wrapper sets it). */
const SCREENSHOT_DIR =
  process.env.SCREENSHOT_DIR ?? path.join(env.downloadDir, "screenshots");

/** axe-core from the node_modules the tests run with. */
const AXE_SCRIPT = path.join(process.cwd(), "node_modules/axe-core/axe.min.js");

/**
 * Saves the page in light and dark mode as `<step>-light.png` and
 * `<step>-dark.png`: the color scheme is emulated and a `dark` class set on
 * <html>, so that media-query and class-based dark themes both switch.
 */
export async function saveScreenshots(page: Page, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(
      `document.documentElement.classList.toggle("dark", ${scheme === "dark"})`,
    );
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `${step}-${scheme}.png`),
      fullPage: true,
    });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.evaluate(`document.documentElement.classList.remove("dark")`);
}

/** Serious and critical axe-core violations on the page, as readable lines. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ["violations"] }).then((results) =>
      results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        targets: violation.nodes.map((node) => node.target.join(" ")),
      })),
    )`,
  )) as { id: string; impact: string; targets: string[] }[];
  return violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.targets.join(", ")}`,
    );
}
