/**
 * Matching the header of a file to a feature's columns, and turning its
 * records into rows (DESIGN §3 CSV traps): names match whatever their case,
 * spaces and punctuation, aliases too; a header that only looks alike is
 * proposed but not trusted (the mapping step is shown); a choice the user
 * made for the same header is remembered in localStorage and wins; every
 * header goes to one field at most. `applyMapping` warns about ragged
 * records and ignored columns, ignores the importer's own error-log columns
 * silently, and gives an error log's neutralised formulas (`'=1+1`) back.
 *
 * The columns are mostly the generated user feature's own `userColumns`:
 * name (required), email (required), age, role, joinedOn ("Joined on",
 * alias "Joined On"), active.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import {
  applyMapping,
  headerFingerprint,
  loadRememberedMapping,
  matchColumns,
  needsMapping,
  normalizeHeader,
  rememberMapping,
  similarity,
  unmappedRequired,
} from "@/src/app/components/csv-importer/functions/map-columns";
import { parseCsvText } from "@/src/app/components/csv-importer/functions/parse-csv";
import { ERROR_LOG_HEADERS } from "@/src/app/components/csv-importer/messages";
import type {
  CsvColumn,
  CsvTable,
} from "@/src/app/components/csv-importer/types";
import {
  userColumns,
  type RawUserItem,
} from "@/src/app/api/user/import/progress/types";
import { random } from "./seeded-random";

type UserField = keyof RawUserItem;

/** The header positions picked, without the fields left out. */
function picked(
  headers: readonly string[],
  remembered = null as Partial<Record<UserField, string>> | null,
) {
  const { mapping } = matchColumns(headers, userColumns, remembered);
  return Object.fromEntries(
    Object.entries(mapping).filter(([, position]) => position !== null),
  );
}

/** Whether a file with these headers shows the mapping step. */
function asksToMap(
  headers: readonly string[],
  remembered = null as Partial<Record<UserField, string>> | null,
) {
  const match = matchColumns(headers, userColumns, remembered);
  return needsMapping(match, userColumns, headers, ERROR_LOG_HEADERS);
}

function tableOf(text: string): CsvTable {
  const outcome = parseCsvText(text, "users.csv");
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.data;
}

/** Reads a file the way the file input does, without the mapping step. */
function importRows(text: string) {
  const table = tableOf(text);
  const match = matchColumns(table.headers, userColumns);
  return applyMapping(table, match.mapping, userColumns, ERROR_LOG_HEADERS);
}

describe("normalizeHeader and similarity", () => {
  test("normalizeHeader drops the BOM, case, spaces, underscores, dashes and dots", () => {
    for (const header of [
      "\uFEFF  Joined On ",
      "joined_on",
      "JOINED-ON",
      "joined.on",
      "joinedOn",
      "Joined\tOn",
    ]) {
      assert.equal(normalizeHeader(header), "joinedon", JSON.stringify(header));
    }
    assert.notEqual(normalizeHeader("joined"), normalizeHeader("joined on"));
    // Other punctuation is kept: "Age (years)" is not "Age".
    assert.equal(normalizeHeader("Age (years)"), "age(years)");
  });

  test("similarity is 1 for the same name, 0.9 for a word of it, 0 for nothing in common", () => {
    assert.equal(similarity("E-mail", "email"), 1);
    assert.equal(similarity("Name", "Email"), 0);
    assert.equal(similarity("A", "B"), 0); // too short to compare
    assert.equal(similarity("Mail", "Email"), 6 / 7);
    assert.equal(similarity("Email address", "Email"), 0.9); // a word of it
    assert.equal(similarity("Full name", "Name"), 0.9);
  });

  test("similarity is symmetric, between 0 and 1, and 1 for equal names (seeded, 2,000 pairs)", () => {
    const letters = "aeilmnorst _-.";
    const rng = random(42);
    const word = () =>
      Array.from({ length: rng.int(9) }, () => rng.pick([...letters])).join("");
    for (let run = 0; run < 2_000; run += 1) {
      const [a, b] = [word(), word()];
      const score = similarity(a, b);
      assert.equal(score, similarity(b, a), `${a} / ${b}`);
      assert.ok(score >= 0 && score <= 1, `${a} / ${b}: ${score}`);
      if (normalizeHeader(a) === normalizeHeader(b)) {
        assert.equal(score, 1, `${a} / ${b}`);
      }
    }
  });
});

