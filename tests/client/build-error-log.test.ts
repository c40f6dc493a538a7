/**
 * The error log the result dialog offers for download (DESIGN §4): a CSV
 * file with a Line column, every column of the feature holding the values
 * the user sent (found by line), and an Error column; every cell quoted,
 * embedded quotes doubled, and a cell a spreadsheet would run as a formula
 * neutralised with a leading `'`. The point of the file: fix the values and
 * import it again — its headers match without a mapping step, its Line and
 * Error columns are ignored silently, and the `'` comes off again.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Papa from "papaparse";
import {
  buildErrorLog,
  FORMULA_START,
} from "@/src/app/components/csv-importer/functions/build-error-log";
import { decodeCsvFile } from "@/src/app/components/csv-importer/functions/decode-csv-file";
import {
  applyMapping,
  matchColumns,
  needsMapping,
} from "@/src/app/components/csv-importer/functions/map-columns";
import { parseCsvText } from "@/src/app/components/csv-importer/functions/parse-csv";
import {
  ERROR_LOG_HEADERS,
  messagesFor,
} from "@/src/app/components/csv-importer/messages";
import {
  userColumns,
  type RawUserItem,
  type UserImportError,
} from "@/src/app/api/user/import/progress/types";
import { courseColumns } from "@/src/app/api/course/import/progress/types";
import { random } from "./seeded-random";

const EN = messagesFor("en").errorLog;
const DE = messagesFor("de").errorLog;

function user(values: Partial<RawUserItem>): RawUserItem {
  return {
    name: "",
    email: "",
    age: "",
    role: "",
    joinedOn: "",
    active: "",
    ...values,
  };
}

/** The rows of an import: three users on lines 2, 3 and 5. */
const SENT = {
  items: [
    user({ name: "Ada", email: "ada@example.com", age: "36", role: "admin" }),
    user({ name: "Bob", email: "bob@example", age: "-1", active: "maybe" }),
    user({
      name: 'Cy "The Cat", Jr.',
      email: "cy@example.com",
      joinedOn: "2024-02-30",
    }),
  ],
  lines: [2, 3, 5],
};

function failed(line: number, error: string): UserImportError {
  const item = SENT.items[SENT.lines.indexOf(line)];
  return { line, email: item?.email ?? "", error };
}

function readBack(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: false });
  assert.deepEqual(parsed.errors, []);
  return parsed.data;
}

/** Imports a downloaded error log again, the way the file input does. */
async function importAgain(log: Blob) {
  const decoded = await decodeCsvFile(log);
  assert.ok(decoded.ok, JSON.stringify(decoded));
  const outcome = parseCsvText(decoded.text, "errors.csv", decoded.encoding);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  const table = outcome.data;
  const match = matchColumns(table.headers, userColumns);
  return {
    asksToMap: needsMapping(
      match,
      userColumns,
      table.headers,
      ERROR_LOG_HEADERS,
    ),
    data: applyMapping(table, match.mapping, userColumns, ERROR_LOG_HEADERS),
  };
}

