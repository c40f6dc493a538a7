/**
 * The user import of the example's dashboard, used as a person would in
 * Chromium against `next start` (issue item 10): pick a messy 2,000-row CSV
 * file, watch the progress dialog, read the result dialog, download the error
 * log, check the database, import again; and cancel a large import.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Papa from "papaparse";
import type { BrowserContext, Page } from "playwright-core";
import {
  env,
  launchBrowser,
  openDatabase,
  parseProgressText,
  recordImportRequests,
  recordProgressTexts,
  serverLogRecords,
  uniquePrefix,
  usersWithPrefix,
  waitUntilStable,
  WAIT_MS,
} from "./harness";
import {
  fileWithSplitCharacter,
  MESSY_HEADER,
  mixedUserRows,
  plainUserRows,
  writeCsv,
  type PlannedRow,
} from "./user-csv";

const USER_PAGE = "/en/dashboard/user";
const USER_ROUTE = "/api/user/import/progress";

let context: BrowserContext;
let closeBrowser: () => Promise<void>;

before(async () => {
  ({ context, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
});

async function openUserPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(env.baseUrl + USER_PAGE);
  await page.getByRole("heading", { name: "Users" }).waitFor();
  return page;
}

/** The import dialogs, by their accessible names. */
function dialogs(page: Page) {
  return {
    progress: page.getByRole("dialog", { name: "Importing…" }),
    finished: page.getByRole("dialog", { name: "Import finished" }),
    cancelled: page.getByRole("dialog", { name: "Import cancelled" }),
  };
}

/** Picks a file in the user import's file input. */
async function chooseFile(
  page: Page,
  name: string,
  bytes: Buffer,
): Promise<void> {
  await page
    .getByLabel("User CSV file")
    .setInputFiles({ name, mimeType: "text/csv", buffer: bytes });
}

/** The summary items of a result dialog: ["1,963 imported", "37 failed", ...]. */
async function summaryOf(page: Page, dialogName: string): Promise<string[]> {
  const dialog = page.getByRole("dialog", { name: dialogName });
  const texts = await dialog
    .getByRole("list")
    .first()
    .getByRole("listitem")
    .allInnerTexts();
  return texts.map((text) => text.replace(/\s+/g, " ").trim());
}

/** What the error log must say about a bad row: [line, email key, message]. */
function expectedLogRow(row: PlannedRow): string[] {
  // Rows refused by the database are reported from the validated row, whose
  // email is trimmed and lowercased; rows refused by validation keep the
  // email as found in the file (trimmed).
  const key =
    row.error === "Email already exists"
      ? row.email.trim().toLowerCase()
      : row.email.trim();
  // The log neutralises a cell a spreadsheet would run as a formula.
  const neutral = (value: string) =>
    /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
  return [String(row.line), neutral(key), neutral(row.error ?? "")];
}