describe("matchColumns by name", () => {
  test("the feature's own labels, in any order", () => {
    const headers = ["Active", "Joined on", "Role", "Age", "Email", "Name"];
    const match = matchColumns(headers, userColumns);
    assert.deepEqual(match.mapping, {
      name: 5,
      email: 4,
      age: 3,
      role: 2,
      joinedOn: 1,
      active: 0,
    });
    assert.deepEqual([...match.certain].sort(), [
      "active",
      "age",
      "email",
      "joinedOn",
      "name",
      "role",
    ]);
    assert.equal(asksToMap(headers), false);
  });

  test("case, spaces and punctuation do not matter", () => {
    assert.deepEqual(
      picked([
        "  NAME ",
        "e-mail",
        "AGE",
        "_role_",
        "joined_on",
        "A.C.T.I.V.E",
      ]),
      { name: 0, email: 1, age: 2, role: 3, joinedOn: 4, active: 5 },
    );
    assert.equal(
      asksToMap([
        "  NAME ",
        "e-mail",
        "AGE",
        "_role_",
        "joined_on",
        "A.C.T.I.V.E",
      ]),
      false,
    );
  });

  test("the field name and every alias are names too", () => {
    assert.deepEqual(picked(["joinedOn"]), { joinedOn: 0 });
    assert.deepEqual(picked(["Joined On"]), { joinedOn: 0 });
    const columns: CsvColumn<"email" | "startedAt">[] = [
      {
        field: "email",
        label: "Email",
        headers: ["Email", "E-mail address"],
        required: true,
        type: "email",
        example: "ada@example.com",
      },
      {
        field: "startedAt",
        label: "Started at",
        headers: ["Started at", "Joined On"],
        required: false,
        type: "date",
        example: "2024-01-31",
      },
    ];
    const headers = [" e-mail ADDRESS ", "JOINED ON"];
    const match = matchColumns(headers, columns);
    assert.deepEqual(match.mapping, { email: 0, startedAt: 1 });
    assert.equal(needsMapping(match, columns, headers), false);
  });

  test("a header carrying the BOM still matches", () => {
    assert.deepEqual(picked(["\uFEFFName", "Email"]), { name: 0, email: 1 });
  });

  test("every header goes to one field at most, even when it is named twice", () => {
    const table = tableOf(
      "Email,email,Name\na@example.com,b@example.com,Ada\n",
    );
    const match = matchColumns(table.headers, userColumns);
    assert.equal(match.mapping.email, 0);
    const data = applyMapping(
      table,
      match.mapping,
      userColumns,
      ERROR_LOG_HEADERS,
    );
    assert.equal(data.items[0].email, "a@example.com");
    assert.deepEqual(data.warnings.ignoredColumns, ["email"]);
  });

  test("a name beats a look-alike: 'Role' goes to role, not to a 'roles' field", () => {
    const columns: CsvColumn<"role" | "roles">[] = [
      {
        field: "roles",
        label: "Roles",
        headers: ["Roles"],
        required: false,
        type: "string",
        example: "a",
      },
      {
        field: "role",
        label: "Role",
        headers: ["Role"],
        required: false,
        type: "string",
        example: "a",
      },
    ];
    const match = matchColumns(["Role"], columns);
    assert.deepEqual(match.mapping, { roles: null, role: 0 });
  });

  test("decorated labels in a shuffled header, with other columns, all match (seeded, 500 headers)", () => {
    const rng = random(2024);
    const noise = ["Notes", "Department", "Phone", "Id", "Created at", "", "x"];
    for (let run = 0; run < 500; run += 1) {
      const decorated = userColumns.map((column) => {
        const name = rng.pick([column.field, column.label, ...column.headers]);
        let header = "";
        for (const char of name) {
          header += rng.next() < 0.5 ? char.toUpperCase() : char.toLowerCase();
          if (rng.next() < 0.15) header += rng.pick([" ", "_", "-", ".", "  "]);
        }
        return {
          field: column.field,
          header: `${rng.pick(["", " ", "\t"])}${header}`,
        };
      });
      const extra = Array.from({ length: rng.int(3) }, () => ({
        field: null,
        header: rng.pick(noise),
      }));
      const order = rng.shuffle([...decorated, ...extra]);
      const headers = order.map((entry) => entry.header);
      const match = matchColumns(headers, userColumns);
      const where = `run ${run}: ${JSON.stringify(headers)}`;
      for (const { field } of decorated) {
        assert.equal(
          match.mapping[field],
          order.findIndex((entry) => entry.field === field),
          where,
        );
        assert.ok(match.certain.has(field), where);
      }
      assert.equal(
        needsMapping(match, userColumns, headers, ERROR_LOG_HEADERS),
        false,
        where,
      );
    }
  });
});

