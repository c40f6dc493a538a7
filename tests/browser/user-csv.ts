/**
 * CSV files for the user feature (`name:string:required,max=100`,
 * `email:email:required,unique,key,lowercase`, `age:int:optional,min=0,max=150`,
 * `role:enum(admin|member):default=member`, `joinedOn:date:optional,alias=Joined On`,
 * `active:boolean:optional,default=true`), written the way a spreadsheet
 * exports them, together with what the import must make of every row: the
 * spreadsheet line, the email key and, for a bad row, the exact error.
 */

/** One data row of the file, and what the import must do with it. */
export interface PlannedRow {
  name: string;
  email: string;
  age?: string;
  role?: string;
  joinedOn?: string;
  active?: string;
  /** The error-log message; undefined for a row that must be imported. */
  error?: string;
  /** Spreadsheet line (header = 1), filled in by {@link writeCsv}. */
  line: number;
}

/** A CSV file and what importing it must give. */
export interface PlannedFile {
  bytes: Buffer;
  rows: PlannedRow[];
  good: PlannedRow[];
  bad: PlannedRow[];
  /** Physical lines of the file, to show they differ from spreadsheet lines. */
  physicalLines: number;
}

/** Quotes a cell when a spreadsheet would (comma, quote, line break). */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Options of {@link writeCsv}. */
export interface CsvLayout {
  /** Header cells in file order (any case, spacing, alias). */
  header: string[];
  /** Field of each header cell, same order. */
  fields: (keyof PlannedRow)[];
  /** Record separator. */
  newline: "\r\n" | "\n";
  /** Start with a UTF-8 byte order mark. */
  bom: boolean;
  /** Indexes of rows before which a blank record is written. */
  blankBefore?: ReadonlySet<number>;
  /** Pads each name cell with this many spaces on each side (trimmed by the server). */
  namePadding?: number;
}

/** Writes the rows as a CSV file and numbers them as spreadsheet lines. */
export function writeCsv(rows: PlannedRow[], layout: CsvLayout): PlannedFile {
  const records = [layout.header.map(cell).join(",")];
  let line = 1;
  rows.forEach((row, index) => {
    if (layout.blankBefore?.has(index)) {
      records.push(layout.fields.map(() => "").join(","));
      line += 1;
    }
    line += 1;
    row.line = line;
    const pad = " ".repeat(layout.namePadding ?? 0);
    records.push(
      layout.fields
        .map((field) => {
          const value = String(row[field] ?? "");
          return cell(field === "name" ? `${pad}${value}${pad}` : value);
        })
        .join(","),
    );
  });
  const text =
    (layout.bom ? "\uFEFF" : "") +
    records.join(layout.newline) +
    layout.newline;
  return {
    bytes: Buffer.from(text, "utf8"),
    rows,
    good: rows.filter((row) => row.error === undefined),
    bad: rows.filter((row) => row.error !== undefined),
    physicalLines: text.split(/\r\n|\n/).length - 1,
  };
}

const EMAIL = "Email must be a valid email address";
const AGE_MAX = "Age must be at most 150";
const AGE_MIN = "Age must be at least 0";
const AGE_INT = "Age must be a whole number";
const ROLE = "Role must be one of: admin, member";
const DATE = "Joined on must be a valid date (YYYY-MM-DD)";
const NAME_REQUIRED = "Name is required";
const NAME_LONG = "Name must be at most 100 characters";
const ACTIVE = "Active must be true or false (yes/no, 1/0)";
const EMAIL_REQUIRED = "Email is required";
const EXISTS = "Email already exists";

/**
 * 2,000 rows for one import, 37 of them bad for mixed reasons, spread over
 * the whole file. `prefix` makes every email of the run unique;
 * `existingEmails` are already in the database.
 */
