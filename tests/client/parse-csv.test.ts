/**
 * Reading CSV text into a table (DESIGN §3 CSV traps): papaparse does the
 * quoting and detects the delimiter; `createTableCollector` takes the first
 * non-blank record as the header and numbers the records as spreadsheet
 * lines (header = line 1, a record with quoted line breaks is one line,
 * skipped blank records keep their numbers). Matching the header to a
 * feature's columns is map-columns.test.ts; the bytes are
 * decode-csv-file.test.ts.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Papa from "papaparse";
import {
  createTableCollector,
  parseCsvText,
  readCsvFile,
} from "@/src/app/components/csv-importer/functions/parse-csv";
import type {
  CsvParseOutcome,
  CsvTable,
} from "@/src/app/components/csv-importer/types";
import { random } from "./seeded-random";

function tableOf(outcome: CsvParseOutcome<CsvTable>): CsvTable {
  assert.ok(outcome.ok, `expected a table, got: ${JSON.stringify(outcome)}`);
  return outcome.data;
}

/** A file with every trap at once; CRLF line endings and a BOM. */
const TRAPS_CSV = [
  "\uFEFF  NAME ,e-mail,Age, role ,  joined ON  ,ACTIVE",
  '"Doe, Jane",jane@example.com,34,admin,2024-02-29,yes',
  '"Line one',
  'line two",two-lines@example.com,,member,,',
  ",,,,,",
  "",
  'Quote "inside",quote@example.com,7,member,2023-12-31,0',
  '"Quoted ""twice""",twice@example.com,,,,',
  "",
].join("\r\n");

