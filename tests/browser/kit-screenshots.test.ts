/**
 * The importer of a `contact` feature (email, full name, age, joined on,
 * active) in a project with its own UI kit (shadcn/ui, Tailwind), step by
 * step in Chromium: each step is checked with axe-core and saved in light
 * and dark mode. The pytest wrapper serves the project and sets PAGE_PATH.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { BrowserContext } from "playwright-core";
import {
  accessibilityProblems,
  env,
  launchBrowser,
  saveScreenshots,
  uniquePrefix,
  waitForImporters,
} from "./harness";

const PAGE_PATH = process.env.PAGE_PATH ?? "/";

let context: BrowserContext;
let closeBrowser: () => Promise<void>;

before(async () => {
  ({ context, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
});

describe("the importer in the project's UI kit", () => {
  test("every step looks finished and passes axe, light and dark", async () => {
    const prefix = uniquePrefix("kit");
    const page = await context.newPage();
    await page.goto(env.baseUrl + PAGE_PATH);
    const region = page.getByRole("region", { name: "Contact import" });
    await region.waitFor();
    await waitForImporters(page);
    const check = async (step: string) => {
      assert.deepEqual(await accessibilityProblems(page), [], step);
      await saveScreenshots(page, step);
    };
    await check("1-pick");

    // Headers that need mapping: "Name of person" is no name of a field.
    await region.getByLabel("Contact CSV file", { exact: true }).setInputFiles({
      name: "contacts.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        [
          "E-mail address,Name of person,Age",
          `${prefix}-1@example.com,Ada Lovelace,36`,
          `not-an-email,Bob,40`,
          `${prefix}-3@example.com,Cy,41`,
        ].join("\n"),
      ),
    });
    await region.getByRole("heading", { name: "Match the columns" }).waitFor();
    await check("3-mapping");
    await region
      .getByLabel("Full name")
      .selectOption({ label: "Name of person" });
    await region.getByRole("button", { name: "Continue" }).click();

    await region.getByRole("table", { name: "Rows with errors" }).waitFor();
    await check("4-review-grid");

    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/import/progress", async (route) => {
      await held;
      await route.continue();
    });
    await region.getByRole("button", { name: "Import 3 rows" }).click();
    await region.getByRole("region", { name: "Importing…" }).waitFor();
    await check("5-progress");
    release();

    const result = region.getByRole("region", { name: /^Import finished/ });
    await result.waitFor();
    const counts = await result.locator("dl > div").allInnerTexts();
    assert.deepEqual(
      counts.map((text) => text.replace(/\s+/g, " ").trim()),
      ["Imported 2", "Failed 1"],
    );
    await check("6-result");
    await page.close();
  });
});
