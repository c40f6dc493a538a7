/**
 * The template CSV file the importer offers for download: the header the
 * feature expects (its column labels) and one example row. Whether the
 * example passes validation is the server's business (out of scope here);
 * what matters on this side is that the file, picked again, is read and
 * mapped without a mapping step.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Papa from "papaparse";
import { buildTemplateCsv } from "@/src/app/components/csv-importer/functions/build-template-csv";
import { decodeCsvFile } from "@/src/app/components/csv-importer/functions/decode-csv-file";
import {
  applyMapping,
  matchColumns,
  needsMapping,
} from "@/src/app/components/csv-importer/functions/map-columns";
import { parseCsvText } from "@/src/app/components/csv-importer/functions/parse-csv";
import { ERROR_LOG_HEADERS } from "@/src/app/components/csv-importer/messages";
import type { CsvColumn } from "@/src/app/components/csv-importer/types";
import { userColumns } from "@/src/app/api/user/import/progress/types";
import { courseColumns } from "@/src/app/api/course/import/progress/types";

/** Picks a template file again, the way the file input does. */
async function pickAgain<F extends string>(
  file: Blob,
  columns: readonly CsvColumn<F>[],
) {
  const decoded = await decodeCsvFile(file);
  assert.ok(decoded.ok, JSON.stringify(decoded));
  const outcome = parseCsvText(decoded.text, "template.csv", decoded.encoding);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  const table = outcome.data;
  const match = matchColumns(table.headers, columns);
  return {
    table,
    match,
    asksToMap: needsMapping(match, columns, table.headers, ERROR_LOG_HEADERS),
    data: applyMapping(table, match.mapping, columns, ERROR_LOG_HEADERS),
  };
}

describe("buildTemplateCsv", () => {
  test("the user template: labels as header, the examples as one row, every cell quoted", async () => {
    const file = buildTemplateCsv(userColumns);
    assert.equal(file.type, "text/csv;charset=utf-8");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(
      await file.arrayBuffer(),
    );
    assert.equal(
      text,
      '\uFEFF"Name","Email","Age","Role","Joined on","Active"\r\n' +
        '"Example","ada@example.com","42","member","2024-01-31","true"',
    );
  });

  for (const [feature, columns] of [
    ["user", userColumns],
    ["course", courseColumns],
  ] as const) {
    test(`the ${feature} template, picked again, maps with no mapping step`, async () => {
      const { table, match, asksToMap, data } = await pickAgain(
        buildTemplateCsv(columns),
        columns as readonly CsvColumn[],
      );
      assert.deepEqual(
        table.headers,
        columns.map((column) => column.label),
      );
      assert.equal(asksToMap, false);
      assert.equal(match.certain.size, columns.length);
      assert.deepEqual(data.items, [
        Object.fromEntries(
          columns.map((column) => [column.field, column.example]),
        ),
      ]);
      assert.deepEqual(data.lines, [2]);
      assert.deepEqual(data.warnings, {
        raggedLines: [],
        expectedCells: columns.length,
        ignoredColumns: [],
      });
    });
  }

  test("labels and examples with commas, quotes and non-ASCII text survive", async () => {
    const columns: CsvColumn<"city" | "note">[] = [
      {
        field: "city",
        label: "Stadt, Ort",
        headers: ["Stadt, Ort"],
        required: true,
        type: "string",
        example: "Köln",
      },
      {
        field: "note",
        label: 'Note "short"',
        headers: ['Note "short"'],
        required: false,
        type: "string",
        example: 'Say "hi", 日本 😀',
      },
    ];
    const { asksToMap, data } = await pickAgain(
      buildTemplateCsv(columns),
      columns,
    );
    assert.equal(asksToMap, false);
    assert.deepEqual(data.items, [{ city: "Köln", note: 'Say "hi", 日本 😀' }]);
    const [header] = Papa.parse<string[]>(
      await buildTemplateCsv(columns).text(),
    ).data;
    assert.deepEqual(header, ["Stadt, Ort", 'Note "short"']);
  });

  test("an example that looks like a formula (a negative number) is picked up as written", async () => {
    const columns: CsvColumn<"delta">[] = [
      {
        field: "delta",
        label: "Delta",
        headers: ["Delta"],
        required: true,
        type: "int",
        min: -100,
        max: -1,
        example: "-1",
      },
    ];
    const { data } = await pickAgain(buildTemplateCsv(columns), columns);
    assert.deepEqual(data.items, [{ delta: "-1" }]);
  });
});
