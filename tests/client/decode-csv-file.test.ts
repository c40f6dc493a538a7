/**
 * Reading the bytes of a picked file as text (DESIGN §3 CSV traps):
 * `decodeCsvFile` refuses what is not text by its bytes (not its name),
 * reads UTF-8 with or without BOM and UTF-16 LE/BE with BOM, falls back to
 * Windows-1252 when the bytes are not valid UTF-8 (what Excel on Windows
 * saves), and decodes as a stream so that a character cut by a chunk edge
 * survives.
 *
 * Node's `Blob.stream()` hands out the parts a Blob was built from as
 * separate reads (checked below), so a Blob built from several parts is a
 * file read in chunks cut exactly where the test says.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  decodeCsvFile,
  sniffEncoding,
} from "@/src/app/components/csv-importer/functions/decode-csv-file";
import { readCsvFile } from "@/src/app/components/csv-importer/functions/parse-csv";
import { random } from "./seeded-random";

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...values: number[]) => new Uint8Array(values);

/** The bytes of `text` in UTF-16, with its BOM. */
function utf16(text: string, order: "le" | "be"): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(order === "le" ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    const [first, second] =
      order === "le" ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff];
    out[2 + index * 2] = first;
    out[3 + index * 2] = second;
  }
  return out;
}

/** The characters Windows-1252 puts at 0x80–0x9F (WHATWG index; the rest
 * of 0xA0–0xFF is Latin-1). */
const WINDOWS_1252_HIGH =
  "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/** Windows-1252 code of every character it has. */
// prettier-ignore
const WINDOWS_1252 = new Map<string, number>([
  ["\t", 0x09],
  ["\n", 0x0a],
  ["\r", 0x0d],
  ...Array.from({ length: 0x5f }, (_, i) => [String.fromCharCode(0x20 + i), 0x20 + i] as const),
  ...Array.from(WINDOWS_1252_HIGH, (char, i) => [char, 0x80 + i] as const),
  ...Array.from({ length: 0x60 }, (_, i) => [String.fromCharCode(0xa0 + i), 0xa0 + i] as const),
]);

/**
 * Node 20.18.3+ decodes `windows-1252` as Latin-1 (0x80 → U+0080, not €;
 * nodejs/node#56542, #60888); browsers follow the WHATWG table. Tests of
 * the 0x80–0x9F characters only mean something where the decoder is right.
 */
const NODE_WINDOWS_1252_BUG =
  new TextDecoder("windows-1252").decode(new Uint8Array([0x80])) !== "€"
    ? "this Node decodes windows-1252 0x80-0x9F as Latin-1 (nodejs/node#56542)"
    : false;

function windows1252(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Array.from(text), (char) => {
    const code = WINDOWS_1252.get(char);
    assert.ok(code !== undefined, `${char} is not in Windows-1252`);
    return code;
  });
}

/** `data` cut into reads at `offsets` (a Blob of several parts). */
function cutAt(data: Uint8Array, offsets: readonly number[]): Blob {
  const edges = [0, ...offsets, data.length];
  const parts = edges
    .slice(1)
    .map((end, index) => data.slice(edges[index], end))
    .filter((part) => part.length > 0);
  return new Blob(parts);
}

/** Readable characters of every UTF-8 length, and CSV's own ones. */
// prettier-ignore
const UNICODE_PIECES = [
  "a", "Z", "7", " ", ",", ";", '"', "\r\n", "\n", "\t",
  "é", "ü", "Æ", "ø", "ß", "€", "–", "…", "Ω", "Ж",
  "日本", "花子", "한", "ह", "😀", "🇩🇪", "𝄞", "\u200B", "e\u0301",
] as const;

