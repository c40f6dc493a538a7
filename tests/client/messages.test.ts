/**
 * The importer's words: English and German say the same things (the same
 * keys all the way down, functions where functions are), a locale picks its
 * language by its language part (`de-AT` is German), anything else is
 * English, and every problem a file can have has a sentence.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CSV_IMPORTER_MESSAGES,
  ERROR_LOG_HEADERS,
  messagesFor,
  messagesForRequest,
} from "@/src/app/components/csv-importer/messages";
import { de } from "@/src/app/components/csv-importer/messages/de";
import { en } from "@/src/app/components/csv-importer/messages/en";
import { normalizeHeader } from "@/src/app/components/csv-importer/functions/map-columns";
import type { CsvFileProblem } from "@/src/app/components/csv-importer/types";
import { userColumns } from "@/src/app/api/user/import/progress/types";
import { courseColumns } from "@/src/app/api/course/import/progress/types";

/** Every key path of an object with the kind of value found there. */
function shape(value: unknown, path = ""): string[] {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return Object.keys(value)
      .sort()
      .flatMap((key) =>
        shape(
          (value as Record<string, unknown>)[key],
          path ? `${path}.${key}` : key,
        ),
      );
  }
  return [
    `${path}: ${typeof value === "function" ? `function/${value.length}` : typeof value}`,
  ];
}

/** Every string of an object, with its key path. */
function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) =>
      strings(inner, `${path}.${key}`),
    );
  }
  return [];
}

const PROBLEMS: CsvFileProblem[] = [
  { kind: "binary", format: "PNG" },
  { kind: "binary", format: "binary" },
  { kind: "empty" },
  { kind: "unreadable", detail: "The requested file could not be read" },
  { kind: "noHeader" },
  { kind: "noRows" },
  { kind: "quotes", line: 12345 },
  { kind: "missingColumns", labels: ["Name", "Email"] },
];

/** The language the importer answers a request in. */
function answeredIn(acceptLanguage?: string): string {
  const headers: Record<string, string> =
    acceptLanguage === undefined ? {} : { "Accept-Language": acceptLanguage };
  return messagesForRequest(new Request("http://localhost/", { headers }))
    .locale;
}

