/**
 * The error log the result dialog offers for download (DESIGN §4): header
 * `Line,<key label>,Error`, every cell quoted, embedded quotes doubled, and a
 * cell a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab,
 * CR or LF) neutralised with a leading `'`. Checked byte for byte, then read
 * back with papaparse as a spreadsheet would.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Papa from "papaparse";
import { buildErrorLog } from "@/src/app/components/csv-importer/functions/build-error-log";
import type { UserImportError } from "@/src/app/api/user/import/progress/types";

const EMAIL_KEY = { field: "email", label: "Email" } as const;

function logOf(errors: UserImportError[]): Promise<string> {
  return buildErrorLog(errors, EMAIL_KEY).text();
}

function readBack(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv, {
    header: false,
    skipEmptyLines: false,
  });
  assert.deepEqual(parsed.errors, []);
  return parsed.data;
}

describe("buildErrorLog", () => {
  test("quotes every cell, header included, and doubles embedded quotes", async () => {
    const csv = await logOf([
      { line: 2, email: "ada@example.com", error: "Age must be at most 150" },
      {
        line: 17,
        email: 'say "hi"@example.com',
        error: 'Role must be one of: admin, member; Name "x" is too long',
      },
    ]);
    assert.equal(
      csv,
      '"Line","Email","Error"\r\n' +
        '"2","ada@example.com","Age must be at most 150"\r\n' +
        '"17","say ""hi""@example.com","Role must be one of: admin, member; Name ""x"" is too long"',
    );
  });

  test("is a UTF-8 CSV file", () => {
    const file = buildErrorLog([], EMAIL_KEY);
    assert.equal(file.type, "text/csv;charset=utf-8");
  });

  test("uses the feature's key label as the second header", async () => {
    const csv = await buildErrorLog(
      [{ line: 3, code: "CS-101", error: "Code already exists" }],
      {
        field: "code",
        label: "Course code",
      },
    ).text();
    assert.deepEqual(readBack(csv), [
      ["Line", "Course code", "Error"],
      ["3", "CS-101", "Code already exists"],
    ]);
  });

  for (const lead of ["=", "+", "-", "@", "\t", "\r", "\n"]) {
    test(`neutralises a cell starting with ${JSON.stringify(lead)}`, async () => {
      const email = `${lead}HYPERLINK("http://evil.test")`;
      const error = `${lead}1+1 is not an email`;
      const csv = await logOf([{ line: 9, email, error }]);
      assert.deepEqual(readBack(csv), [
        ["Line", "Email", "Error"],
        ["9", `'${email}`, `'${error}`],
      ]);
      // And quoted in the raw text (the leading character stays inside).
      assert.ok(csv.includes(`"'${email.replaceAll('"', '""')}"`), csv);
    });
  }

  test("leaves formula characters alone when they are not first", async () => {
    const csv = await logOf([
      { line: 4, email: "a=b+c-d@e.com", error: "x @ y\tz" },
    ]);
    assert.deepEqual(readBack(csv)[1], ["4", "a=b+c-d@e.com", "x @ y\tz"]);
  });

  test("round-trips commas, line breaks and non-ASCII text", async () => {
    const errors: UserImportError[] = [
      {
        line: 5,
        email: "zoë@example.com",
        error: "Name is required; Email must be a valid email address",
      },
      {
        line: 6,
        email: "a,b@example.com",
        error: "Line one\r\nline two, with a comma",
      },
      { line: 7, email: "", error: "Email is required" },
    ];
    assert.deepEqual(readBack(await logOf(errors)), [
      ["Line", "Email", "Error"],
      ...errors.map((entry) => [String(entry.line), entry.email, entry.error]),
    ]);
  });

  test("writes an empty cell for a missing key value", async () => {
    const missing = {
      line: 8,
      error: "The row must be an object of column values",
    } as unknown as UserImportError;
    assert.deepEqual(readBack(await logOf([missing]))[1], [
      "8",
      "",
      "The row must be an object of column values",
    ]);
  });
});