describe("matchColumns by similarity (proposed, never trusted)", () => {
  test("near names are proposed, and the mapping step is shown to confirm them", () => {
    for (const [header, field] of [
      ["Mail", "email"],
      ["Emails", "email"],
      ["Roles", "role"],
      ["Joined", "joinedOn"],
      ["Is active", "active"],
    ] as const) {
      const headers =
        field === "email" ? ["Name", header] : ["Name", "Email", header];
      const match = matchColumns(headers, userColumns);
      assert.equal(match.mapping[field], headers.indexOf(header), header);
      assert.equal(match.certain.has(field), false, header);
      assert.equal(needsMapping(match, userColumns, headers), true, header);
    }
  });

  test("headers that share little with any name are not proposed", () => {
    for (const header of ["Username", "Date joined", "Emial", "Notes"]) {
      assert.deepEqual(picked([header]), {}, header);
    }
  });

  test("a header with the name as one of its words is proposed", () => {
    assert.deepEqual(picked(["Full name"]), { name: 0 });
    assert.deepEqual(picked(["Age (years)"]), { age: 0 });
  });

  test("'E-mail address' / 'Email address' are proposed for email", () => {
    for (const header of ["E-mail address", "Email address", "Email-Adresse"]) {
      assert.equal(
        matchColumns(["Name", header], userColumns).mapping.email,
        1,
        header,
      );
    }
  });

  test("a look-alike is only a proposal: 'Page' is offered for age, but asked about", () => {
    const headers = ["Name", "Email", "Page"];
    assert.deepEqual(picked(headers), { name: 0, email: 1, age: 2 });
    assert.equal(asksToMap(headers), true);
  });

  test("on a tie between two look-alikes, the first header is proposed", () => {
    assert.equal(similarity("Ages", "age"), similarity("Page", "age"));
    assert.equal(matchColumns(["Ages", "Page"], userColumns).mapping.age, 0);
  });
});

describe("needsMapping", () => {
  test("false when every column of the file is matched by name", () => {
    assert.equal(asksToMap(["Name", "Email"]), false);
    assert.equal(
      asksToMap(["name", "email", "age", "role", "joined on", "active"]),
      false,
    );
    // A file that names every field may carry extra columns: they are ignored (with a warning).
    assert.equal(
      asksToMap([
        "Name",
        "Email",
        "Age",
        "Role",
        "Joined on",
        "Active",
        "Notes",
      ]),
      false,
    );
    // An empty header cell is nothing to map.
    assert.equal(asksToMap(["Name", "Email", ""]), false);
  });

  test("true when a required column is missing", () => {
    assert.equal(asksToMap(["Name", "Age"]), true);
    assert.equal(asksToMap([]), true);
  });

  test("true when an unmatched field could take one of the other columns", () => {
    // age, role, ... have no column and "Notes" might be one of them.
    assert.equal(asksToMap(["Name", "Email", "Notes"]), true);
  });

  test("true when a field was only matched by similarity", () => {
    assert.equal(asksToMap(["Name", "Mail"]), true);
  });

  test("unmappedRequired lists the required columns without a header", () => {
    const { mapping } = matchColumns(["Age"], userColumns);
    assert.deepEqual(
      unmappedRequired(mapping, userColumns).map((column) => column.label),
      ["Name", "Email"],
    );
  });
});

