/**
 * How the hook cuts a file into requests (issue item 7): at most 2,000 rows
 * and 1 MB of JSON per request by default, rows in order, each carried with
 * its true spreadsheet line, a single row larger than the limit sent alone.
 * Sizes are checked against the real request body the hook sends
 * (`JSON.stringify({ items, lines, importId })`, measured in UTF-8 bytes).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  splitIntoChunks,
  type ImportChunk,
} from "@/src/app/components/csv-importer/functions/split-into-chunks";
import {
  DEFAULT_MAX_BYTES_PER_REQUEST,
  DEFAULT_MAX_ROWS_PER_REQUEST,
} from "@/src/app/components/csv-importer/hooks/use-import";
import type { RawUserItem } from "@/src/app/api/user/import/progress/types";

const DEFAULTS = {
  maxRows: DEFAULT_MAX_ROWS_PER_REQUEST,
  maxBytes: DEFAULT_MAX_BYTES_PER_REQUEST,
};

/** An import id as long as the hook's (`Date.now()` base 36, 8 random). */
const IMPORT_ID = "mi3k2x9a-abcdefgh";

function requestBytes(chunk: ImportChunk<unknown>): number {
  return Buffer.byteLength(
    JSON.stringify({
      items: chunk.items,
      lines: chunk.lines,
      importId: IMPORT_ID,
    }),
    "utf8",
  );
}

/** A deterministic row generator: names of varied length and script. */
function rows(
  count: number,
  nameLength: (index: number) => number,
  firstLine = 2,
) {
  const words = ["Ada", "Zoë", "日本", "Ørsted", "😀", 'O\'Brien, "Jr"'];
  const items: RawUserItem[] = [];
  const lines: number[] = [];
  for (let index = 0; index < count; index += 1) {
    let name = "";
    while (name.length < nameLength(index))
      name += `${words[(index + name.length) % words.length]} `;
    items.push({
      name,
      email: `person${index}@example.com`,
      age: String(index % 120),
      role: index % 7 === 0 ? "admin" : "member",
      joinedOn: "2024-02-29",
      active: "yes",
    });
    // Lines skip now and then, as blank and multi-line records make them.
    lines.push(firstLine + index + Math.floor(index / 10));
  }
  return { items, lines };
}

/** Every chunk's rows and lines, joined, equal the input; no chunk is empty. */
function assertKeepsEveryRowInOrder(
  chunks: ImportChunk<RawUserItem>[],
  items: RawUserItem[],
  lines: number[],
) {
  for (const chunk of chunks) {
    assert.ok(chunk.items.length > 0, "no empty chunk");
    assert.equal(chunk.items.length, chunk.lines.length);
  }
  assert.deepEqual(
    chunks.flatMap((chunk) => chunk.items),
    items,
  );
  assert.deepEqual(
    chunks.flatMap((chunk) => chunk.lines),
    lines,
  );
}

describe("splitIntoChunks", () => {
  test("defaults are 2,000 rows and 1 MB per request", () => {
    assert.equal(DEFAULT_MAX_ROWS_PER_REQUEST, 2_000);
    assert.equal(DEFAULT_MAX_BYTES_PER_REQUEST, 1_000_000);
  });

  test("small rows are cut by count: 4,500 rows make 2,000 + 2,000 + 500", () => {
    const { items, lines } = rows(4_500, () => 10);
    const chunks = splitIntoChunks(items, lines, DEFAULTS);
    assert.deepEqual(
      chunks.map((chunk) => chunk.items.length),
      [2_000, 2_000, 500],
    );
    assertKeepsEveryRowInOrder(chunks, items, lines);
    // Lines travel with their rows, not renumbered per chunk.
    assert.equal(chunks[1].lines[0], lines[2_000]);
    assert.equal(chunks[2].lines.at(-1), lines.at(-1));
  });

  test("exactly 2,000 rows are one request", () => {
    const { items, lines } = rows(2_000, () => 10);
    assert.equal(splitIntoChunks(items, lines, DEFAULTS).length, 1);
  });

  test("large rows are cut by bytes: every request body stays within 1 MB", () => {
    // Over 1 KB of UTF-8 per row (multi-byte names): 2,000 rows need 3 requests.
    const { items, lines } = rows(2_000, (index) => 700 + (index % 50) * 8);
    const total = requestBytes({ items, lines });
    assert.ok(total > 2 * DEFAULTS.maxBytes, `${total} bytes`);
    const chunks = splitIntoChunks(items, lines, DEFAULTS);
    assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
    for (const chunk of chunks) {
      assert.ok(
        requestBytes(chunk) <= DEFAULTS.maxBytes,
        `a request of ${requestBytes(chunk)} bytes`,
      );
    }
    assertKeepsEveryRowInOrder(chunks, items, lines);
  });

  test("chunks are filled, not cut early: the next row would not have fit", () => {
    const { items, lines } = rows(3_000, (index) => 100 + (index % 97) * 5);
    const limits = { maxRows: 2_000, maxBytes: 100_000 };
    const chunks = splitIntoChunks(items, lines, limits);
    let start = 0;
    for (const chunk of chunks.slice(0, -1)) {
      start += chunk.items.length;
      const withNext = {
        items: [...chunk.items, items[start]],
        lines: [...chunk.lines, lines[start]],
      };
      assert.ok(
        requestBytes(withNext) > limits.maxBytes - 128 ||
          withNext.items.length > limits.maxRows,
        `chunk of ${chunk.items.length} rows had room for the next one`,
      );
    }
    assertKeepsEveryRowInOrder(chunks, items, lines);
  });

  test("the byte limit counts UTF-8 bytes, not UTF-16 units", () => {
    // 4-byte emoji are 2 string units each: counting units would put twice
    // as many bytes in a request as allowed.
    const { items, lines } = rows(400, () => 1_000);
    for (const item of items) item.name = "😀".repeat(500);
    const limits = { maxRows: 2_000, maxBytes: 50_000 };
    const chunks = splitIntoChunks(items, lines, limits);
    for (const chunk of chunks) {
      assert.ok(
        requestBytes(chunk) <= limits.maxBytes,
        `a request of ${requestBytes(chunk)} bytes`,
      );
    }
    assertKeepsEveryRowInOrder(chunks, items, lines);
  });

  test("a single row larger than the limit is sent alone, between its neighbours", () => {
    const { items, lines } = rows(5, () => 10, 40);
    items[2].name = "x".repeat(2_000_000);
    const chunks = splitIntoChunks(items, lines, DEFAULTS);
    assert.deepEqual(
      chunks.map((chunk) => chunk.lines),
      [[40, 41], [42], [43, 44]],
    );
    assert.equal(chunks[1].items[0].name.length, 2_000_000);
  });

  test("respects a smaller row limit", () => {
    const { items, lines } = rows(7, () => 5);
    const chunks = splitIntoChunks(items, lines, {
      maxRows: 3,
      maxBytes: DEFAULTS.maxBytes,
    });
    assert.deepEqual(
      chunks.map((chunk) => chunk.items.length),
      [3, 3, 1],
    );
    assertKeepsEveryRowInOrder(chunks, items, lines);
  });

  test("no rows, no requests", () => {
    assert.deepEqual(splitIntoChunks([], [], DEFAULTS), []);
  });
});