describe("decodeCsvFile reads text in the encoding it was saved in", () => {
  const names =
    "Name,City\r\nMüller,Köln\r\nCrème,Besançon\r\nÆrø,Ærøskøbing\r\n";

  test("UTF-8 without BOM", async () => {
    assert.deepEqual(await decodeCsvFile(new Blob([utf8(names)])), {
      ok: true,
      text: names,
      encoding: "utf-8",
    });
  });

  test("UTF-8 with BOM: the BOM is not part of the text", async () => {
    const file = new Blob([bytes(0xef, 0xbb, 0xbf), utf8(names)]);
    assert.deepEqual(await decodeCsvFile(file), {
      ok: true,
      text: names,
      encoding: "utf-8",
    });
  });

  test("UTF-16 LE with BOM (Excel's 'Unicode text')", async () => {
    const text = "Name\tCity\r\nMüller\tKöln\r\n日本 花子\t東京 😀\r\n";
    assert.deepEqual(await decodeCsvFile(new Blob([utf16(text, "le")])), {
      ok: true,
      text,
      encoding: "utf-16le",
    });
  });

  test("UTF-16 BE with BOM", async () => {
    const text = "Name,City\nÆrø,Ærøskøbing\n𝄞,\n";
    assert.deepEqual(await decodeCsvFile(new Blob([utf16(text, "be")])), {
      ok: true,
      text,
      encoding: "utf-16be",
    });
  });

  test("Windows-1252 bytes: Müller, Crème and Ærø come back intact", async () => {
    const file = new Blob([windows1252(names)]);
    // ü is the single byte 0xFC there: not UTF-8, so read as Windows-1252.
    assert.equal(windows1252("Müller")[1], 0xfc);
    assert.deepEqual(await decodeCsvFile(file), {
      ok: true,
      text: names,
      encoding: "windows-1252",
    });
  });

  test(
    "Windows-1252 punctuation (€, curly quotes, dashes) as well",
    { skip: NODE_WINDOWS_1252_BUG },
    async () => {
      const text = "Item;Price\n„Bücher“ – Crème brûlée;12 €\n";
      assert.deepEqual(await decodeCsvFile(new Blob([windows1252(text)])), {
        ok: true,
        text,
        encoding: "windows-1252",
      });
    },
  );

  test("plain ASCII is UTF-8", async () => {
    const text = "name,email\nAda,ada@example.com\n";
    const decoded = await decodeCsvFile(new Blob([text]));
    assert.deepEqual(decoded, { ok: true, text, encoding: "utf-8" });
  });

  test("a few control characters (form feed, escape) do not make text binary", async () => {
    const text = `name,note\n${"Ada,see page 2\f\n".repeat(5)}Bob,\u001b[1m\n`;
    const decoded = await decodeCsvFile(new Blob([text]));
    assert.deepEqual(decoded, { ok: true, text, encoding: "utf-8" });
  });
});

describe("decodeCsvFile refuses what is not a text file", () => {
  const cases: [string, Uint8Array<ArrayBuffer>, string][] = [
    [
      "a PNG image",
      bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d),
      "PNG",
    ],
    [
      "a JPEG photo",
      bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46),
      "JPEG",
    ],
    ["a GIF image", utf8("GIF89a\u0001\u0000\u0001\u0000"), "GIF"],
    ["a PDF", utf8("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), "PDF"],
    [
      // What an .xlsx (or any .zip) starts with: a local file header.
      "an Excel workbook (ZIP)",
      bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0, 0x08, 0, 0, 0),
      "ZIP/XLSX",
    ],
    [
      "a gzipped CSV",
      new Uint8Array(gzipSync("name,email\nAda,a@b.c\n")),
      "GZIP",
    ],
    [
      "an old .xls workbook",
      bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0),
      "XLS",
    ],
  ];
  for (const [name, data, kind] of cases) {
    test(`${name} is refused as ${kind}`, async () => {
      assert.deepEqual(await decodeCsvFile(new Blob([data])), {
        ok: false,
        reason: "binary",
        kind,
      });
    });
  }

  test("an empty file is refused as empty", async () => {
    assert.deepEqual(await decodeCsvFile(new Blob([])), {
      ok: false,
      reason: "empty",
    });
  });

  test("text with a NUL byte is refused as binary", async () => {
    const data = utf8("name,email\nAda,ada@example.com\u0000\n");
    assert.deepEqual(await decodeCsvFile(new Blob([data])), {
      ok: false,
      reason: "binary",
      kind: "binary",
    });
  });

  test("bytes that are mostly control characters are refused as binary", async () => {
    // No NUL at all, but one byte in five a control character.
    const data = Uint8Array.from({ length: 500 }, (_, index) =>
      index % 5 === 0 ? 0x01 + (index % 8) : 0x41 + (index % 26),
    );
    assert.deepEqual(await decodeCsvFile(new Blob([data])), {
      ok: false,
      reason: "binary",
      kind: "binary",
    });
  });

  test("UTF-16 without a BOM (NUL in every other byte) is refused as binary", async () => {
    // Only UTF-16 with a BOM is read; without one its NULs look binary.
    const data = utf16("name,email\n", "le").subarray(2);
    assert.deepEqual(await decodeCsvFile(new Blob([data])), {
      ok: false,
      reason: "binary",
      kind: "binary",
    });
  });

  test("random binary with NULs is refused, whatever the bytes (seeded, 300 files)", async () => {
    const rng = random(0xc5f1);
    for (let run = 0; run < 300; run += 1) {
      const data = Uint8Array.from({ length: 1 + rng.int(3000) }, () =>
        rng.int(256),
      );
      data[rng.int(data.length)] = 0;
      // Not a BOM: those announce text.
      if ([0xef, 0xfe, 0xff].includes(data[0])) {
        data[0] = 0x00;
      }
      const decoded = await decodeCsvFile(new Blob([data]));
      assert.equal(decoded.ok, false, `run ${run}`);
      assert.equal(decoded.ok ? "" : decoded.reason, "binary", `run ${run}`);
    }
  });

  test("a file that cannot be read is reported with the browser's reason", async () => {
    class VanishedFile extends Blob {
      override stream(): ReturnType<Blob["stream"]> {
        return new ReadableStream({
          start(controller) {
            controller.error(
              new DOMException(
                "The requested file could not be read",
                "NotReadableError",
              ),
            );
          },
        });
      }
    }
    assert.deepEqual(await decodeCsvFile(new VanishedFile(["name\nAda\n"])), {
      ok: false,
      reason: "unreadable",
      detail: "The requested file could not be read",
    });
  });
});