describe("the importer's own error-log columns", () => {
  test("ERROR_LOG_HEADERS holds the Line and Error headers in English and German", () => {
    for (const header of ["Line", "Error", "Zeile", "Fehler"]) {
      assert.ok(ERROR_LOG_HEADERS.includes(header), header);
    }
  });

  for (const [language, line, error] of [
    ["English", "Line", "Error"],
    ["German", "Zeile", "Fehler"],
  ] as const) {
    test(`${language} ${line}/${error} columns are ignored silently`, () => {
      const headers = [
        line,
        "Name",
        "Email",
        "Age",
        "Role",
        "Joined on",
        "Active",
        error,
      ];
      assert.equal(asksToMap(headers), false);
      const data = importRows(
        `${headers.join(",")}\n7,Ada,ada@example.com,,,,,Age is required\n`,
      );
      assert.deepEqual(data.warnings.ignoredColumns, []);
      assert.deepEqual(data.items, [
        {
          name: "Ada",
          email: "ada@example.com",
          age: "",
          role: "",
          joinedOn: "",
          active: "",
        },
      ]);
    });
  }

  test("without the silent list they would count as columns to map and ignore", () => {
    const headers = ["Line", "Name", "Email", "Error"];
    const match = matchColumns(headers, userColumns);
    assert.equal(needsMapping(match, userColumns, headers), true);
    const table = tableOf(`${headers.join(",")}\n2,Ada,a@example.com,x\n`);
    const data = applyMapping(table, match.mapping, userColumns);
    assert.deepEqual(data.warnings.ignoredColumns, ["Line", "Error"]);
  });
});

describe("applyMapping", () => {
  test("rows keyed by field, cells of unmapped fields empty, lines kept", () => {
    const data = importRows(
      "Email,Name,Notes\r\nada@example.com,Ada,hello\r\n\r\nbob@example.com,Bob,\r\n",
    );
    assert.equal(data.fileName, "users.csv");
    assert.equal(data.encoding, "utf-8");
    assert.equal(data.delimiter, ",");
    assert.deepEqual(data.items, [
      {
        name: "Ada",
        email: "ada@example.com",
        age: "",
        role: "",
        joinedOn: "",
        active: "",
      },
      {
        name: "Bob",
        email: "bob@example.com",
        age: "",
        role: "",
        joinedOn: "",
        active: "",
      },
    ]);
    assert.deepEqual(data.lines, [2, 4]);
    assert.equal(data.blankLines, 2);
  });

  test("warns about records with more or fewer cells than the header", () => {
    const data = importRows(
      [
        "Name,Email,Age",
        "Ada,ada@example.com,36",
        "Bob,bob@example.com", // one cell short: line 3
        '"Cy\nCyrus",cy@example.com,40', // two text lines, one record: line 4
        "Di,di@example.com,41,extra,cells", // line 5
        "",
        "Ed,ed@example.com,42",
      ].join("\n"),
    );
    assert.deepEqual(data.warnings, {
      raggedLines: [
        { line: 3, cells: 2 },
        { line: 5, cells: 5 },
      ],
      expectedCells: 3,
      ignoredColumns: [],
    });
    // The short record's missing cell is empty; the extra cells are dropped.
    assert.equal(data.items[1].age, "");
    assert.equal(data.items[3].age, "41");
    assert.deepEqual(data.lines, [2, 3, 4, 5, 7]);
  });

  test("warns about columns no field takes, as written in the header", () => {
    const data = importRows(
      "Name, Notes ,Email,Department\nAda,hi,ada@example.com,R&D\n",
    );
    assert.deepEqual(data.warnings.ignoredColumns, ["Notes", "Department"]);
    assert.deepEqual(data.warnings.raggedLines, []);
  });

  test("a mapping chosen by hand is applied as chosen", () => {
    const table = tableOf(
      "Full name,Mail address,Years\nAda,ada@example.com,36\n",
    );
    const mapping = {
      name: 0,
      email: 1,
      age: 2,
      role: null,
      joinedOn: null,
      active: null,
    };
    const data = applyMapping(table, mapping, userColumns, ERROR_LOG_HEADERS);
    assert.deepEqual(data.items[0], {
      name: "Ada",
      email: "ada@example.com",
      age: "36",
      role: "",
      joinedOn: "",
      active: "",
    });
    assert.deepEqual(data.warnings.ignoredColumns, []);
  });

  test("an error log's neutralised formula cells come back as they were", () => {
    const data = importRows(
      [
        '"Line","Name","Email","Age","Error"',
        `"2","'=1+1","'+ada@example.com","'-5","Age must be at least 0"`, // a number is never neutralised: its ' stays
        `"3","'@SUM(A1)","'\u200B=HYPERLINK(""x"")","","x"`,
        `"4","'\uFF1D1","' =2","","x"`,
      ].join("\r\n"),
    );
    assert.deepEqual(
      data.items.map(({ name, email, age }) => [name, email, age]),
      [
        ["=1+1", "+ada@example.com", "'-5"],
        ["@SUM(A1)", '\u200B=HYPERLINK("x")', ""],
        ["\uFF1D1", " =2", ""],
      ],
    );
  });

  test("an error log's other cells starting with ' keep it", () => {
    const data = importRows(
      `"Line","Name","Email","Error"\r\n"2","'t Hooft","o'neil@example.com","x"\r\n"3","'123","'","x"\r\n`,
    );
    assert.deepEqual(
      data.items.map(({ name, email }) => [name, email]),
      [
        ["'t Hooft", "o'neil@example.com"],
        ["'123", "'"],
      ],
    );
  });

  test("in a file that is not an error log, '=1+1 stays as written", () => {
    const data = importRows(`Name,Email\n'=1+1,'+ada@example.com\n`);
    assert.deepEqual(data.items[0], {
      name: "'=1+1",
      email: "'+ada@example.com",
      age: "",
      role: "",
      joinedOn: "",
      active: "",
    });
  });
});

