/**
 * The importer as the people who import use it (Chromium against
 * `next start`): the guidance before the upload, files that are not CSV,
 * encodings, the mapping step, the review grid, the error file round
 * trip, warnings, the German locale, the keyboard, and an accessibility
 * check with axe-core at every step. Each step is saved as a screenshot in
 * light and dark mode under tests/browser/screenshots/<kit>/.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Papa from "papaparse";
import type { BrowserContext, Locator, Page } from "playwright-core";
import {
  accessibilityProblems,
  env,
  launchBrowser,
  openDatabase,
  saveScreenshots,
  uniquePrefix,
  usersWithPrefix,
  WAIT_MS,
  waitForImporters,
} from "./harness";

const USER_PAGE = "/en/dashboard/user";

let context: BrowserContext;
let closeBrowser: () => Promise<void>;

before(async () => {
  ({ context, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
});

/** Every UI element the tests use, found by role and accessible name. */
function importer(page: Page, feature = "User") {
  const region = page.getByRole("region", { name: `${feature} import` });
  return {
    region,
    fileInput: region.getByLabel(`${feature} CSV file`, { exact: true }),
    chooseButton: region.getByRole("button", { name: "Choose a file" }),
    // The drop zone's text changes while a file is dragged over it.
    dropZone: region.locator("[data-active]"),
    templateButton: region.getByRole("button", {
      name: "Download a template CSV",
    }),
    problem: region.getByRole("alert"),
    mappingConfirm: region.getByRole("button", { name: "Continue" }),
    mappingTitle: region.getByRole("heading", { name: "Match the columns" }),
    importButton: region.getByRole("button", { name: /^Import [\d,]+ rows?$/ }),
    grid: region.getByRole("table", { name: "Rows with errors" }),
    warnings: region.getByText("Check before importing").locator(".."),
    result: region.getByRole("region", { name: /^Import (finished|stopped)/ }),
    downloadErrors: region.getByRole("button", {
      name: "Download the rows that failed",
    }),
  };
}

/** The counts of a panel: { Imported: 3, Failed: 0, ... }. */
async function countsOf(panel: Locator): Promise<Record<string, number>> {
  const texts = await panel.locator("dl > div").allInnerTexts();
  return Object.fromEntries(
    texts.map((text) => {
      const match = /^(.*?)\s+([\d,.]+)$/.exec(text.trim());
      assert.ok(match, text);
      return [match[1].trim(), Number(match[2].replace(/[,.]/g, ""))];
    }),
  );
}

async function openUserPage(url = USER_PAGE): Promise<Page> {
  const page = await context.newPage();
  await page.goto(env.baseUrl + url);
  await waitForImporters(page);
  return page;
}

/** A CSV file for the file input. */
function csvFile(name: string, text: string | Buffer) {
  return {
    name,
    mimeType: "text/csv",
    buffer: typeof text === "string" ? Buffer.from(text, "utf8") : text,
  };
}