describe("user import in the browser", () => {
  test("imports 2,000 messy rows over several requests, reports the 37 bad ones, then imports again", async (t) => {
    const prefix = uniquePrefix("e2e");
    const db = openDatabase();
    const existing = [1, 2, 3].map(
      (index) => `${prefix}-existing-${index}@example.com`,
    );
    const insert = db.prepare("INSERT INTO User (name, email) VALUES (?, ?)");
    for (const email of existing) insert.run(`Already here ${email}`, email);

    // The file: BOM, CRLF, an odd header with the "Joined On" alias, a
    // blank record, quoted commas and line breaks, and names padded with
    // spaces (as a fixed-width export does; the server trims them) so that
    // 2,000 rows make over 2 MB of JSON: the hook's 1 MB limit must send
    // them in at least 3 requests (the page offers no chunk-size setting).
    const rows = mixedUserRows(prefix, existing);
    const file = writeCsv(rows, {
      ...MESSY_HEADER,
      newline: "\r\n",
      bom: true,
      blankBefore: new Set([2, 900]),
      namePadding: 500,
    });
    assert.equal(file.rows.length, 2_000);
    assert.equal(file.bad.length, 37);
    assert.equal(file.good.length, 1_963);
    assert.ok(
      file.physicalLines > file.rows.at(-1)!.line,
      "some records span two physical lines",
    );
    const csvPath = path.join(env.downloadDir, `${prefix}.csv`);
    writeFileSync(csvPath, file.bytes);

    const page = await openUserPage();
    const requests = recordImportRequests(page, USER_ROUTE);
    const progressTexts = await recordProgressTexts(page);
    const { progress, finished } = dialogs(page);

    await page.getByLabel("User CSV file").setInputFiles(csvPath);
    await progress.waitFor({ state: "visible" });
    await finished.waitFor({ state: "visible", timeout: WAIT_MS });
    assert.equal(
      await progress.isVisible(),
      false,
      "the progress dialog closes at the end",
    );

    // Several requests, each within the limits, each row with its true line.
    requests.stop();
    assert.ok(
      requests.bodies.length >= 3,
      `${requests.bodies.length} requests`,
    );
    for (const size of requests.sizes)
      assert.ok(size <= 1_000_000, `a request of ${size} bytes`);
    assert.equal(
      new Set(requests.bodies.map((body) => body.importId)).size,
      1,
      "one import id",
    );
    assert.deepEqual(
      requests.bodies.flatMap((body) => body.lines),
      file.rows.map((row) => row.line),
    );
    assert.deepEqual(
      requests.bodies.flatMap((body) => body.items.map((item) => item.email)),
      file.rows.map((row) => row.email),
    );

    // The progress dialog advanced through the requests, never backwards.
    const seen = (await progressTexts()).map(parseProgressText);
    assert.ok(seen.length >= 3, `progress texts: ${JSON.stringify(seen)}`);
    for (const entry of seen) {
      assert.equal(entry.total, 2_000);
      assert.equal(
        entry.percentage,
        Math.floor((entry.processed / 2_000) * 100),
      );
    }
    for (let index = 1; index < seen.length; index += 1) {
      assert.ok(
        seen[index].processed >= seen[index - 1].processed,
        JSON.stringify(seen),
      );
    }
    t.diagnostic(
      `requests: ${requests.bodies.map((body, index) => `${body.items.length} rows/${requests.sizes[index]} bytes`).join(", ")}`,
    );
    t.diagnostic(
      `progress seen: ${seen.map((entry) => entry.processed).join(" → ")}`,
    );
    const between = seen.filter(
      (entry) => entry.processed > 0 && entry.processed < 2_000,
    );
    assert.ok(
      between.length >= 2,
      `progress between 0 and 2,000: ${JSON.stringify(seen)}`,
    );

    // The result dialog, as a person reads it.
    assert.deepEqual(await summaryOf(page, "Import finished"), [
      "1,963 imported",
      "37 failed",
    ]);
    const firstFailures = await finished
      .getByRole("list")
      .nth(1)
      .getByRole("listitem")
      .allInnerTexts();
    assert.deepEqual(
      firstFailures.map((text) => text.replace(/\s+/g, " ").trim()),
      file.bad
        .slice(0, 10)
        .map((row) => `Line ${row.line}: ${row.error!.replace(/\s+/g, " ")}`),
    );
    await page.screenshot({ path: env.screenshot });

    // The error log, downloaded through the button.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      finished.getByRole("button", { name: "Download error log" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "user-import-errors.csv");
    const logPath = path.join(env.downloadDir, `${prefix}-errors.csv`);
    await download.saveAs(logPath);
    const logText = readFileSync(logPath, "utf8");
    const log = Papa.parse<string[]>(logText, { skipEmptyLines: true });
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.data[0], ["Line", "Email", "Error"]);
    assert.deepEqual(log.data.slice(1), file.bad.map(expectedLogRow));
    assert.ok(
      logText.startsWith('"Line","Email","Error"\r\n'),
      "every cell quoted",
    );
    assert.ok(
      logText.includes(`"'=1+2@example.com"`),
      "a formula is neutralised",
    );
    // Lines are spreadsheet lines: the two-line records and the blank ones
    // moved the physical lines of later rows, not their numbers.
    const lastBad = file.bad.at(-1)!;
    const physicalLineOfLastBad =
      file.bytes
        .toString("utf8")
        .split("\r\n")
        .findIndex((record) => record.includes(lastBad.email)) + 1;
    assert.notEqual(
      physicalLineOfLastBad,
      lastBad.line,
      "the file has multi-line records before the last bad row",
    );

    // The database holds exactly the good rows, cleaned up, and the rows
    // that were there before are untouched.
    const stored = usersWithPrefix(db, prefix);
    const expectedEmails = [
      ...existing,
      ...file.good.map((row) => row.email.toLowerCase()),
    ];
    assert.deepEqual(
      stored.map((user) => user.email).sort(),
      expectedEmails.sort(),
    );
    const byEmail = new Map(stored.map((user) => [user.email, user]));
    for (const email of existing)
      assert.equal(byEmail.get(email)?.name, `Already here ${email}`);
    for (const row of file.good) {
      const user = byEmail.get(row.email.toLowerCase())!;
      assert.equal(user.name, row.name.trim(), `name of line ${row.line}`);
      assert.equal(user.role, row.role || "member", `role of line ${row.line}`);
      assert.equal(
        user.age,
        row.age ? Number(row.age) : null,
        `age of line ${row.line}`,
      );
      assert.equal(
        user.active,
        ["yes", "1", "true", ""].includes((row.active ?? "").toLowerCase())
          ? 1
          : 0,
      );
      assert.equal(
        user.joinedOn === null,
        !row.joinedOn,
        `joinedOn of line ${row.line}`,
      );
    }
    assert.equal(
      byEmail.get(`${prefix}-4@example.com`)?.name,
      "First line\nsecond line",
    );
    assert.equal(byEmail.get(`${prefix}-3@example.com`)?.name, "Doe, Jane");

    // "Import another file": the dialog goes, the input is fresh, a second
    // small file imports on its own.
    await finished.getByRole("button", { name: "Import another file" }).click();
    await finished.waitFor({ state: "hidden" });
    assert.equal(await page.getByLabel("User CSV file").inputValue(), "");
    const again = writeCsv(plainUserRows(prefix, 3), {
      ...MESSY_HEADER,
      newline: "\n",
      bom: false,
    });
    const secondRequests = recordImportRequests(page, USER_ROUTE);
    await chooseFile(page, "again.csv", again.bytes);
    await finished.waitFor({ state: "visible" });
    assert.deepEqual(await summaryOf(page, "Import finished"), [
      "3 imported",
      "0 failed",
    ]);
    assert.equal(
      await finished
        .getByRole("button", { name: "Download error log" })
        .count(),
      0,
    );
    assert.equal(secondRequests.bodies.length, 1);
    assert.notEqual(
      secondRequests.bodies[0].importId,
      requests.bodies[0].importId,
    );
    assert.deepEqual(secondRequests.bodies[0].lines, [2, 3, 4]);
    assert.equal(usersWithPrefix(db, `${prefix}-again-`).length, 3);
    db.close();
    await page.close();
  });

  test("cancel stops the import: no further request, and the server stops writing", async (t) => {
    // 10,000 rows, sent as 5 requests of 2,000 (2 database batches of
    // 1,000 each). Every other row of 2,000 to 2,999 is in the database
    // already (the file was partly imported before), so the second
    // request's first batch fails and the server bisects it to save the
    // other rows one by one: a long batch, which the user cancels.
    const prefix = uniquePrefix("cancel");
    const db = openDatabase();
    const rows = plainUserRows(prefix, 10_000);
    const before = rows
      .slice(2_000, 3_000)
      .filter((_, index) => index % 2 === 0);
    const insert = db.prepare("INSERT INTO User (name, email) VALUES (?, ?)");
    db.transaction(() => {
      for (const row of before) insert.run("Imported before", row.email);
    })();
    const storedCount = () =>
      usersWithPrefix(db, prefix).length - before.length;
    const file = writeCsv(rows, { ...MESSY_HEADER, newline: "\n", bom: false });

    const page = await openUserPage();
    const requests = recordImportRequests(page, USER_ROUTE);
    const { progress, cancelled } = dialogs(page);
    await chooseFile(page, "big.csv", file.bytes);
    await progress.waitFor({ state: "visible" });
    // The first request is done when 2,000 rows are processed; the second
    // is then busy with its first batch.
    await page.waitForFunction(() => {
      const status =
        document.querySelector('dialog[open] p[role="status"]')?.textContent ??
        "";
      return status.startsWith("2,000 of 10,000");
    });
    await progress.getByRole("button", { name: "Cancel import" }).click();
    await cancelled.waitFor({ state: "visible" });
    const cancelledAt = Date.now();
    const countAtCancel = storedCount();
    assert.deepEqual(await summaryOf(page, "Import cancelled"), [
      "2,000 imported",
      "0 failed",
      "8,000 not processed (rows sent when the import stopped may have been saved)",
    ]);

    // The count settles: nothing of the cancelled request's second batch
    // (rows 3,000 to 3,999) and no further request.
    const settled = await waitUntilStable(storedCount);
    const stored = new Set(
      usersWithPrefix(db, prefix).map((user) => user.email),
    );
    assert.ok(
      rows.slice(0, 2_000).every((row) => stored.has(row.email)),
      "the first request's rows are saved",
    );
    assert.ok(
      rows.slice(3_000).every((row) => !stored.has(row.email)),
      "nothing after the cancelled batch is saved",
    );
    assert.equal(
      requests.bodies.length,
      2,
      "no request after the cancelled one",
    );

    // The server saw the client go and stopped writing within moments:
    // at most a few rows were saved after the dialog said "cancelled".
    // FAILS TODAY (bug in the generated import service): bisection never
    // yields to the event loop, so with SQLite's synchronous driver the
    // disconnect is only seen after the whole batch, which goes on writing.
    const importId = requests.bodies[0].importId;
    const records = serverLogRecords().filter(
      (record) => record.importId === importId,
    );
    const writesAfterCancel = records.filter(
      (record) =>
        record.message === "Writing user import batch" &&
        Date.parse(String(record.time)) > cancelledAt,
    ).length;
    const finished = records.filter(
      (record) => record.message === "CSV import finished",
    );
    t.diagnostic(
      `stored ${countAtCancel} rows when the dialog said cancelled, ${settled} in the end; ` +
        `${writesAfterCancel} processor calls after the cancel; ` +
        `server: ${JSON.stringify(finished.map(({ time, succeeded, failed, cancelled }) => ({ time, succeeded, failed, cancelled })))}`,
    );
    assert.equal(
      finished.at(-1)?.cancelled,
      true,
      "the server's import ended cancelled",
    );
    assert.ok(
      settled - countAtCancel <= 10,
      `BUG: ${settled - countAtCancel} rows saved and ${writesAfterCancel} processor calls made after the import was cancelled`,
    );
    db.close();
    await page.close();
  });

  test("a file over 10 MB keeps its non-ASCII characters", async (t) => {
    // FAILS TODAY (bug in the generated parseCsvFile): papaparse reads a File in 10 MiB slices (Papa.LocalChunkSize) and
    // decodes each slice on its own (papaparse issues #751, #1132): a UTF-8
    // character cut by a slice boundary arrives as two U+FFFD. The file puts
    // the "ë" of "Zoë Boundary" across the first boundary.
    const prefix = uniquePrefix("utf8");
    const file = fileWithSplitCharacter(prefix, 10 * 1024 * 1024);
    const page = await openUserPage();
    const requests = recordImportRequests(page, USER_ROUTE);
    const { finished } = dialogs(page);
    await chooseFile(page, "big-utf8.csv", file.bytes);
    await finished.waitFor({ state: "visible" });
    assert.deepEqual(await summaryOf(page, "Import finished"), [
      `${file.rows.toLocaleString("en-US")} imported`,
      "0 failed",
    ]);

    const sent = requests.bodies
      .flatMap((body) => body.items)
      .find((item) => item.email === file.boundaryEmail);
    const db = openDatabase();
    const stored = usersWithPrefix(db, prefix).find(
      (user) => user.email === file.boundaryEmail,
    );
    db.close();
    t.diagnostic(
      `${file.bytes.length} bytes, ${requests.bodies.length} requests; sent ${JSON.stringify(sent?.name.trim())}, stored ${JSON.stringify(stored?.name)}`,
    );
    assert.equal(
      sent?.name.trim(),
      "Zoë Boundary",
      "BUG: the name the browser sent is corrupted",
    );
    assert.equal(
      stored?.name,
      "Zoë Boundary",
      "BUG: the name in the database is corrupted",
    );
    await page.close();
  });

  test("two importers on one page do not interfere", async () => {
    // The dashboard page mounts both the user and the course import.
    const page = await context.newPage();
    await page.goto(env.baseUrl + "/en/dashboard");
    const users = page.getByRole("region", { name: "User import" });
    const courses = page.getByRole("region", { name: "Course import" });
    const prefix = uniquePrefix("two");
    const userRows = plainUserRows(prefix, 3_000);
    const userCsv = writeCsv(userRows, {
      header: ["name", "email", "age", "role", "joinedOn", "active"],
      fields: ["name", "email", "age", "role", "joinedOn", "active"],
      newline: "\n",
      bom: false,
    });
    const code = (n: number) =>
      `${prefix
        .slice(-4)
        .toUpperCase()
        .replace(/[^A-Z]/g, "Q")}-${100 + n}`;
    const courseCsv = [
      "code,title,credits,startsOn,price",
      ...[0, 1, 2, 3].map(
        (n) => `${code(n)},Course ${n},3,2025-09-01,${n * 10}`,
      ),
      `${code(4)},Too many credits,11,2025-09-01,`,
    ].join("\n");

    await users
      .getByLabel("User CSV file")
      .setInputFiles({
        name: "users.csv",
        mimeType: "text/csv",
        buffer: userCsv.bytes,
      });
    await courses.getByLabel("Course CSV file").setInputFiles({
      name: "courses.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(courseCsv),
    });

    const courseResult = courses.getByRole("dialog", {
      name: "Import finished",
    });
    const userResult = users.getByRole("dialog", { name: "Import finished" });
    await courseResult.waitFor();
    await userResult.waitFor();
    const summary = async (dialog: typeof userResult) =>
      (
        await dialog
          .getByRole("list")
          .first()
          .getByRole("listitem")
          .allInnerTexts()
      ).map((text) => text.replace(/\s+/g, " ").trim());
    assert.deepEqual((await summary(courseResult)).slice(0, 2), [
      "4 imported",
      "1 failed",
    ]);
    assert.deepEqual((await summary(userResult)).slice(0, 2), [
      "3,000 imported",
      "0 failed",
    ]);

    const db = openDatabase();
    assert.equal(usersWithPrefix(db, prefix).length, 3_000);
    const courseCodes = db
      .prepare("SELECT code FROM Course WHERE code LIKE ? ORDER BY code")
      .all(`${code(0).slice(0, -4)}-%`) as { code: string }[];
    db.close();
    assert.deepEqual(
      courseCodes.map((row) => row.code),
      [0, 1, 2, 3].map(code),
    );

    // Resetting one importer leaves the other's result alone (the user
    // import finished last, so its modal dialog is the one on top).
    await userResult
      .getByRole("button", { name: "Import another file" })
      .click();
    await userResult.waitFor({ state: "hidden" });
    assert.equal(await courseResult.isVisible(), true);
    assert.deepEqual((await summary(courseResult)).slice(0, 2), [
      "4 imported",
      "1 failed",
    ]);
    await page.close();
  });
});
