/**
 * The demo as a person uses it (what examples/demo.sh prints): no auth
 * gateway, no extra header. A signed-out visitor of the user dashboard is
 * sent to the sign-in page, signs in as the demo user, comes back, imports
 * examples/sample-users.csv and reads the result; the database holds
 * exactly the sample's good rows. Then signs out.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import Papa from "papaparse";
import type { BrowserContext, Page, Request } from "playwright-core";
import { env, launchBrowser, openDatabase, waitForImporters } from "./harness";

/**
 * Every element this test touches, by role and accessible name. The
 * importer's UI is being redesigned: when its texts change, change them
 * here only.
 */
function ui(page: Page) {
  const result = page.getByRole("region", { name: /^Import finished/ });
  // "Imported 1,234": the number of the count named `word`.
  const count = async (word: string): Promise<number> => {
    const pattern = new RegExp(`^\\s*${word}\\s+([\\d,]+)\\s*$`);
    const texts = await result.locator("dl > div").allInnerTexts();
    const match = texts
      .map((text) => pattern.exec(text))
      .find((found) => found !== null);
    assert.ok(match, `no count ${word} in ${JSON.stringify(texts)}`);
    return Number(match[1].replaceAll(",", ""));
  };
  return {
    signInHeading: page.getByRole("heading", { name: "Sign in" }),
    signInButton: page.getByRole("button", {
      name: "Sign in as the demo user",
    }),
    signOutButton: page.getByRole("button", { name: "Sign out" }),
    session: page.getByRole("complementary", { name: "Your session" }),
    usersHeading: page.getByRole("heading", { name: "Users" }),
    fileInput: page.getByLabel("User CSV file"),
    importButton: page.getByRole("button", { name: /^Import [\d,]+ rows?$/ }),
    result,
    closeResult: () =>
      result.getByRole("button", { name: "Import another file" }).click(),
    importedCount: () => count("Imported"),
    failedCount: () => count("Failed"),
  };
}