describe("headerFingerprint", () => {
  test("the same columns in any order, case or spelling share a fingerprint", () => {
    const fingerprint = headerFingerprint(["Full name", "Mail", "Notes"]);
    assert.equal(
      headerFingerprint(["notes", "MAIL", "full_name"]),
      fingerprint,
    );
    assert.equal(
      headerFingerprint(["Mail", "Notes", "Full name", "mail"]),
      fingerprint,
    );
    assert.notEqual(headerFingerprint(["Full name", "Mail"]), fingerprint);
  });
});

describe("remembered mappings (localStorage)", () => {
  /** A minimal in-memory `window.localStorage`. */
  class MemoryStorage {
    readonly entries = new Map<string, string>();
    failing: "get" | "set" | null = null;
    getItem(key: string): string | null {
      if (this.failing === "get")
        throw new DOMException("denied", "SecurityError");
      return this.entries.get(key) ?? null;
    }
    setItem(key: string, value: string): void {
      if (this.failing === "set")
        throw new DOMException("full", "QuotaExceededError");
      this.entries.set(key, String(value));
    }
  }

  const globals = globalThis as { window?: unknown };
  let storage: MemoryStorage;

  beforeEach(() => {
    storage = new MemoryStorage();
    globals.window = { localStorage: storage };
  });
  afterEach(() => {
    delete globals.window;
  });

  const SCOPE = "/api/user/import/progress";
  const HEADERS = ["Full name", "Mail address", "Notes"];

  test("nothing remembered yet: null", () => {
    assert.equal(loadRememberedMapping(SCOPE, HEADERS), null);
  });

  test("a confirmed mapping comes back, by header name, for the same columns in any order", () => {
    rememberMapping(SCOPE, HEADERS, {
      name: 0,
      email: 1,
      age: null,
      role: null,
      joinedOn: null,
      active: null,
    });
    // Fields left without a column are remembered as such (null).
    const expected = {
      name: "Full name",
      email: "Mail address",
      age: null,
      role: null,
      joinedOn: null,
      active: null,
    };
    assert.deepEqual(loadRememberedMapping(SCOPE, HEADERS), expected);
    assert.deepEqual(
      loadRememberedMapping(SCOPE, ["notes", "MAIL ADDRESS", "full name"]),
      expected,
    );
    // Another importer, or other columns: nothing.
    assert.equal(
      loadRememberedMapping("/api/course/import/progress", HEADERS),
      null,
    );
    assert.equal(
      loadRememberedMapping(SCOPE, ["Full name", "Mail address"]),
      null,
    );
  });

  test("the remembered choice wins over names and look-alikes, and is certain", () => {
    // The user said: "Mail address" is the email and "Email" is not.
    const headers = ["Email", "Mail address", "Name"];
    rememberMapping(SCOPE, headers, {
      name: 2,
      email: 1,
      age: null,
      role: null,
      joinedOn: null,
      active: null,
    });
    const remembered = loadRememberedMapping<UserField>(SCOPE, headers);
    const match = matchColumns(headers, userColumns, remembered);
    assert.equal(match.mapping.email, 1);
    assert.equal(match.mapping.name, 2);
    assert.ok(match.certain.has("email"));
    // Swapped columns are remembered as swapped.
    const swapped = matchColumns(["Name", "Email"], userColumns, {
      name: "Email",
      email: "Name",
    });
    assert.deepEqual([swapped.mapping.name, swapped.mapping.email], [1, 0]);
  });

  test("a remembered header the file no longer has falls back to matching by name", () => {
    const match = matchColumns(["Name", "Email"], userColumns, {
      email: "Mail address",
    });
    assert.equal(match.mapping.email, 1);
    assert.ok(match.certain.has("email"));
  });

  /** Remembers a mapping of the first two columns to name and email, the
   * other fields left out on purpose. */
  const rememberNameAndEmailOnly = (headers: string[]) => {
    rememberMapping(SCOPE, headers, {
      name: 0,
      email: 1,
      age: null,
      role: null,
      joinedOn: null,
      active: null,
    });
  };

  test("a remembered mapping that covers the file skips the mapping step", () => {
    const headers = ["Full name", "Mail address"];
    rememberNameAndEmailOnly(headers);
    assert.equal(
      asksToMap(headers, loadRememberedMapping(SCOPE, headers)),
      false,
    );
  });

  test("a remembered mapping that left a column out on purpose skips the mapping step", () => {
    rememberNameAndEmailOnly(HEADERS);
    assert.equal(
      asksToMap(HEADERS, loadRememberedMapping(SCOPE, HEADERS)),
      false,
    );
  });

  test("garbled or foreign stored values are ignored: null, or only the string and null entries", () => {
    rememberMapping(SCOPE, HEADERS, {
      name: 0,
      email: 1,
      age: null,
      role: null,
      joinedOn: null,
      active: null,
    });
    const [key] = storage.entries.keys();
    for (const garbled of [
      "{not json",
      "",
      "42",
      "null",
      '"Full name"',
      "true",
    ]) {
      storage.entries.set(key, garbled);
      assert.equal(
        loadRememberedMapping(SCOPE, HEADERS),
        null,
        JSON.stringify(garbled),
      );
    }
    storage.entries.set(
      key,
      JSON.stringify({ name: "Full name", email: 7, age: null }),
    );
    assert.deepEqual(loadRememberedMapping(SCOPE, HEADERS), {
      name: "Full name",
      age: null,
    });
  });

  test("blocked or full storage: nothing is remembered, nothing throws", () => {
    storage.failing = "set";
    assert.doesNotThrow(() =>
      rememberMapping(SCOPE, HEADERS, {
        name: 0,
        email: 1,
        age: null,
        role: null,
        joinedOn: null,
        active: null,
      }),
    );
    storage.failing = "get";
    assert.equal(loadRememberedMapping(SCOPE, HEADERS), null);
  });

  test("no window at all (server rendering): null, nothing throws", () => {
    delete globals.window;
    assert.equal(loadRememberedMapping(SCOPE, HEADERS), null);
    assert.doesNotThrow(() =>
      rememberMapping(SCOPE, HEADERS, {
        name: 0,
        email: 1,
        age: null,
        role: null,
        joinedOn: null,
        active: null,
      }),
    );
  });
});