describe("messages", () => {
  test("a request's Accept-Language picks the best language spoken", () => {
    assert.equal(answeredIn(), "en");
    assert.equal(answeredIn("de"), "de");
    assert.equal(answeredIn("de-CH"), "de");
    assert.equal(answeredIn("fr-CH, fr;q=0.9, de;q=0.8, en;q=0.7"), "de");
    assert.equal(answeredIn("en;q=0.5, DE;q=0.9"), "de");
    assert.equal(answeredIn("de;q=0, en"), "en");
    assert.equal(answeredIn("de;q=abc"), "en");
    assert.equal(answeredIn("*"), "en");
    assert.equal(answeredIn("constructor, __proto__, toString"), "en");
    assert.equal(messagesFor("constructor").locale, "en");
  });

  test("the rules' messages name the column and the bound in each language", () => {
    assert.equal(
      en.rows.maxLength("Name", 1000),
      "Name must be at most 1000 characters",
    );
    assert.equal(
      en.rows.minLength("Code", 1),
      "Code must be at least 1 character",
    );
    assert.equal(
      de.rows.maxLength("Name", 1000),
      "Name darf höchstens 1.000 Zeichen lang sein",
    );
    assert.equal(
      de.rows.oneOf("Rolle", ["admin", "member"]),
      "Rolle muss einer dieser Werte sein: admin, member",
    );
    assert.equal(
      en.rows.exists(null),
      "A record with the same unique value already exists",
    );
    assert.equal(
      de.server.tooLong(null),
      "Ein Wert ist zu lang für die Datenbankspalte",
    );
  });

  test("a broken character and a failed write are said in the importer's words", () => {
    assert.equal(
      en.rows.brokenText("Name"),
      "Name contains a broken character (not valid Unicode)",
    );
    assert.equal(
      de.rows.brokenText(null),
      "Die Zeile enthält ein defektes Zeichen (kein gültiges Unicode)",
    );
    assert.equal(en.server.notSaved, "The database could not save this row");
    assert.equal(
      de.server.notSaved,
      "Die Datenbank konnte diese Zeile nicht speichern",
    );
    assert.equal(
      en.server.databaseUnavailable(3),
      "The database is unreachable; the import stopped after 3 attempts",
    );
    assert.equal(
      de.server.databaseLocked(60),
      "Die Datenbank war 60 Sekunden lang gesperrt; der Import wurde angehalten",
    );
  });

  test("English and German define the same keys, all the way down", () => {
    assert.deepEqual(shape(de), shape(en));
  });

  test("every language of CSV_IMPORTER_MESSAGES has the English keys", () => {
    assert.deepEqual(Object.keys(CSV_IMPORTER_MESSAGES).sort(), ["de", "en"]);
    for (const [language, messages] of Object.entries(CSV_IMPORTER_MESSAGES)) {
      assert.deepEqual(shape(messages), shape(en), language);
      assert.equal(messages.locale, language);
    }
  });

  test("no text is left empty, and German is not English", () => {
    for (const messages of [en, de]) {
      for (const [path, text] of strings(messages)) {
        assert.notEqual(text.trim(), "", `${messages.locale}${path}`);
      }
    }
    assert.notEqual(de.pick.title, en.pick.title);
    assert.notEqual(
      de.problem({ kind: "empty" }),
      en.problem({ kind: "empty" }),
    );
  });

  test("messagesFor picks the language of a locale; anything else is English", () => {
    assert.equal(messagesFor("de"), de);
    assert.equal(messagesFor("de-AT"), de);
    assert.equal(messagesFor("de-CH"), de);
    assert.equal(messagesFor("DE"), de);
    assert.equal(messagesFor("en"), en);
    assert.equal(messagesFor("en-GB"), en);
    for (const other of ["fr", "fr-FR", "xx", "", "deu", undefined]) {
      assert.equal(messagesFor(other), en, String(other));
    }
  });

  test("every file problem has a sentence in both languages", () => {
    for (const messages of [en, de]) {
      for (const problem of PROBLEMS) {
        const text = messages.problem(problem);
        assert.equal(
          typeof text,
          "string",
          `${messages.locale} ${problem.kind}`,
        );
        assert.ok(
          text.length > 10,
          `${messages.locale} ${problem.kind}: ${text}`,
        );
      }
      // Details the user needs are in the sentence.
      assert.match(messages.problem({ kind: "binary", format: "PNG" }), /PNG/);
      assert.match(
        messages.problem({ kind: "missingColumns", labels: ["Name", "Email"] }),
        /Name, Email/,
      );
      assert.match(
        messages.problem({ kind: "unreadable", detail: "disk gone" }),
        /disk gone/,
      );
    }
    // Numbers are written the way the language writes them.
    assert.match(en.problem({ kind: "quotes", line: 12345 }), /^Line 12,345\b/);
    assert.match(
      de.problem({ kind: "quotes", line: 12345 }),
      /^Zeile 12\.345\b/,
    );
  });

  test("every column of the demo features is described in both languages", () => {
    for (const messages of [en, de]) {
      for (const column of [...userColumns, ...courseColumns]) {
        const text = messages.columns.describe(column);
        assert.ok(
          text.length > 3,
          `${messages.locale} ${column.field}: ${text}`,
        );
      }
    }
    assert.match(en.columns.describe(userColumns[2]), /0.*150/); // age
    assert.match(en.columns.describe(userColumns[3]), /admin, member/); // role
  });

  test("the error log's own headers are no column of the demo features", () => {
    // Otherwise that column would be ignored silently on import.
    const silent = new Set(ERROR_LOG_HEADERS.map(normalizeHeader));
    assert.deepEqual(ERROR_LOG_HEADERS, [
      en.errorLog.line,
      en.errorLog.error,
      de.errorLog.line,
      de.errorLog.error,
    ]);
    for (const column of [...userColumns, ...courseColumns]) {
      for (const name of [column.field, column.label, ...column.headers]) {
        assert.ok(!silent.has(normalizeHeader(name)), name);
      }
    }
  });
});