describe("parseCsvText", () => {
  test("reads BOM, CRLF, quoted commas, quoted newlines and doubled quotes", () => {
    const table = tableOf(parseCsvText(TRAPS_CSV, "traps.csv"));
    assert.equal(table.fileName, "traps.csv");
    assert.equal(table.encoding, "utf-8");
    assert.equal(table.delimiter, ",");
    // Header cells lose the BOM and surrounding spaces, keep their case.
    assert.deepEqual(table.headers, [
      "NAME",
      "e-mail",
      "Age",
      "role",
      "joined ON",
      "ACTIVE",
    ]);
    assert.deepEqual(table.records, [
      ["Doe, Jane", "jane@example.com", "34", "admin", "2024-02-29", "yes"],
      ["Line one\r\nline two", "two-lines@example.com", "", "member", "", ""],
      ['Quote "inside"', "quote@example.com", "7", "member", "2023-12-31", "0"],
      ['Quoted "twice"', "twice@example.com", "", "", "", ""],
    ]);
  });

  test("numbers records as spreadsheet lines", () => {
    // Line 1 header; 2 "Doe, Jane"; 3 the two-line record (one line);
    // 4 ",,,,," and 5 "" are blank, skipped but counted; 6 and 7 are rows;
    // the final CRLF leaves one more blank record.
    const table = tableOf(parseCsvText(TRAPS_CSV));
    assert.deepEqual(table.lines, [2, 3, 6, 7]);
    assert.equal(table.blankLines, 3);
  });

  test("blank records before the header still count as lines", () => {
    const table = tableOf(
      parseCsvText("\n,,\nname,email\nAda,ada@example.com\n"),
    );
    assert.deepEqual(table.headers, ["name", "email"]);
    assert.deepEqual(table.lines, [4]);
    assert.equal(table.blankLines, 3);
  });

  test("data cells keep their spaces (only header cells are trimmed)", () => {
    const table = tableOf(parseCsvText(' name , note \n  Ada ,"  two  "\n'));
    assert.deepEqual(table.headers, ["name", "note"]);
    assert.deepEqual(table.records, [["  Ada ", "  two  "]]);
  });

  test("detects the delimiter: semicolon (German Excel), tab and pipe", () => {
    for (const delimiter of [";", "\t", "|"]) {
      const text =
        ["Name", "Email", "City"].join(delimiter) +
        "\r\n" +
        ["Müller, Hans", "hans@example.com", "Köln"].join(delimiter) +
        "\r\n";
      const table = tableOf(parseCsvText(text));
      assert.equal(table.delimiter, delimiter, JSON.stringify(delimiter));
      assert.deepEqual(table.records, [
        ["Müller, Hans", "hans@example.com", "Köln"],
      ]);
    }
  });

  test("detects the delimiter of a short two-column file, or one with blank lines", () => {
    for (const delimiter of [";", "\t", "|"]) {
      for (const text of [
        `Name${delimiter}Email\r\nAda${delimiter}ada@example.com\r\n`,
        `Name${delimiter}Email\r\n\r\n${`Ada${delimiter}ada@example.com\r\n`.repeat(20)}`,
      ]) {
        const table = tableOf(parseCsvText(text));
        assert.equal(table.delimiter, delimiter, JSON.stringify(text));
        assert.deepEqual(table.headers, ["Name", "Email"]);
      }
    }
  });

  test("a one-column file is read as one column", () => {
    const table = tableOf(
      parseCsvText("Email\r\nada@example.com\r\nbob@example.com\r\n"),
    );
    assert.deepEqual(table.headers, ["Email"]);
    assert.deepEqual(table.records, [["ada@example.com"], ["bob@example.com"]]);
  });

  test("keeps records with more or fewer cells than the header as they are", () => {
    // Whether that deserves a warning is applyMapping's business.
    const table = tableOf(parseCsvText("a,b,c\n1,2\n1,2,3,4\n"));
    assert.deepEqual(table.records, [
      ["1", "2"],
      ["1", "2", "3", "4"],
    ]);
  });

  test("reports the encoding it is told", () => {
    const table = tableOf(parseCsvText("a,b\n1,2\n", "x.csv", "windows-1252"));
    assert.equal(table.encoding, "windows-1252");
  });

  test("refuses a file with nothing in it, or only a header", () => {
    assert.deepEqual(parseCsvText(""), {
      ok: false,
      problem: { kind: "noHeader" },
    });
    assert.deepEqual(parseCsvText("\r\n,,\r\n"), {
      ok: false,
      problem: { kind: "noHeader" },
    });
    assert.deepEqual(parseCsvText("name,email\r\n"), {
      ok: false,
      problem: { kind: "noRows" },
    });
    assert.deepEqual(parseCsvText("name,email\r\n,\r\n  ,\r\n"), {
      ok: false,
      problem: { kind: "noRows" },
    });
  });

  test("reports an unclosed quote with its line", () => {
    assert.deepEqual(
      parseCsvText('name,email\nAda,ada@example.com\n"Bob,bob@example.com\n'),
      { ok: false, problem: { kind: "quotes", line: 3 } },
    );
  });

  test("an unclosed quote's line counts blank and multi-line records before it", () => {
    const text =
      'name,email\n\n"Ada\nLovelace",ada@example.com\n,\n"Bob,bob@example.com\nCy,cy@example.com\n';
    // 1 header, 2 blank, 3 Ada (two text lines), 4 blank, 5 the open quote.
    assert.deepEqual(parseCsvText(text), {
      ok: false,
      problem: { kind: "quotes", line: 5 },
    });
  });

  test("reports a malformed quote (text after the closing quote) with its line", () => {
    assert.deepEqual(
      parseCsvText('name,email\n"Doe" Jane,jane@example.com\n'),
      {
        ok: false,
        problem: { kind: "quotes", line: 2 },
      },
    );
  });

  test("random tables written by papaparse come back cell for cell, on their lines (seeded, 300 files)", () => {
    // prettier-ignore
    const pieces = [
      "a", "Zoë", "日本", "😀", " ", ",", ";", "|", "\t", '"', "'", "=1+1",
      "\r\n", "\n", "\r", "-", "@", "x y", "\u200B",
    ] as const;
    const rng = random(7);
    for (let run = 0; run < 300; run += 1) {
      const headers = ["Name", "Email", "Note", "City"].slice(
        0,
        3 + rng.int(2),
      );
      const records: string[][] = [];
      const lines: number[] = [];
      const texts: string[] = [Papa.unparse([headers])];
      let blank = 0;
      const count = 1 + rng.int(12);
      for (let index = 0; index < count; index += 1) {
        if (rng.next() < 0.2) {
          // A blank record: empty, or only delimiters.
          texts.push(rng.next() < 0.5 ? "" : ",".repeat(headers.length - 1));
          blank += 1;
        }
        const record = headers.map(() => {
          let cell = "";
          const length = rng.int(5);
          for (let k = 0; k < length; k += 1) cell += rng.pick(pieces);
          return cell;
        });
        record[0] = `P${index}${record[0]}`; // never blank
        records.push(record);
        texts.push(Papa.unparse([record], { quotes: rng.next() < 0.5 }));
        lines.push(texts.length);
      }
      const newline = rng.pick(["\r\n", "\n"]);
      const trailing = rng.next() < 0.5 ? newline : "";
      const text = texts.join(newline) + trailing;
      const table = tableOf(parseCsvText(text, "random.csv"));
      const where = `run ${run}: ${JSON.stringify(text)}`;
      assert.equal(table.delimiter, ",", where);
      assert.deepEqual(table.headers, headers, where);
      assert.deepEqual(table.records, records, where);
      assert.deepEqual(table.lines, lines, where);
      assert.equal(table.blankLines, blank + (trailing ? 1 : 0), where);
    }
  });
});