describe("sniffEncoding looks at the first bytes only", () => {
  test("a BOM makes the encoding certain", () => {
    assert.deepEqual(sniffEncoding(bytes(0xef, 0xbb, 0xbf, 0x41)), {
      encoding: "utf-8",
      certain: true,
    });
    assert.deepEqual(sniffEncoding(bytes(0xff, 0xfe, 0x41, 0)), {
      encoding: "utf-16le",
      certain: true,
    });
    assert.deepEqual(sniffEncoding(bytes(0xfe, 0xff, 0, 0x41)), {
      encoding: "utf-16be",
      certain: true,
    });
  });

  test("text without a BOM is probably UTF-8", () => {
    assert.deepEqual(sniffEncoding(utf8("name,email\r\n")), {
      encoding: "utf-8",
      certain: false,
    });
    assert.deepEqual(sniffEncoding(windows1252("Müller\n")), {
      encoding: "utf-8",
      certain: false,
    });
  });

  test("a signature names the kind of file", () => {
    assert.deepEqual(sniffEncoding(bytes(0x89, 0x50, 0x4e, 0x47)), {
      binary: "PNG",
    });
    assert.deepEqual(sniffEncoding(bytes(0x50, 0x4b, 0x03, 0x04)), {
      binary: "ZIP/XLSX",
    });
  });
});