describe("the importer, step by step", () => {
  test("shows the expected columns and a template that imports as it is", async () => {
    const page = await openUserPage();
    const ui = importer(page);
    const columns = ui.region.getByRole("table").first();
    const rows = await columns.locator("tbody tr").allInnerTexts();
    assert.equal(rows.length, 6);
    assert.match(rows[0], /Name\s+required\s+Text; at most 100 characters/);
    assert.match(rows[2], /Age\s+optional\s+A whole number; from 0 to 150/);
    assert.match(rows[3], /One of: admin, member; empty means member/);
    assert.deepEqual(await accessibilityProblems(page), []);
    await saveScreenshots(page, "1-pick");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      ui.templateButton.click(),
    ]);
    assert.equal(download.suggestedFilename(), "user-import-template.csv");
    const saved = path.join(env.downloadDir, "template.csv");
    await download.saveAs(saved);
    const template = readFileSync(saved);
    const parsed = Papa.parse<string[]>(
      template.toString("utf8").replace(/^\uFEFF/, ""),
      { skipEmptyLines: true },
    );
    assert.deepEqual(parsed.data[0], [
      "Name",
      "Email",
      "Age",
      "Role",
      "Joined on",
      "Active",
    ]);
    assert.equal(parsed.data.length, 2, "header and one example row");

    // The template goes straight to the review, every row valid.
    await ui.fileInput.setInputFiles(csvFile("template.csv", template));
    await ui.importButton.waitFor();
    assert.equal(await ui.mappingTitle.count(), 0, "no mapping step");
    await ui.region.getByText("Every row passes the rules.").waitFor();
    await page.close();
  });

  test("refuses a PNG, an empty file and a header-only file with a clear message", async () => {
    const page = await openUserPage();
    const ui = importer(page);
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13,
    ]);
    const cases: [string, Buffer | string, RegExp][] = [
      ["photo.csv", png, /This is not a CSV file: its content is PNG/],
      ["empty.csv", "", /The file is empty/],
      ["header.csv", "Name,Email\r\n", /a header but no data rows/],
    ];
    for (const [name, bytes, message] of cases) {
      await ui.fileInput.setInputFiles(csvFile(name, bytes));
      await ui.problem.filter({ hasText: message }).waitFor();
      assert.equal(await ui.importButton.count(), 0, name);
    }
    await saveScreenshots(page, "2-refused");
    await page.close();
  });

  test("reads Windows-1252 and UTF-16 files (one of them dropped): Müller, Crème and Ærø arrive intact", async () => {
    const prefix = uniquePrefix("enc");
    const rows = (tag: string) =>
      `Name,Email\r\nMüller ${tag},${prefix}-${tag}-1@example.com\r\nCrème ${tag},${prefix}-${tag}-2@example.com\r\nÆrø ${tag},${prefix}-${tag}-3@example.com\r\n`;
    const utf16le = (text: string) =>
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const utf16be = (text: string) => {
      const bytes = Buffer.from(text, "utf16le");
      for (let index = 0; index < bytes.length; index += 2) {
        [bytes[index], bytes[index + 1]] = [bytes[index + 1], bytes[index]];
      }
      return Buffer.concat([Buffer.from([0xfe, 0xff]), bytes]);
    };
    const files: [string, Buffer, string][] = [
      ["cp1252", Buffer.from(rows("cp1252"), "latin1"), "WINDOWS-1252"],
      ["utf16le", utf16le(rows("utf16le")), "UTF-16LE"],
      ["utf16be", utf16be(rows("utf16be")), "UTF-16BE"],
    ];
    for (const [tag, bytes, encoding] of files) {
      const page = await openUserPage();
      const ui = importer(page);
      if (tag === "utf16le") {
        // Dropped on the drop zone instead of picked.
        const transfer = await page.evaluateHandle(
          `(() => {
            const transfer = new DataTransfer();
            const bytes = new Uint8Array(${JSON.stringify([...bytes])});
            transfer.items.add(new File([bytes], "dropped.csv", { type: "text/csv" }));
            return transfer;
          })()`,
        );
        await ui.dropZone.dispatchEvent("dragover", { dataTransfer: transfer });
        await ui.dropZone.dispatchEvent("drop", { dataTransfer: transfer });
      } else {
        await ui.fileInput.setInputFiles(csvFile(`${tag}.csv`, bytes));
      }
      await ui.region
        .getByText(`3 rows · ${encoding} · comma-separated`)
        .waitFor();
      await ui.importButton.click();
      await ui.result.waitFor();
      assert.deepEqual(await countsOf(ui.result), { Imported: 3, Failed: 0 });
      await page.close();
    }
    const db = openDatabase();
    const names = usersWithPrefix(db, prefix).map((user) => user.name);
    db.close();
    assert.deepEqual(
      names.sort(),
      ["cp1252", "utf16be", "utf16le"]
        .flatMap((tag) => [`Müller ${tag}`, `Crème ${tag}`, `Ærø ${tag}`])
        .sort(),
    );
  });

  test("maps headers that do not match in the UI, and remembers the mapping", async () => {
    const prefix = uniquePrefix("map");
    const file = (n: number) =>
      csvFile(
        "export.csv",
        `Full legal name,Contact,Years\r\nAda ${n},${prefix}-${n}@example.com,36\r\n`,
      );
    const page = await openUserPage();
    const ui = importer(page);
    await ui.fileInput.setInputFiles(file(1));
    await ui.mappingTitle.waitFor();
    // "Full legal name" is proposed for Name (a word of it); Email is not:
    // Continue stays disabled until the user picks its column.
    assert.equal(await ui.mappingConfirm.isDisabled(), true);
    assert.deepEqual(await accessibilityProblems(page), []);
    await saveScreenshots(page, "3-mapping");
    await ui.region.getByLabel("Email").selectOption({ label: "Contact" });
    await ui.region.getByLabel("Age").selectOption({ label: "Years" });
    await ui.mappingConfirm.click();
    await ui.importButton.click();
    await ui.result.waitFor();
    assert.deepEqual(await countsOf(ui.result), { Imported: 1, Failed: 0 });

    // The same columns again: the mapping is remembered, no step.
    await ui.region
      .getByRole("button", { name: "Import another file" })
      .click();
    await ui.fileInput.setInputFiles(file(2));
    await ui.importButton.waitFor();
    assert.equal(await ui.mappingTitle.count(), 0, "mapping remembered");
    await ui.importButton.click();
    await ui.result.waitFor();
    const db = openDatabase();
    const stored = usersWithPrefix(db, prefix);
    db.close();
    assert.deepEqual(
      stored.map((user) => [user.name, user.age]),
      [
        ["Ada 1", 36],
        ["Ada 2", 36],
      ],
    );
    await page.close();
  });

  test("fixes two bad cells in the grid, then imports with 0 errors", async () => {
    const prefix = uniquePrefix("grid");
    const page = await openUserPage();
    const ui = importer(page);
    await ui.fileInput.setInputFiles(
      csvFile(
        "people.csv",
        [
          "Name,Email,Age",
          `Ada,${prefix}-1@example.com,36`,
          `Bob,not-an-email,40`,
          `Cy,${prefix}-3@example.com,200`,
        ].join("\n"),
      ),
    );
    await ui.grid.waitFor();
    assert.deepEqual(await countsOf(ui.region), {
      "Ready to import": 1,
      "With errors": 2,
    });
    assert.deepEqual(await accessibilityProblems(page), []);
    await saveScreenshots(page, "4-review-grid");
    await ui.grid.getByLabel("Email, line 3").fill(`${prefix}-2@example.com`);
    await ui.grid.getByLabel("Email, line 3").press("Enter");
    await ui.grid.getByLabel("Age, line 4").fill("30");
    await ui.grid.getByLabel("Age, line 4").press("Enter");
    await ui.region.getByText("Every row passes the rules.").waitFor();
    assert.deepEqual(await countsOf(ui.region), {
      "Ready to import": 3,
      "With errors": 0,
    });
    // Hold the request until the progress panel is checked and saved.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/import/progress", async (route) => {
      await held;
      await route.continue();
    });
    await ui.importButton.click();
    const progress = ui.region.getByRole("region", { name: "Importing…" });
    await progress.waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    await saveScreenshots(page, "5-progress");
    release();
    await ui.result.waitFor();
    assert.deepEqual(await countsOf(ui.result), { Imported: 3, Failed: 0 });
    assert.deepEqual(await accessibilityProblems(page), []);
    await saveScreenshots(page, "6-result");
    await page.close();
  });

  test("an error file, fixed by a script, imports again with 0 errors and no mapping step", async () => {
    const prefix = uniquePrefix("round");
    const page = await openUserPage();
    const ui = importer(page);
    await ui.fileInput.setInputFiles(
      csvFile(
        "people.csv",
        [
          "Name,Email,Age,Role",
          `Ada,${prefix}-1@example.com,36,admin`,
          `Bob,${prefix}-2@example,40,member`,
          `Cy,${prefix}-3@example.com,-4,member`,
          `Dee,${prefix}-4@example.com,30,boss`,
        ].join("\n"),
      ),
    );
    await ui.importButton.click();
    await ui.result.waitFor();
    assert.deepEqual(await countsOf(ui.result), { Imported: 1, Failed: 3 });
    await saveScreenshots(page, "6-result-errors");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      ui.downloadErrors.click(),
    ]);
    const logPath = path.join(env.downloadDir, `${prefix}-errors.csv`);
    await download.saveAs(logPath);

    // The script a user would write: fix the three values, keep the rest.
    const log = Papa.parse<Record<string, string>>(
      readFileSync(logPath, "utf8").replace(/^\uFEFF/, ""),
      { header: true, skipEmptyLines: true },
    );
    assert.deepEqual(
      log.data.map((row) => [row.Line, row.Name, row.Error]),
      [
        ["3", "Bob", "Email must be a valid email address"],
        ["4", "Cy", "Age must be at least 0"],
        ["5", "Dee", "Role must be one of: admin, member"],
      ],
    );
    const fixed = log.data.map((row) => ({
      ...row,
      Email: row.Email.replace(/@example$/, "@example.com"),
      Age: row.Age.startsWith("-") ? row.Age.slice(1) : row.Age,
      Role: row.Role === "boss" ? "admin" : row.Role,
    }));
    const again = Papa.unparse(fixed, { quotes: true });

    await ui.region
      .getByRole("button", { name: "Import another file" })
      .click();
    await ui.fileInput.setInputFiles(csvFile("fixed.csv", again));
    await ui.importButton.waitFor();
    assert.equal(await ui.mappingTitle.count(), 0, "no mapping step");
    assert.equal(await ui.warnings.count(), 0, "Line and Error are expected");
    await ui.importButton.click();
    await ui.result.waitFor();
    assert.deepEqual(await countsOf(ui.result), { Imported: 3, Failed: 0 });
    const db = openDatabase();
    assert.equal(usersWithPrefix(db, prefix).length, 4);
    db.close();
    await page.close();
  });

  test("shows ragged rows and unknown columns as warnings before the upload", async () => {
    const prefix = uniquePrefix("ragged");
    const page = await openUserPage();
    const ui = importer(page);
    await ui.fileInput.setInputFiles(
      csvFile(
        "ragged.csv",
        [
          "Name,Email,Shoe size",
          `Ada,${prefix}-1@example.com,38`,
          `Bob,${prefix}-2@example.com`,
          `Cy,${prefix}-3@example.com,41,extra`,
        ].join("\n"),
      ),
    );
    // An unknown column might be one of the optional fields: the mapping
    // step asks, and says the column is not imported.
    await ui.mappingTitle.waitFor();
    await ui.region.getByText("Not imported: Shoe size.").waitFor();
    await ui.mappingConfirm.click();
    await ui.warnings.waitFor();
    const text = (await ui.warnings.innerText()).replace(/\s+/g, " ");
    assert.match(text, /2 rows have more or fewer than 3 cells \(lines 3, 4\)/);
    assert.match(text, /This column is not imported: Shoe size/);
    assert.deepEqual(await accessibilityProblems(page), []);
    await saveScreenshots(page, "4-review-warnings");
    await page.close();
  });

  test("speaks German on /de/, and so does the server", async () => {
    const prefix = uniquePrefix("de");
    const page = await openUserPage("/de/dashboard/user");
    const region = page.getByRole("region", { name: "User-Import" });
    await region
      .getByRole("heading", { name: "Aus einer CSV-Datei importieren" })
      .waitFor();
    await region
      .getByRole("button", { name: "CSV-Vorlage herunterladen" })
      .waitFor();
    const fileInput = region.getByLabel("User-CSV-Datei", { exact: true });
    await fileInput.setInputFiles(csvFile("leer.csv", ""));
    await region
      .getByRole("alert")
      .filter({ hasText: "Die Datei ist leer." })
      .waitFor();
    await saveScreenshots(page, "7-german");

    // The rules speak German in the browser...
    await fileInput.setInputFiles(
      csvFile(
        "personen.csv",
        [
          "Name,Email",
          `Ada,${prefix}-1@example.com`,
          "Bob,keine-adresse",
          `Cy,${prefix}-1@example.com`,
        ].join("\n"),
      ),
    );
    const grid = region.getByRole("table", { name: "Zeilen mit Fehlern" });
    await grid
      .getByText("Email muss eine gültige E-Mail-Adresse sein")
      .waitFor();
    await grid.getByText("Email wiederholt Zeile 2").waitFor();

    // ...and on the server, which the importer asks for German.
    const languages: (string | undefined)[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST")
        languages.push(request.headers()["accept-language"]);
    });
    await region.getByRole("button", { name: "3 Zeilen importieren" }).click();
    const result = region.getByRole("region", {
      name: /^Import mit Fehlern abgeschlossen/,
    });
    await result.waitFor();
    assert.deepEqual(await countsOf(result), {
      Importiert: 1,
      Fehlgeschlagen: 2,
    });
    const failures = (await result.getByRole("table").innerText()).replace(
      /\s+/g,
      " ",
    );
    assert.match(failures, /3 Email muss eine gültige E-Mail-Adresse sein/);
    assert.match(failures, /4 Email wiederholt Zeile 2/);
    assert.deepEqual(languages, ["de"]);
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.close();
  });

  test("imports with the keyboard only", async () => {
    const prefix = uniquePrefix("keys");
    const page = await openUserPage();
    const ui = importer(page);
    const focused = () =>
      page.evaluate(
        "document.activeElement?.textContent ?? ''",
      ) as Promise<string>;
    // Tab to "Choose a file" and press Enter. The browser opens its file
    // chooser when the file input is clicked during a user activation; the
    // page records that click, and the test then picks the file as the
    // chooser would. (Waiting for the chooser itself depends on when the
    // browser starts intercepting it, which a slow machine can lose.)
    for (let presses = 0; (await focused()) !== "Choose a file"; presses += 1) {
      assert.ok(presses < 40, "Choose a file is reachable with Tab");
      await page.keyboard.press("Tab");
    }
    await page.evaluate(`{
      const input = document.querySelector("input[type=file]");
      input.addEventListener("click", (event) => {
        event.preventDefault();
        window.fileInputClicked = { activated: navigator.userActivation.isActive };
      }, { once: true });
    }`);
    await page.keyboard.press("Enter");
    const click = await page.waitForFunction(
      "window.fileInputClicked",
      undefined,
      {
        timeout: WAIT_MS,
      },
    );
    assert.deepEqual(await click.jsonValue(), { activated: true });
    await ui.fileInput.setInputFiles(
      csvFile("keys.csv", `Name,Email\nAda,${prefix}-1@example.com\n`),
    );
    await ui.importButton.waitFor();
    for (let presses = 0; !/^Import \d/.test(await focused()); presses += 1) {
      assert.ok(presses < 40, "Import is reachable with Tab");
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    await ui.result.waitFor();
    // The result takes the focus, so a screen reader reads it out.
    assert.match(await focused(), /Import finished/);
    assert.deepEqual(await countsOf(ui.result), { Imported: 1, Failed: 0 });
    await page.close();
  });
});
