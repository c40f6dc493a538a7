import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The example's cookie session: the cookie holds
 * `v1.<payload>.<signature>`, where `payload` is the base64url JSON
 * `{"sub":"<user id>","exp":<unix seconds>}` and `signature` the base64url
 * HMAC-SHA256 of `v1.<payload>` under `EXAMPLE_SESSION_SECRET`. Nothing is
 * stored on the server: a valid signature and a future `exp` are the session.
 */

/** Name of the session cookie. */
export const SESSION_COOKIE = "csvimport_example_session";

/** How long a session lasts, in seconds. */
export const SESSION_MAX_AGE = 8 * 60 * 60;

const VERSION = "v1";
// Any other shape is refused before the signature is even computed.
const SESSION_VALUE = /^v1\.([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{43})$/;
const DEVELOPMENT_SECRET = "csvimport-example-development-session-secret";

/**
 * The key sessions are signed with: `EXAMPLE_SESSION_SECRET`, or a
 * development default anyone can read in this file.
 * @returns The secret and whether it is the default.
 */
export function sessionSecret(): { secret: string; isDefault: boolean } {
  const secret = process.env.EXAMPLE_SESSION_SECRET;
  return secret
    ? { secret, isDefault: false }
    : { secret: DEVELOPMENT_SECRET, isDefault: true };
}

function sign(data: string): string {
  return createHmac("sha256", sessionSecret().secret)
    .update(data)
    .digest("base64url");
}

/**
 * Creates the cookie value of a new session.
 * @param userId - Who signs in.
 * @param now - The current time in milliseconds (for tests).
 * @returns The signed `v1.<payload>.<signature>` value.
 */
export function createSessionValue(userId: string, now = Date.now()): string {
  const exp = Math.floor(now / 1000) + SESSION_MAX_AGE;
  const payload = Buffer.from(JSON.stringify({ sub: userId, exp })).toString(
    "base64url",
  );
  const data = `${VERSION}.${payload}`;
  return `${data}.${sign(data)}`;
}

/**
 * Reads a session cookie value.
 * @param value - The cookie's value, if the request has one.
 * @param now - The current time in milliseconds (for tests).
 * @returns The signed-in user's id, or null for a missing, malformed,
 *   forged or expired session.
 */
export function readSessionValue(
  value: string | undefined,
  now = Date.now(),
): string | null {
  const match = value === undefined ? null : SESSION_VALUE.exec(value);
  if (!match) {
    return null;
  }
  const [, payload, signature] = match;
  const expected = sign(`${VERSION}.${payload}`);
  // Both are 43 characters: compare them in constant time.
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    return null;
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (
    typeof claims !== "object" ||
    claims === null ||
    !("sub" in claims) ||
    !("exp" in claims) ||
    typeof claims.sub !== "string" ||
    typeof claims.exp !== "number" ||
    claims.exp * 1000 <= now
  ) {
    return null;
  }
  return claims.sub;
}
