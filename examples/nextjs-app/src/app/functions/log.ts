/**
 * Minimal structured logger: one JSON object per line, info to stdout,
 * warnings and errors to stderr. Safe to import from server and client code.
 */

type Level = "info" | "warn" | "error";

interface LogRecord {
  level: Level;
  time: string;
  message: string;
  context?: Record<string, unknown>;
  error?: { name: string; message: string; stack?: string } | string;
}

function serializeError(error: unknown): LogRecord["error"] {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function safeStringify(record: LogRecord): string {
  try {
    return JSON.stringify(record);
  } catch {
    // Circular or otherwise unserializable context: keep the message.
    return JSON.stringify({ ...record, context: "[unserializable]" });
  }
}

function write(record: LogRecord): void {
  const line = safeStringify(record);
  if (record.level === "info") {
    console.log(line);
  } else if (record.level === "warn") {
    console.warn(line);
  } else {
    console.error(line);
  }
}

export const log = {
  /**
   * Logs an informational message.
   * @param message - What happened.
   * @param context - Extra structured data.
   */
  info(message: string, context?: Record<string, unknown>): void {
    write({ level: "info", time: new Date().toISOString(), message, context });
  },

  /**
   * Logs a warning.
   * @param message - What happened.
   * @param context - Extra structured data.
   */
  warn(message: string, context?: Record<string, unknown>): void {
    write({ level: "warn", time: new Date().toISOString(), message, context });
  },

  /**
   * Logs an error.
   * @param message - What failed.
   * @param error - The caught error, if any.
   * @param context - Extra structured data.
   */
  error(
    message: string,
    error?: unknown,
    context?: Record<string, unknown>,
  ): void {
    write({
      level: "error",
      time: new Date().toISOString(),
      message,
      context,
      error: error === undefined ? undefined : serializeError(error),
    });
  },
};