const USER_PAGE = "/en/dashboard/user";
const USER_ROUTE = "/api/user/import/progress";
const SESSION_COOKIE = "csvimport_example_session";

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set (the pytest wrapper sets it)`);
  return value;
}

/** A row of the sample, as a spreadsheet exports it. */
type SampleRow = Record<string, string>;

/**
 * Sorts the sample's rows by the demo's `user` fields (demo.sh: email
 * required and unique, lowercased; age 0 to 150 when given; role admin or
 * member when given), each row with the mistake that makes it bad.
 */
function classify(rows: SampleRow[]) {
  const seen = new Set<string>();
  const good: SampleRow[] = [];
  const bad: { row: SampleRow; mistake: string }[] = [];
  for (const row of rows) {
    const email = row.email.trim().toLowerCase();
    const age = row.age.trim();
    const role = row.role.trim();
    let mistake: string | null = null;
    if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(email)) mistake = "bad email";
    else if (age !== "" && !(/^\d+$/.test(age) && Number(age) <= 150))
      mistake = "age out of range";
    else if (role !== "" && !["admin", "member"].includes(role))
      mistake = "unknown role";
    else if (seen.has(email)) mistake = "duplicate email";
    seen.add(email);
    if (mistake) bad.push({ row, mistake });
    else good.push(row);
  }
  return { good, bad };
}

/**
 * Posts a body the route refuses after authenticating (`items` must be a
 * list), with the page's own same-origin fetch: 401 without a session,
 * 400 with one, and nothing is ever written.
 */
function probeImportRoute(page: Page): Promise<number> {
  // A string, not a function: tsx would wrap named functions in a helper
  // that does not exist in the page.
  return page.evaluate(`fetch(${JSON.stringify(USER_ROUTE)}, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ items: "probe" }),
  }).then((response) => response.status)`) as Promise<number>;
}

let context: BrowserContext;
let closeBrowser: () => Promise<void>;

before(async () => {
  ({ context, close: closeBrowser } = await launchBrowser({
    withToken: false,
  }));
});

after(async () => {
  await closeBrowser?.();
});

test("a signed-out visitor signs in as the demo user and imports the sample CSV", async (t) => {
  const samplePath = required("SAMPLE_CSV");
  const parsed = Papa.parse<SampleRow>(readFileSync(samplePath, "utf8"), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (header) =>
      header.trim().toLowerCase() === "joined on" ? "joinedOn" : header.trim(),
  });
  assert.deepEqual(parsed.errors, []);
  const sample = classify(parsed.data);
  // The sample shows every kind of mistake the demo promises.
  assert.deepEqual(
    new Set(sample.bad.map((entry) => entry.mistake)),
    new Set([
      "age out of range",
      "bad email",
      "duplicate email",
      "unknown role",
    ]),
  );
  const emails = parsed.data.map((row) => row.email.trim().toLowerCase());
  const db = openDatabase();
  const storedSampleEmails = () =>
    (
      db
        .prepare(
          `SELECT email FROM User WHERE email IN (${emails.map(() => "?").join(",")}) ORDER BY email`,
        )
        .all(...emails) as { email: string }[]
    ).map((row) => row.email);
  assert.deepEqual(
    storedSampleEmails(),
    [],
    "the database starts without the sample",
  );

  const page = await context.newPage();
  const element = ui(page);

  // Signed out: the dashboard sends the visitor to sign in, and the import
  // route refuses the page's own requests.
  await page.goto(env.baseUrl + USER_PAGE);
  await element.signInHeading.waitFor();
  const signInUrl = new URL(page.url());
  assert.equal(signInUrl.pathname, "/en/sign-in");
  assert.equal(signInUrl.searchParams.get("next"), USER_PAGE);
  assert.equal(await probeImportRoute(page), 401);

  // Signing in leads back to the page asked for, which names the user.
  await element.signInButton.click();
  await element.usersHeading.waitFor();
  assert.equal(new URL(page.url()).pathname, USER_PAGE);
  assert.match(await element.session.innerText(), /demo@example\.com/);
  const cookies = await context.cookies(env.baseUrl);
  const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE);
  assert.ok(session, `no session cookie among ${JSON.stringify(cookies)}`);
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, "Lax");
  assert.equal(
    await probeImportRoute(page),
    400,
    "the route now lets the page in",
  );

  // The import component, as generated: its requests carry the cookie and
  // no other credential.
  const imports: Request[] = [];
  page.on("request", (request) => {
    if (
      request.method() === "POST" &&
      new URL(request.url()).pathname === USER_ROUTE
    )
      imports.push(request);
  });
  await waitForImporters(page);
  await element.fileInput.setInputFiles(samplePath);
  await element.importButton.click();
  await element.result.waitFor({ state: "visible" });
  assert.ok(imports.length > 0, "the import sent a request");
  for (const request of imports) {
    const headers = await request.allHeaders();
    assert.equal(headers.authorization, undefined);
    assert.match(headers.cookie ?? "", new RegExp(`${SESSION_COOKIE}=v1\\.`));
  }

  const imported = await element.importedCount();
  const failed = await element.failedCount();
  const stored = storedSampleEmails();
  t.diagnostic(
    `sample: ${parsed.data.length} rows, ${sample.good.length} good; ` +
      `shown: ${imported} imported, ${failed} failed; stored: ${stored.length}`,
  );
  assert.equal(imported, stored.length, "shown = rows in the database");
  assert.equal(imported, sample.good.length, "shown = the sample's good rows");
  assert.equal(failed, sample.bad.length);
  assert.deepEqual(
    stored,
    sample.good.map((row) => row.email.trim().toLowerCase()).sort(),
  );
  db.close();

  // Signing out ends the session: back to sign-in, the route refuses again.
  await element.closeResult();
  await element.result.waitFor({ state: "hidden" });
  await element.signOutButton.click();
  await element.signInHeading.waitFor();
  assert.equal(await probeImportRoute(page), 401);
  await page.close();
});