describe("createTableCollector (the records of a file, pushed in order)", () => {
  test("the first non-blank record is the header; lines count every record", () => {
    const collector = createTableCollector("stream.csv", "utf-16le");
    for (const record of [
      ["", ""],
      ["\uFEFF Name ", " Email"],
      ["Ada", "ada@example.com"],
      [" ", ""],
      ["Bob", "bob@example.com"],
    ]) {
      collector.push(record);
    }
    assert.deepEqual(collector.finish(";"), {
      ok: true,
      data: {
        fileName: "stream.csv",
        encoding: "utf-16le",
        delimiter: ";",
        headers: ["Name", "Email"],
        records: [
          ["Ada", "ada@example.com"],
          ["Bob", "bob@example.com"],
        ],
        lines: [3, 5],
        blankLines: 2,
      },
    });
  });

  test("records pushed in several chunks give the same table as in one", () => {
    const { data } = Papa.parse<string[]>(TRAPS_CSV, { skipEmptyLines: false });
    const whole = createTableCollector("f.csv", "utf-8");
    data.forEach((record) => whole.push(record));
    for (let size = 1; size <= data.length; size += 1) {
      const chunked = createTableCollector("f.csv", "utf-8");
      for (let start = 0; start < data.length; start += size) {
        data
          .slice(start, start + size)
          .forEach((record) => chunked.push(record));
      }
      assert.deepEqual(
        chunked.finish(","),
        whole.finish(","),
        `chunks of ${size}`,
      );
    }
  });

  test("the collector keeps its own copy of each record", () => {
    const collector = createTableCollector("f.csv", "utf-8");
    const record = ["Ada", "ada@example.com"];
    collector.push(["name", "email"]);
    collector.push(record);
    record[0] = "changed";
    assert.deepEqual(tableOf(collector.finish(",")).records, [
      ["Ada", "ada@example.com"],
    ]);
  });

  test("nothing pushed, or only blank records: no header", () => {
    assert.deepEqual(createTableCollector("f.csv", "utf-8").finish(","), {
      ok: false,
      problem: { kind: "noHeader" },
    });
    const blank = createTableCollector("f.csv", "utf-8");
    blank.push([""]);
    blank.push([" ", "\t"]);
    assert.deepEqual(blank.finish(","), {
      ok: false,
      problem: { kind: "noHeader" },
    });
  });
});

describe("readCsvFile (decode, then parse)", () => {
  test("a UTF-8 file with BOM and CRLF gives the same table as parseCsvText", async () => {
    const file = new File([TRAPS_CSV], "traps.csv", { type: "text/csv" });
    assert.deepEqual(
      await readCsvFile(file),
      parseCsvText(TRAPS_CSV, "traps.csv"),
    );
  });

  test("a file larger than the worker threshold keeps every character", async () => {
    // Over 512 KB (browsers parse that in a web worker; Node has none, so
    // this reads it directly) with multi-byte characters all the way.
    const rows = Array.from(
      { length: 12_000 },
      (_, index) =>
        `Zoë Ørsted ${index},zoë.${index}@example.com,日本 😀 ${index}`,
    );
    const text = `Name,Email,Note\r\n${rows.join("\r\n")}\r\n`;
    const file = new File([text], "big.csv");
    assert.ok(file.size > 512 * 1024, `${file.size} bytes`);
    const table = tableOf(await readCsvFile(file));
    assert.equal(table.records.length, 12_000);
    assert.deepEqual(table.records.at(-1), [
      "Zoë Ørsted 11999",
      "zoë.11999@example.com",
      "日本 😀 11999",
    ]);
    assert.equal(table.lines.at(-1), 12_001);
    assert.ok(!table.records.flat().join("").includes("\uFFFD"));
  });

  test("an unclosed quote in a file is reported on its line", async () => {
    const rows = Array.from(
      { length: 40 },
      (_, index) => `P${index},p${index}@example.com`,
    );
    rows.splice(30, 0, '"Bob,bob@example.com');
    const file = new File([`name,email\n${rows.join("\n")}\n`], "q.csv");
    assert.deepEqual(await readCsvFile(file), {
      ok: false,
      problem: { kind: "quotes", line: 32 },
    });
  });
});
