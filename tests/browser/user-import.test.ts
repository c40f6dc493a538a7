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
import type { BrowserContext, Locator, Page } from "playwright-core";
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
  waitForImporters,
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
  await waitForImporters(page);
  return page;
}

/** The importer's panels (progress, result), by their accessible names. */
function panels(scope: Page | Locator) {
  return {
    progress: scope.getByRole("region", {
      name: /^(Importing…|Stopping after)/,
    }),
    finished: scope.getByRole("region", { name: /^Import finished/ }),
    cancelled: scope.getByRole("region", { name: "Import cancelled" }),
  };
}

/** Picks a file in an importer, then starts the import from its review. */
async function importFile(
  scope: Page | Locator,
  label: string,
  file: string | { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  await scope.getByLabel(label).setInputFiles(file);
  await scope.getByRole("button", { name: /^Import [\d,]+ rows?$/ }).click();
}

/** Picks a file in the user import and starts it. */
async function chooseFile(
  page: Page,
  name: string,
  bytes: Buffer,
): Promise<void> {
  await importFile(page, "User CSV file", {
    name,
    mimeType: "text/csv",
    buffer: bytes,
  });
}

/** The counts of a result panel: ["Imported 1,963", "Failed 37", ...]. */
async function summaryOf(panel: Locator): Promise<string[]> {
  const texts = await panel.locator("dl > div").allInnerTexts();
  return texts.map((text) => text.replace(/\s+/g, " ").trim());
}

/** The failed rows a result panel lists: "Line 3: Email must be ...". */
async function failuresOf(panel: Locator): Promise<string[]> {
  const rows = await panel.locator("tbody tr").all();
  return Promise.all(
    rows.map(async (row) => {
      const [line, error] = await row.locator("td").allInnerTexts();
      return `Line ${line}: ${(error ?? "").replace(/\s+/g, " ").trim()}`;
    }),
  );
}

/**
 * Cells a spreadsheet would run as a formula, as the error log sees them:
 * plain numbers such as -5 are harmless and stay as they are.
 */
const FORMULA =
  /^(?![-+]?\d+(?:\.\d+)?$)'*(?:[\s\u200B-\u200D\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])/;

/** The error log's columns: Line, the user columns, Error. */
const LOG_HEADER = [
  "Line",
  "Name",
  "Email",
  "Age",
  "Role",
  "Joined on",
  "Active",
  "Error",
];

/**
 * What the error log must hold for a bad row: its line, the values as in
 * the file (name padding included) and the message; formulas neutralised.
 * A row repeating an email of the file is reported either as existing (the
 * first one was written by an earlier batch) or as a duplicate of its line.
 */
function expectedLogRow(
  row: PlannedRow,
  padding: string,
  actualError: string,
  firstLineOf: (email: string) => number | undefined,
): string[] {
  const neutral = (value: string) =>
    FORMULA.test(value) ? `'${value}` : value;
  let error = row.error ?? "";
  const first = firstLineOf(row.email.trim().toLowerCase());
  if (
    error === "Email already exists" &&
    first !== undefined &&
    actualError === `Email duplicates line ${first.toLocaleString("en")}`
  ) {
    error = actualError;
  }
  return [
    String(row.line),
    neutral(`${padding}${row.name}${padding}`),
    neutral(row.email),
    neutral(row.age ?? ""),
    neutral(row.role ?? ""),
    neutral(row.joinedOn ?? ""),
    neutral(row.active ?? ""),
    neutral(error),
  ];
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
    const { progress, finished } = panels(page);

    await importFile(page, "User CSV file", csvPath);
    await progress.waitFor({ state: "visible" });
    await finished.waitFor({ state: "visible", timeout: WAIT_MS });
    assert.equal(
      await progress.isVisible(),
      false,
      "the progress panel closes at the end",
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

    // The result panel, as a person reads it.
    assert.deepEqual(await summaryOf(finished), [
      "Imported 1,963",
      "Failed 37",
    ]);
    assert.deepEqual(
      await failuresOf(finished),
      file.bad
        .slice(0, 10)
        .map(
          (row) =>
            `Line ${row.line.toLocaleString("en-US")}: ${row.error!.replace(/\s+/g, " ")}`,
        ),
    );
    await page.screenshot({ path: env.screenshot });

    // The error log, downloaded through the button.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      finished
        .getByRole("button", { name: "Download the rows that failed" })
        .click(),
    ]);
    assert.equal(download.suggestedFilename(), "user-import-errors.csv");
    const logPath = path.join(env.downloadDir, `${prefix}-errors.csv`);
    await download.saveAs(logPath);
    const logText = readFileSync(logPath, "utf8");
    const log = Papa.parse<string[]>(logText.replace(/^\uFEFF/, ""), {
      skipEmptyLines: true,
    });
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.data[0], LOG_HEADER);
    const firstLine = new Map<string, number>();
    for (const row of [...file.rows].sort((a, b) => a.line - b.line)) {
      const key = row.email.trim().toLowerCase();
      if (!firstLine.has(key)) firstLine.set(key, row.line);
    }
    assert.deepEqual(
      log.data.slice(1),
      file.bad.map((row, index) =>
        expectedLogRow(
          row,
          " ".repeat(500),
          log.data[index + 1]?.at(-1) ?? "",
          (email) => firstLine.get(email),
        ),
      ),
    );
    assert.ok(
      logText.startsWith(
        `\uFEFF${LOG_HEADER.map((cell) => `"${cell}"`).join(",")}\r\n`,
      ),
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

    // "Import another file": the result goes, the input is fresh, a second
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
    assert.deepEqual(await summaryOf(finished), ["Imported 3", "Failed 0"]);
    assert.equal(
      await finished
        .getByRole("button", { name: "Download the rows that failed" })
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

  test("cancel stops the import: no further request, the server stops at its next batch, and the counts shown are the database's", async (t) => {
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
    const cancels: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "DELETE") cancels.push(request.url());
    });
    const { progress, cancelled } = panels(page);
    await chooseFile(page, "big.csv", file.bytes);
    await progress.waitFor({ state: "visible" });
    // The first request is done when 2,000 rows are processed; the second
    // is then busy with its first batch.
    await page.waitForFunction(() => {
      const status =
        document.querySelector('section[aria-busy="true"] p[role="status"]')
          ?.textContent ?? "";
      return status.startsWith("2,000 of 10,000");
    });
    await progress.getByRole("button", { name: "Cancel import" }).click();
    await cancelled.waitFor({ state: "visible" });

    // The counts shown are what the database holds: the server stopped at
    // its next batch and reported what it had written before answering.
    const shown = new Map(
      (await summaryOf(cancelled)).map((text) => {
        const match = /^(.*) ([\d,]+)$/.exec(text);
        assert.ok(match, text);
        return [match[1], Number(match[2].replaceAll(",", ""))] as const;
      }),
    );
    const settled = await waitUntilStable(storedCount);
    t.diagnostic(
      `shown ${JSON.stringify([...shown])}; ${settled} rows in the database`,
    );
    assert.equal(shown.get("Imported"), settled, "imported = rows written");
    assert.equal(shown.has("Outcome unknown"), false, "no unknown outcome");
    assert.equal(
      (shown.get("Imported") ?? 0) +
        (shown.get("Failed") ?? 0) +
        (shown.get("Not imported") ?? 0),
      10_000,
      "every row accounted for",
    );
    const stored = new Set(
      usersWithPrefix(db, prefix).map((user) => user.email),
    );
    assert.ok(
      rows.slice(0, 2_000).every((row) => stored.has(row.email)),
      "the first request's rows are saved",
    );
    assert.ok(
      rows.slice(4_000).every((row) => !stored.has(row.email)),
      "nothing after the chunk in flight is saved",
    );
    assert.equal(
      requests.bodies.length,
      2,
      "no request after the cancelled one",
    );
    assert.equal(cancels.length, 1, "one cancel request");
    assert.equal(
      new URL(cancels[0]).searchParams.get("importId"),
      requests.bodies[0].importId,
    );
    // The server stops at its next batch: whatever it had written by then
    // is what the result shows (checked above), whether the cancel came
    // before its last batch (rows skipped) or after.
    const importId = requests.bodies[0].importId;
    const finished = serverLogRecords().filter(
      (record) =>
        record.importId === importId &&
        record.message === "CSV import finished",
    );
    const last = finished.at(-1);
    assert.ok(last, "the server logged the end of the import");
    if (last.cancelled === true) {
      assert.equal(
        Number(last.skipped),
        (shown.get("Not imported") ?? 0) - 6_000,
        "the rows the server skipped are the ones shown as not imported",
      );
    }
    db.close();
    await page.close();
  });

  test("a file over 10 MB keeps its non-ASCII characters", async (t) => {
    // papaparse reads a File in 10 MiB slices (Papa.LocalChunkSize) and
    // decodes each slice on its own (papaparse issues #751, #1132): a UTF-8
    // character cut by a slice boundary arrives as two U+FFFD. The file puts
    // the "ë" of "Zoë Boundary" across the first boundary.
    const prefix = uniquePrefix("utf8");
    const file = fileWithSplitCharacter(prefix, 10 * 1024 * 1024);
    const page = await openUserPage();
    const requests = recordImportRequests(page, USER_ROUTE);
    const { finished } = panels(page);
    await chooseFile(page, "big-utf8.csv", file.bytes);
    await finished.waitFor({ state: "visible" });
    assert.deepEqual(await summaryOf(finished), [
      `Imported ${file.rows.toLocaleString("en-US")}`,
      "Failed 0",
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
      "the name the browser sent is intact",
    );
    assert.equal(
      stored?.name,
      "Zoë Boundary",
      "the name in the database is intact",
    );
    await page.close();
  });

  test("two importers on one page do not interfere", async () => {
    // The dashboard page mounts both the user and the course import.
    const page = await context.newPage();
    await page.goto(env.baseUrl + "/en/dashboard");
    await waitForImporters(page);
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

    // Both files are read and reviewed, then both imports run at once.
    await users.getByLabel("User CSV file").setInputFiles({
      name: "users.csv",
      mimeType: "text/csv",
      buffer: userCsv.bytes,
    });
    await courses.getByLabel("Course CSV file").setInputFiles({
      name: "courses.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(courseCsv),
    });
    const startButton = /^Import [\d,]+ rows?$/;
    await users.getByRole("button", { name: startButton }).click();
    await courses.getByRole("button", { name: startButton }).click();

    const courseResult = panels(courses).finished;
    const userResult = panels(users).finished;
    await courseResult.waitFor();
    await userResult.waitFor();
    assert.deepEqual(await summaryOf(courseResult), ["Imported 4", "Failed 1"]);
    assert.deepEqual(await summaryOf(userResult), [
      "Imported 3,000",
      "Failed 0",
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

    // Both results stay reachable (nothing is modal), and resetting one
    // importer leaves the other's result alone.
    await userResult
      .getByRole("button", { name: "Import another file" })
      .click();
    await userResult.waitFor({ state: "hidden" });
    assert.equal(await courseResult.isVisible(), true);
    assert.deepEqual(await summaryOf(courseResult), ["Imported 4", "Failed 1"]);
    await page.close();
  });
});