describe("decodeCsvFile decodes as a stream: characters cut by a read survive", () => {
  test("Node hands out a Blob's parts as separate reads (guards the tests below)", async () => {
    const reader = cutAt(utf8("abcdef"), [1, 3]).stream().getReader();
    const reads: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads.push(value.length);
    }
    assert.deepEqual(reads, [1, 2, 3]);
  });

  test("a UTF-8 file cut at every byte offset", async () => {
    const text = "name,city\nZoë Ørsted,Zürich\n日本 花子,東京\n😀 Smile,🇩🇪\n";
    const data = utf8(text);
    for (let offset = 1; offset < data.length; offset += 1) {
      assert.deepEqual(
        await decodeCsvFile(cutAt(data, [offset])),
        { ok: true, text, encoding: "utf-8" },
        `cut at byte ${offset}`,
      );
    }
  });

  test("a UTF-8 file read one byte at a time, BOM split too", async () => {
    const text = "name\n😀🇩🇪é日本\n";
    const data = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
    const everyByte = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
    assert.deepEqual(await decodeCsvFile(cutAt(data, everyByte)), {
      ok: true,
      text,
      encoding: "utf-8",
    });
  });

  test("a UTF-16 file cut inside a code unit and inside a surrogate pair", async () => {
    const text = "name\r\n😀 Ærø\r\n𝄞日本\r\n";
    for (const order of ["le", "be"] as const) {
      const data = utf16(text, order);
      for (let offset = 1; offset < data.length; offset += 1) {
        assert.deepEqual(
          await decodeCsvFile(cutAt(data, [offset])),
          { ok: true, text, encoding: `utf-16${order}` },
          `${order}, cut at byte ${offset}`,
        );
      }
    }
  });

  test("a Windows-1252 file whose non-UTF-8 byte comes after the first read", async () => {
    // The UTF-8 attempt has read (and decoded) several chunks before it
    // meets ü: the whole file is then read again as Windows-1252.
    const text = `name,city\n${"Ada,London\n".repeat(50)}Müller,Köln\n`;
    const data = windows1252(text);
    assert.deepEqual(await decodeCsvFile(cutAt(data, [16, 300, 551])), {
      ok: true,
      text,
      encoding: "windows-1252",
    });
  });

  test("random UTF-8 text in random reads comes back exactly (seeded, 400 files)", async () => {
    const rng = random(20240229);
    for (let run = 0; run < 400; run += 1) {
      let text = run % 2 === 0 ? "Name,Note\r\n" : "\uFEFFName;Note\n";
      const length = 1 + rng.int(60);
      for (let index = 0; index < length; index += 1) {
        text += rng.pick(UNICODE_PIECES);
      }
      const data = utf8(text);
      const offsets = Array.from({ length: rng.int(6) }, () =>
        rng.int(data.length),
      ).sort((a, b) => a - b);
      assert.deepEqual(
        await decodeCsvFile(cutAt(data, offsets)),
        { ok: true, text: text.replace(/^\uFEFF/, ""), encoding: "utf-8" },
        `run ${run}: ${JSON.stringify(text)} cut at ${offsets.join(",")}`,
      );
    }
  });

  test("random Windows-1252 text comes back exactly (seeded, 300 files)", async () => {
    // prettier-ignore
    const latin = ["ä", "ö", "ü", "Ä", "ß", "é", "è", "ç", "Æ", "ø", "å", "ñ", "£", "°", "µ", "«", "»", "¿", "\u00A0"];
    const ascii = ["a", "B", "z", " ", ",", ";", "\n", "1"];
    const rng = random(1252);
    for (let run = 0; run < 300; run += 1) {
      // A letter outside ASCII followed by an ASCII one is never UTF-8.
      let text = "Name,City\n";
      const length = 1 + rng.int(40);
      for (let index = 0; index < length; index += 1) {
        text += rng.next() < 0.4 ? rng.pick(latin) : "";
        text += rng.pick(ascii);
      }
      const data = windows1252(text);
      assert.deepEqual(
        await decodeCsvFile(cutAt(data, [rng.int(data.length)])),
        {
          ok: true,
          text,
          encoding: text.match(/[^\x00-\x7f]/) ? "windows-1252" : "utf-8",
        },
        `run ${run}: ${JSON.stringify(text)}`,
      );
    }
  });
});

describe("readCsvFile turns what decodeCsvFile says into a file problem", () => {
  test("a PNG renamed to .csv is reported as a PNG", async () => {
    const file = new File(
      [bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
      "users.csv",
      { type: "text/csv" },
    );
    assert.deepEqual(await readCsvFile(file), {
      ok: false,
      problem: { kind: "binary", format: "PNG" },
    });
  });

  test("an empty file, and one with only blank lines, are empty", async () => {
    for (const content of ["", "\r\n\r\n", " \n\t\n"]) {
      assert.deepEqual(
        await readCsvFile(new File([content], "users.csv")),
        { ok: false, problem: { kind: "empty" } },
        JSON.stringify(content),
      );
    }
  });

  test("a Windows-1252 file is read with its encoding noted", async () => {
    const file = new File(
      [windows1252("Name;City;Age\r\nMüller;Köln;42\r\n")],
      "export.csv",
    );
    assert.deepEqual(await readCsvFile(file), {
      ok: true,
      data: {
        fileName: "export.csv",
        encoding: "windows-1252",
        delimiter: ";",
        headers: ["Name", "City", "Age"],
        records: [["Müller", "Köln", "42"]],
        lines: [2],
        blankLines: 1,
      },
    });
  });

  test("a UTF-16 LE tab-separated file (Excel 'Unicode text') is read", async () => {
    const text = "Name\tEmail\tCity\r\nZoë\tzoe@example.com\t東京\r\n";
    const outcome = await readCsvFile(new File([utf16(text, "le")], "u.txt"));
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.data.encoding, "utf-16le");
    assert.equal(outcome.data.delimiter, "\t");
    assert.deepEqual(outcome.data.records, [
      ["Zoë", "zoe@example.com", "東京"],
    ]);
  });
});
