/**
 * The SSE reader of the browser hook: `sendImportChunk` POSTs one chunk and
 * reads the route's `text/event-stream` answer. Networks deliver a stream in
 * arbitrary pieces, so the same body cut into reads at every byte offset (and
 * one byte per read) must always yield exactly the same events.
 *
 * The function's own `fetch` is replaced by one that answers a real
 * `Response` over a real `ReadableStream`, cut where the test says. The
 * same stub answers `requestCancel`'s `DELETE ?importId=`.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  ImportRequestError,
  requestCancel,
  sendImportChunk,
} from "@/src/app/components/csv-importer/functions/send-import-chunk";
import { de } from "@/src/app/components/csv-importer/messages/de";
import { en } from "@/src/app/components/csv-importer/messages/en";
import type {
  CsvImportComplete,
  CsvImportProgress,
} from "@/src/app/functions/server/services/csv-import/types";

interface Success {
  line: number;
  email: string;
}

interface RowError {
  line: number;
  email: string;
  error: string;
}

const URL_PATH = "http://import.test/api/user/import/progress";
const realFetch = globalThis.fetch;

afterEach(() => {
  globalThis.fetch = realFetch;
});

/** A request as the stub saw it. */
interface SeenRequest {
  url: string;
  init: RequestInit | undefined;
}

/**
 * Makes `fetch` answer with `pieces`, one `read()` each, and records the
 * request. Returns the requests seen and how many pieces were pulled.
 */
function answerWith(
  pieces: readonly Uint8Array[],
  init: ResponseInit = {
    headers: { "Content-Type": "text/event-stream" },
  },
): { requests: SeenRequest[]; pulled: () => number } {
  const requests: SeenRequest[] = [];
  let pulled = 0;
  globalThis.fetch = async (input, requestInit) => {
    requests.push({ url: String(input), init: requestInit });
    let index = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (index < pieces.length) {
          pulled += 1;
          controller.enqueue(pieces[index]);
          index += 1;
        } else {
          controller.close();
        }
      },
    });
    return new Response(body, init);
  };
  return { requests, pulled: () => pulled };
}

/** `bytes` cut into two reads at `offset` (an empty side is left out). */
function cutAt(bytes: Uint8Array, offset: number): Uint8Array[] {
  return [bytes.subarray(0, offset), bytes.subarray(offset)].filter(
    (piece) => piece.length > 0,
  );
}

function oneBytePerRead(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));
}

/** What the server of a 304-row chunk says, as data (the ground truth):
 * 300 rows written, 2 failed, 2 skipped after a cancel. */
function expectedOutcome(): {
  progress: CsvImportProgress[];
  complete: CsvImportComplete<Success, RowError>;
} {
  const success: Success[] = [];
  for (let line = 2; line < 302; line += 1) {
    success.push({ line, email: `zoë.日本.${line}@example.com` });
  }
  const errors: RowError[] = [
    {
      line: 302,
      email: 'quote"d@example.com',
      error: 'Email must be a valid email address; Name is "required"',
    },
    {
      // Newlines and a CR inside a value: JSON escapes them, so the data
      // line of the event stays one line.
      line: 303,
      email: "multi\nline\r\n@example.com",
      error: "Line one\nline two 😀\tand a tab",
    },
  ];
  const progress: CsvImportProgress[] = [
    { processed: 0, total: 302, succeeded: 0, failed: 0, percentage: 0 },
    { processed: 150, total: 302, succeeded: 149, failed: 1, percentage: 49 },
    { processed: 302, total: 302, succeeded: 300, failed: 2, percentage: 100 },
  ];
  return { progress, complete: { success, errors, skipped: [304, 306] } };
}

/** The event stream of {@link expectedOutcome}, as the route writes it. */
function eventStream(newline: "\n" | "\r\n"): Uint8Array {
  const { progress, complete } = expectedOutcome();
  const frame = (event: string, data: unknown): string =>
    `event: ${event}${newline}data: ${JSON.stringify(data)}${newline}${newline}`;
  const text = [
    `: ping${newline}${newline}`,
    frame("progress", progress[0]),
    frame("progress", progress[1]),
    `: ping${newline}${newline}`,
    frame("progress", progress[2]),
    frame("complete", complete),
  ].join("");
  return new TextEncoder().encode(text);
}

/** Runs `sendImportChunk` against the stubbed answer; returns what it reported. */
async function readAnswer() {
  const progress: CsvImportProgress[] = [];
  const complete = await sendImportChunk<Success, RowError>(
    URL_PATH,
    { items: [], lines: [] },
    { onProgress: (event) => progress.push(event) },
  );
  return { progress, complete };
}