describe("buildErrorLog", () => {
  test("is a UTF-8 CSV file with a BOM, for spreadsheets", async () => {
    const log = buildErrorLog([], SENT, userColumns, EN);
    assert.equal(log.type, "text/csv;charset=utf-8");
    const head = new Uint8Array(await log.arrayBuffer()).subarray(0, 3);
    assert.deepEqual([...head], [0xef, 0xbb, 0xbf]);
  });

  test("Line, every column label, Error: every cell quoted, quotes doubled", async () => {
    const log = buildErrorLog(
      [
        failed(
          3,
          "Email must be a valid email address; Age must be at least 0",
        ),
        failed(5, 'Joined on "2024-02-30" is not a date'),
      ],
      SENT,
      userColumns,
      EN,
    );
    // Blob.text() would drop the BOM: decode the bytes as they are.
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(
      await log.arrayBuffer(),
    );
    assert.equal(
      text,
      '\uFEFF"Line","Name","Email","Age","Role","Joined on","Active","Error"\r\n' +
        '"3","Bob","bob@example","-1","","","maybe","Email must be a valid email address; Age must be at least 0"\r\n' +
        '"5","Cy ""The Cat"", Jr.","cy@example.com","","","2024-02-30","","Joined on ""2024-02-30"" is not a date"',
    );
  });

  test("finds each failed row's values by its line, in the order of the errors", async () => {
    const log = buildErrorLog(
      [failed(5, "late"), failed(2, "early")],
      SENT,
      userColumns,
      EN,
    );
    const rows = readBack(await log.text());
    assert.deepEqual(
      rows.slice(1).map((row) => row.slice(0, 3)),
      [
        ["5", 'Cy "The Cat", Jr.', "cy@example.com"],
        ["2", "Ada", "ada@example.com"],
      ],
    );
  });

  test("a line that was not sent gets empty value cells", async () => {
    const log = buildErrorLog(
      [failed(4, "Unknown row")],
      SENT,
      userColumns,
      EN,
    );
    assert.deepEqual(readBack(await log.text())[1], [
      "4",
      "",
      "",
      "",
      "",
      "",
      "",
      "Unknown row",
    ]);
  });

  test("the Line and Error headers are the caller's words (German)", async () => {
    const log = buildErrorLog(
      [failed(2, "Alter fehlt")],
      SENT,
      userColumns,
      DE,
    );
    const [header] = readBack(await log.text());
    assert.deepEqual(header, [
      "Zeile",
      "Name",
      "Email",
      "Age",
      "Role",
      "Joined on",
      "Active",
      "Fehler",
    ]);
  });

  test("another feature's columns (course)", async () => {
    const log = buildErrorLog(
      [{ line: 3, error: "Code already exists" }],
      {
        items: [
          {
            code: "CS-101",
            title: "Intro",
            credits: "5",
            startsOn: "2024-09-01",
            price: "",
          },
        ],
        lines: [3],
      },
      courseColumns,
      EN,
    );
    assert.deepEqual(readBack(await log.text()), [
      ["Line", "Code", "Title", "Credits", "Starts on", "Price", "Error"],
      ["3", "CS-101", "Intro", "5", "2024-09-01", "", "Code already exists"],
    ]);
  });

  test("round-trips commas, line breaks and non-ASCII text", async () => {
    const sent = {
      items: [
        user({
          name: "Zoë, 日本 😀",
          email: "a,b@example.com",
          role: "Line one\r\nline two",
        }),
      ],
      lines: [9],
    };
    const log = buildErrorLog(
      [{ line: 9, error: 'x, "y"\nz' }],
      sent,
      userColumns,
      EN,
    );
    assert.deepEqual(readBack(await log.text())[1], [
      "9",
      "Zoë, 日本 😀",
      "a,b@example.com",
      "",
      "Line one\r\nline two",
      "",
      "",
      'x, "y"\nz',
    ]);
  });
});

describe("formula cells are neutralised with a leading '", () => {
  const FORMULAS: [string, string][] = [
    ["=", "=1+1"],
    ["+", "+49 30 1234567"],
    ["-", "-1+2"],
    ["@", "@SUM(A1:A9)"],
    ["a tab", "\t=cmd"],
    ["a carriage return", "\r=cmd"],
    ["a line feed", "\nhello"],
    ["a leading space", " =1+1"],
    ["leading spaces and a tab", "  \t@x"],
    ["a zero-width space", '\u200B=HYPERLINK("http://evil.test")'],
    ["a byte order mark", "\uFEFF=1"],
    ["a fullwidth ＝", "\uFF1D1+1"],
    ["a fullwidth ＋", "\uFF0B1"],
    ["a fullwidth －", "\uFF0D1"],
    ["a fullwidth ＠", "\uFF20x"],
    ["a zero-width space before a fullwidth ＝", "\u200B\uFF1DSUM(1)"],
    ["a no-break space", "\u00A0=1+1"],
    ["a narrow no-break space", "\u202F@x"],
    ["an ideographic space", "\u3000+1+1"],
    ["an em space and a thin space", "\u2003\u2009-1+1"],
    ["a line separator", "\u2028=1"],
    ["a zero-width non-joiner", "\u200C=1"],
    ["a zero-width joiner", "\u200D@x"],
    ["a word joiner", "\u2060=1"],
    ["a Mongolian vowel separator", "\u180E=1"],
    ["a vertical tab and a form feed", "\u000B\u000C=1"],
    ["a CRLF", "\r\n=1"],
    [
      "invisible characters of every kind in a row",
      " \u200B\u2060\uFEFF\u00A0\t\uFF0B1",
    ],
    ["a ' already there", "'=1"],
    ["a fullwidth － before a number", "\uFF0D1"],
    ["a number after a space", " -1"],
    ["a sum of numbers", "-1+2"],
  ];

  for (const [what, value] of FORMULAS) {
    test(`a value starting with ${what}`, async () => {
      const sent = {
        items: [user({ name: value, email: "ada@example.com" })],
        lines: [2],
      };
      const log = buildErrorLog(
        [{ line: 2, error: value }],
        sent,
        userColumns,
        EN,
      );
      const text = await log.text();
      const [, row] = readBack(text);
      assert.equal(row[1], `'${value}`);
      assert.equal(row[7], `'${value}`, "the Error cell too");
      // Quoted, with the ' inside the quotes.
      assert.ok(text.includes(`"'${value.replaceAll('"', '""')}"`));
    });
  }

  test("FORMULA_START is the rule, for every one of them", () => {
    for (const [what, value] of FORMULAS) {
      assert.ok(FORMULA_START.test(value), what);
    }
  });

  test("formula characters that are not first, plain text and plain numbers are left alone", async () => {
    // prettier-ignore
    const values = ["a=b+c-d@e.com", "x @ y\tz", " Ada", "2024-01-31", "42", "-1", "+2.5", "-0.25", "", " ", "\u200B", "\u00A0Ada", "\u2060x=1", "Ada\t=1", "ａ=1"];
    for (const value of values) {
      assert.equal(FORMULA_START.test(value), false, JSON.stringify(value));
      const sent = { items: [user({ name: value })], lines: [2] };
      const log = buildErrorLog(
        [{ line: 2, error: "x" }],
        sent,
        userColumns,
        EN,
      );
      assert.equal(
        readBack(await log.text())[1][1],
        value,
        JSON.stringify(value),
      );
    }
  });
});