export function mixedUserRows(
  prefix: string,
  existingEmails: readonly string[],
): PlannedRow[] {
  const email = (index: number) => `${prefix}-${index}@example.com`;
  const goodRow = (index: number): PlannedRow => {
    const variants: Partial<PlannedRow>[] = [
      {
        age: String(18 + (index % 60)),
        role: "member",
        joinedOn: "2024-02-29",
        active: "yes",
      },
      { age: "", role: "", joinedOn: "", active: "" }, // optional cells empty: defaults
      { age: "0", role: "admin", joinedOn: "2023-12-31", active: "FALSE" },
      { age: "150", role: "member", joinedOn: "", active: "1" },
    ];
    return {
      name: `Person ${index}`,
      email: email(index),
      line: 0,
      ...variants[index % variants.length],
    };
  };
  const rows: PlannedRow[] = Array.from({ length: 2_000 }, (_, index) =>
    goodRow(index),
  );

  // Good rows that carry CSV traps of their own.
  rows[3] = { ...rows[3], name: "Doe, Jane" };
  rows[4] = { ...rows[4], name: "First line\nsecond line" }; // one record, two physical lines
  rows[5] = { ...rows[5], name: 'Ada "the first" Lovelace' };
  rows[6] = {
    ...rows[6],
    name: "Zoë Ørsted 日本",
    email: email(6).toUpperCase(),
  }; // stored lowercase
  rows[1500] = { ...rows[1500], name: "Late\nmulti-line" };

  const bad: Partial<PlannedRow>[] = [
    { email: "not-an-email", error: EMAIL },
    { email: "jane.example.com", error: EMAIL },
    { email: "x@@example.com", error: EMAIL },
    { email: "spaces in@example.com", error: EMAIL },
    { email: "=1+2@example.com", error: EMAIL }, // a formula in the error log
    { age: "151", error: AGE_MAX },
    { age: "200", error: AGE_MAX },
    { age: "-1", error: AGE_MIN },
    { age: "-5", name: "Doe, John", error: AGE_MIN }, // quoted comma in a bad row
    { age: "12abc", error: AGE_INT },
    { age: "1.5", error: AGE_INT },
    { role: "owner", error: ROLE },
    { role: "ADMIN", error: ROLE },
    { role: "admin,member", error: ROLE }, // a quoted comma inside the bad value
    { joinedOn: "2024-02-30", error: DATE },
    { joinedOn: "2023-02-29", error: DATE },
    { joinedOn: "2024-13-01", error: DATE },
    { name: "", error: NAME_REQUIRED },
    { name: "   ", error: NAME_REQUIRED },
    { name: "", age: "", error: NAME_REQUIRED },
    { name: "x".repeat(101), error: NAME_LONG },
    { name: "y".repeat(150), error: NAME_LONG },
    { active: "maybe", error: ACTIVE },
    { active: "2", error: ACTIVE },
    { email: "", error: EMAIL_REQUIRED },
    { email: "nope", age: "151", error: `${EMAIL}; ${AGE_MAX}` },
    {
      name: "",
      role: "boss",
      joinedOn: "2024-02-30",
      error: `${NAME_REQUIRED}; ${ROLE}; ${DATE}`,
    },
    { age: "abc", active: "perhaps", error: `${AGE_INT}; ${ACTIVE}` },
    { name: "Multi\nline bad", role: "guest", error: ROLE }, // a bad record on two physical lines
    { name: "Another\r\nbroken one", joinedOn: "2021-04-31", error: DATE },
    // Emails that exist already: earlier in this file (same request or an
    // earlier one, one of them in other case) or in the database.
    { email: email(10), error: EXISTS },
    { email: email(1_200), error: EXISTS },
    { email: email(20).toUpperCase(), error: EXISTS },
    { email: email(3), error: EXISTS },
    ...existingEmails.map((existing) => ({ email: existing, error: EXISTS })),
  ];
  // Spread the bad rows over the file, after the rows they duplicate.
  bad.forEach((overrides, position) => {
    const index = 30 + position * 53;
    rows[index] = {
      ...rows[index],
      ...overrides,
      email: overrides.email ?? `bad-${rows[index].email}`,
    };
  });
  return rows;
}

/** The header of the test file: a BOM, odd case and spacing, the alias. */
export const MESSY_HEADER = {
  header: [" NAME ", "e-mail", "Age", "ROLE", "  joined ON  ", "Active"],
  fields: [
    "name",
    "email",
    "age",
    "role",
    "joinedOn",
    "active",
  ] as (keyof PlannedRow)[],
};

/** A few plain rows, all good. */
export function plainUserRows(prefix: string, count: number): PlannedRow[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `Again ${index}`,
    email: `${prefix}-again-${index}@example.com`,
    age: "30",
    role: "member",
    joinedOn: "2024-01-01",
    active: "yes",
    line: 0,
  }));
}

/**
 * A CSV file of padded plain rows in which the name "Zoë Boundary" is placed
 * so that the two bytes of its "ë" sit on either side of byte `offset`.
 */
export function fileWithSplitCharacter(
  prefix: string,
  offset: number,
  rowsAfter = 50,
) {
  const header = "name,email,age\n";
  const records: string[] = [header];
  let length = Buffer.byteLength(header);
  const record = (index: number, padding: number, name = `Filler ${index}`) =>
    `${" ".repeat(padding)}${name},${prefix}-${index}@example.com,30\n`;
  let index = 0;
  // Whole filler rows while a target row still fits after them.
  while (length + Buffer.byteLength(record(index, 1_000)) + 1_100 < offset) {
    const text = record(index, 1_000);
    records.push(text);
    length += Buffer.byteLength(text);
    index += 1;
  }
  // "Zo" ends one byte before the offset: the "ë" starts at offset - 1.
  const padding = offset - 1 - length - Buffer.byteLength("Zo");
  const boundaryEmail = `${prefix}-${index}@example.com`;
  records.push(record(index, padding, "Zoë Boundary"));
  for (let after = 1; after <= rowsAfter; after += 1)
    records.push(record(index + after, 1_000, `Zoë ${after}`));
  const bytes = Buffer.from(records.join(""), "utf8");
  if (bytes.subarray(offset - 1, offset + 1).toString("utf8") !== "ë")
    throw new Error("misplaced ë");
  return { bytes, boundaryEmail, rows: index + 1 + rowsAfter };
}