describe("sendImportChunk reads the event stream", () => {
  test("the stub really delivers one read per piece", async () => {
    // Guards the tests below: a harness that merged the pieces would make
    // the split tests prove nothing.
    const bytes = eventStream("\n");
    const pieces = oneBytePerRead(bytes.subarray(0, 50));
    answerWith(pieces);
    const response = await fetch(URL_PATH);
    const reader = response.body!.getReader();
    let reads = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      assert.equal(value.length, 1);
      reads += 1;
    }
    assert.equal(reads, 50);
  });

  for (const [name, newline] of [
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ] as const) {
    test(`${name} body in one read gives every event`, async () => {
      answerWith([eventStream(newline)]);
      assert.deepEqual(await readAnswer(), expectedOutcome());
    });

    test(`${name} body cut into two reads at every byte offset`, async () => {
      const bytes = eventStream(newline);
      const expected = expectedOutcome();
      assert.ok(bytes.length > 10_000, "the body should be realistic in size");
      for (let offset = 0; offset <= bytes.length; offset += 1) {
        const pieces = cutAt(bytes, offset);
        const stub = answerWith(pieces);
        const outcome = await readAnswer();
        assert.equal(stub.pulled(), pieces.length);
        // deepEqual on every offset would be slow to report; compare JSON
        // and name the offset when it differs.
        if (JSON.stringify(outcome) !== JSON.stringify(expected)) {
          assert.deepEqual(outcome, expected, `cut at byte ${offset}`);
        }
      }
    });

    test(`${name} body read one byte at a time`, async () => {
      const pieces = oneBytePerRead(eventStream(newline));
      const stub = answerWith(pieces);
      assert.deepEqual(await readAnswer(), expectedOutcome());
      assert.equal(stub.pulled(), pieces.length);
    });
  }
});

describe("sendImportChunk requests and failures", () => {
  test("POSTs the chunk as JSON with the caller's headers", async () => {
    const { requests } = answerWith([eventStream("\n")]);
    const body = {
      items: [{ name: "Ada", email: "ada@example.com" }],
      lines: [7],
      importId: "import-1",
    };
    await sendImportChunk(URL_PATH, body, {
      headers: { Authorization: "Bearer test-token" },
    });
    assert.equal(requests.length, 1);
    const [{ url, init }] = requests;
    assert.equal(url, URL_PATH);
    assert.equal(init?.method, "POST");
    const headers = new Headers(init?.headers);
    assert.equal(headers.get("authorization"), "Bearer test-token");
    assert.equal(headers.get("content-type"), "application/json");
    assert.equal(headers.get("accept"), "text/event-stream");
    assert.deepEqual(JSON.parse(String(init?.body)), body);
  });

  test("the body is always sent as application/json, whatever the caller's headers say", async () => {
    // the route refuses any other type (415): a cross-site form cannot send JSON
    const { requests } = answerWith([eventStream("\n")]);
    await sendImportChunk(
      URL_PATH,
      { items: [] },
      {
        headers: {
          "Content-Type": "text/plain;charset=latin1",
          Authorization: "Bearer test-token",
        },
      },
    );
    const [{ init }] = requests;
    assert.equal(
      new Headers(init?.headers).get("content-type"),
      "application/json",
    );
    assert.equal(typeof init?.body, "string");
  });

  test("a refused request throws with the server's message and status", async () => {
    answerWith([new TextEncoder().encode('{"error":"Unauthorized"}')], {
      status: 401,
      headers: { "Content-Type": "application/json" },
    });
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }),
      (error: unknown) =>
        error instanceof ImportRequestError &&
        error.status === 401 &&
        error.refused &&
        error.message === "Unauthorized (HTTP 401)",
    );
  });

  test("a refusal without a JSON body is reported with its status text", async () => {
    answerWith([new TextEncoder().encode("<html>Bad gateway</html>")], {
      status: 502,
      statusText: "Bad Gateway",
      headers: { "Content-Type": "text/html" },
    });
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }),
      (error: unknown) =>
        error instanceof ImportRequestError &&
        error.status === 502 &&
        error.refused &&
        error.message === "Bad Gateway (HTTP 502)",
    );
  });

  test("an `event: error` throws its message", async () => {
    const text =
      'event: progress\ndata: {"processed":0,"total":1,"succeeded":0,"failed":0,"percentage":0}\n\n' +
      'event: error\ndata: {"message":"The import stopped because of a server error."}\n\n';
    const pieces = oneBytePerRead(new TextEncoder().encode(text));
    answerWith(pieces);
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }),
      (error: unknown) =>
        error instanceof ImportRequestError &&
        error.status === 0 &&
        // Rows may have been written before the error: not a refusal.
        !error.refused &&
        error.message === "The import stopped because of a server error.",
    );
  });

  test("a stream that ends before `event: complete` throws", async () => {
    const bytes = eventStream("\n");
    const end = new TextDecoder().decode(bytes).indexOf("event: complete");
    answerWith([bytes.subarray(0, end)]);
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }),
      (error: unknown) =>
        error instanceof ImportRequestError &&
        !error.refused &&
        /The connection closed before the import finished/.test(error.message),
    );
  });

  test("a 200 answer that is not an event stream throws", async () => {
    answerWith([new TextEncoder().encode("<html></html>")], {
      headers: { "Content-Type": "text/html" },
    });
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }),
      (error: unknown) =>
        error instanceof ImportRequestError &&
        !error.refused &&
        /did not answer with an event stream/.test(error.message),
    );
  });

  test("a server out of reach is said in the importer's words, not the browser's", async () => {
    globalThis.fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }, { messages: de.connection }),
      (error: unknown) =>
        error instanceof ImportRequestError &&
        !error.refused &&
        error.message === de.connection.unreachable,
    );
  });

  test("an aborted request rejects with the abort, not as a lost server", async () => {
    const controller = new AbortController();
    controller.abort();
    globalThis.fetch = () =>
      Promise.reject(
        new DOMException("The operation was aborted.", "AbortError"),
      );
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }, { signal: controller.signal }),
      (error: unknown) =>
        error instanceof DOMException && error.name === "AbortError",
    );
  });

  test("the words of a failed stream follow the importer's language", async () => {
    answerWith([new TextEncoder().encode("<html></html>")], {
      headers: { "Content-Type": "text/html" },
    });
    await assert.rejects(
      sendImportChunk(URL_PATH, { items: [] }, { messages: de.connection }),
      (error: unknown) =>
        error instanceof ImportRequestError &&
        error.message === de.connection.notAStream,
    );
  });
});