describe("an error log imports again as it is", () => {
  for (const [language, headers] of [
    ["English", EN],
    ["German", DE],
  ] as const) {
    test(`${language}: no mapping step, ${headers.line}/${headers.error} ignored, the values exactly as sent`, async () => {
      const items = [
        user({
          name: "=1+1",
          email: "+ada@example.com",
          age: "-1",
          role: "@admin",
          joinedOn: "\t2024-01-31",
          active: " =yes",
        }),
        user({
          name: "\uFF1DSUM(1)",
          email: "\u200B=x@example.com",
          age: "",
          role: "Line one\r\nline two",
          joinedOn: "",
          active: "",
        }),
        user({
          name: 'Cy "The Cat", Jr.',
          email: "cy@example.com",
          age: "200",
          role: "member",
          joinedOn: "",
          active: "yes",
        }),
      ];
      const sent = { items, lines: [2, 7, 8] };
      const errors = [
        { line: 2, error: "=Everything is wrong" },
        { line: 7, error: "Name is required" },
        { line: 8, error: "Age must be at most 150" },
      ];
      const { asksToMap, data } = await importAgain(
        buildErrorLog(errors, sent, userColumns, headers),
      );
      assert.equal(asksToMap, false);
      assert.deepEqual(data.items, items);
      assert.deepEqual(data.warnings, {
        raggedLines: [],
        expectedCells: 8,
        ignoredColumns: [],
      });
      // Its own lines: the fixed file is a new file.
      assert.deepEqual(data.lines, [2, 3, 4]);
    });
  }

  test("random values come back exactly, in either language (seeded, 200 logs)", async () => {
    // prettier-ignore
    const pieces = [
      "a", "Zoë", "日本", "😀", " ", "  ", ",", ";", "|", "\t", '"', "'",
      "=", "+", "-", "@", "\uFF1D", "\u200B", "\r\n", "\n", "\r", "1", "x y",
    ] as const;
    const rng = random(4242);
    for (let run = 0; run < 200; run += 1) {
      const value = () => {
        let text = "";
        const length = rng.int(6);
        for (let k = 0; k < length; k += 1) text += rng.pick(pieces);
        // A value starting with ' is the known gap tested below.
        return text.startsWith("'") ? `a${text}` : text;
      };
      const count = 1 + rng.int(6);
      const items = Array.from({ length: count }, () =>
        user({
          name: value(),
          email: value(),
          age: value(),
          role: value(),
          joinedOn: value(),
          active: value(),
        }),
      );
      const lines = items.map((_, index) => 2 + index * 2);
      const errors = lines.map((line) => ({ line, error: `${value()}!` }));
      const headers = rng.next() < 0.5 ? EN : DE;
      const { asksToMap, data } = await importAgain(
        buildErrorLog(errors, { items, lines }, userColumns, headers),
      );
      const where = `run ${run}: ${JSON.stringify(items)}`;
      assert.equal(asksToMap, false, where);
      assert.deepEqual(data.items, items, where);
      assert.equal(data.delimiter, ",", where);
    }
  });

  test("a value that already starts with ' before a formula comes back exactly", async () => {
    const items = [
      user({ name: "'=1", email: "'+ada@example.com", age: "' -1" }),
    ];
    const { data } = await importAgain(
      buildErrorLog(
        [{ line: 2, error: "x" }],
        { items, lines: [2] },
        userColumns,
        EN,
      ),
    );
    assert.deepEqual(data.items, items);
  });
});
