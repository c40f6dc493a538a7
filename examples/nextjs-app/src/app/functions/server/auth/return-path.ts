import "server-only";

// Parses paths against a placeholder origin: anything that leaves it
// ("//evil.example", "https://...", "/\evil.example") is another site.
const PLACEHOLDER_ORIGIN = "http://return-path.invalid";

// Browsers read "\" as "/" and drop tabs and newlines from URLs, so a
// path holding them may mean another site than it seems to.
function hasConfusingCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f || value[index] === "\\") {
      return true;
    }
  }
  return false;
}

/**
 * The page to send a user back to after signing in or out: a path of this
 * site, never another site (no open redirect).
 * @param value - The requested path (`?next=` or a form field), if any.
 * @param fallback - Where to go when `value` is missing or not a local path.
 * @returns `value` as a local path with its query, or `fallback`.
 */
export function safeReturnPath(value: unknown, fallback: string): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.length > 2048 ||
    hasConfusingCharacter(value)
  ) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) {
    return fallback;
  }
  return url.pathname + url.search + url.hash;
}