describe("sendImportChunk: rows skipped after a cancel", () => {
  const complete = (data: unknown) =>
    new TextEncoder().encode(
      `event: complete\ndata: ${JSON.stringify(data)}\n\n`,
    );

  test("`skipped` lists the lines the server did not write", async () => {
    answerWith([
      complete({
        success: [{ line: 2, email: "a@example.com" }],
        errors: [],
        skipped: [3, 4, 9],
      }),
    ]);
    assert.deepEqual(await sendImportChunk(URL_PATH, { items: [] }), {
      success: [{ line: 2, email: "a@example.com" }],
      errors: [],
      skipped: [3, 4, 9],
    });
  });

  test("a server that stopped says why, beside what it wrote and skipped", async () => {
    const stopped = en.server.databaseFailed;
    answerWith([
      complete({
        success: [{ line: 2, email: "a@example.com" }],
        errors: [],
        skipped: [3, 4],
        stopped,
      }),
    ]);
    assert.deepEqual(await sendImportChunk(URL_PATH, { items: [] }), {
      success: [{ line: 2, email: "a@example.com" }],
      errors: [],
      skipped: [3, 4],
      stopped,
    });
  });

  test("a server that sends no `skipped` skipped nothing", async () => {
    answerWith([complete({ success: [], errors: [] })]);
    const outcome = await sendImportChunk(URL_PATH, { items: [] });
    assert.deepEqual(outcome.skipped, []);
  });

  test("only line numbers count as skipped lines", async () => {
    answerWith([
      complete({ success: [], errors: [], skipped: [5, "6", null, 8] }),
    ]);
    const outcome = await sendImportChunk(URL_PATH, { items: [] });
    assert.deepEqual(outcome.skipped, [5, 8]);
  });

  test("a `skipped` that is not a list is ignored", async () => {
    answerWith([complete({ success: [], errors: [], skipped: "3,4" })]);
    const outcome = await sendImportChunk(URL_PATH, { items: [] });
    assert.deepEqual(outcome.skipped, []);
  });
});

describe("requestCancel", () => {
  const json = (body: unknown, status = 202): [Uint8Array[], ResponseInit] => [
    [new TextEncoder().encode(JSON.stringify(body))],
    { status, headers: { "Content-Type": "application/json" } },
  ];

  test("sends DELETE ?importId= with the caller's headers; true when the server stops it", async () => {
    const { requests } = answerWith(...json({ cancelled: true }));
    assert.equal(
      await requestCancel(URL_PATH, "mi3k2x9a-abc&def", {
        Authorization: "Bearer test-token",
      }),
      true,
    );
    assert.equal(requests.length, 1);
    const [{ url, init }] = requests;
    assert.equal(init?.method, "DELETE");
    const sent = new URL(url);
    assert.equal(sent.origin + sent.pathname, URL_PATH);
    // The id is encoded: characters like & cannot break the query.
    assert.equal(sent.searchParams.get("importId"), "mi3k2x9a-abc&def");
    assert.equal(
      new Headers(init?.headers).get("authorization"),
      "Bearer test-token",
    );
  });

  test("false when the server knows no such import", async () => {
    answerWith(...json({ cancelled: false }));
    assert.equal(await requestCancel(URL_PATH, "gone"), false);
  });

  test("false when the server refuses (401 JSON, or a non-JSON error page)", async () => {
    answerWith(...json({ error: "Unauthorized" }, 401));
    assert.equal(await requestCancel(URL_PATH, "id"), false);
    answerWith([new TextEncoder().encode("<html>oops</html>")], {
      status: 500,
      headers: { "Content-Type": "text/html" },
    });
    assert.equal(await requestCancel(URL_PATH, "id"), false);
    // A 500 that still says cancelled: true is not trusted.
    answerWith(...json({ cancelled: true }, 500));
    assert.equal(await requestCancel(URL_PATH, "id"), false);
  });

  test("false, not a throw, when the network fails", async () => {
    globalThis.fetch = async () => {
      throw new TypeError("fetch failed");
    };
    assert.equal(await requestCancel(URL_PATH, "id"), false);
  });
});
