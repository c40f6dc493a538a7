import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { cookies, headers } from "next/headers";
import {
  readSessionValue,
  SESSION_COOKIE,
} from "@/src/app/functions/server/auth/session";

/** The signed-in user, as the auth helper returns it. */
export interface AuthUser {
  id: string;
  email: string;
}

/** The institution the signed-in user acts for. */
export interface AuthInstitution {
  id: string;
  name: string;
}

/** What `getUserAuthOrThrow` resolves to. */
export interface UserAuth {
  user: AuthUser;
  institution: AuthInstitution;
}

/** A user, and how the request proved who it is. */
export interface SignedIn extends UserAuth {
  /** A session cookie (can sign out) or a Bearer token (sent by a gateway). */
  via: "session" | "token";
}

/** The credentials a request carries. */
export interface RequestCredentials {
  /** The `Authorization` header. */
  authorization: string | null;
  /** The value of the session cookie. */
  session: string | undefined;
}

/** Thrown when a request carries no valid credentials. */
export class AuthError extends Error {
  readonly status = 401;

  constructor(message = "Unauthorized") {
    super(message);
    this.name = "AuthError";
  }
}

/** The example's only account: the one the sign-in page signs in. */
export const DEMO_USER: AuthUser = {
  id: "user_demo",
  email: "demo@example.com",
};
const DEMO_INSTITUTION: AuthInstitution = {
  id: "inst_demo",
  name: "Demo Institution",
};
const USERS: readonly UserAuth[] = [
  { user: DEMO_USER, institution: DEMO_INSTITUTION },
];

/** Compares two secrets in constant time, whatever their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Tells who a request's credentials belong to. An `Authorization` header
 * decides alone when present (it must be `Bearer <EXAMPLE_AUTH_TOKEN>`,
 * default `dev-token`); otherwise the session cookie decides.
 * @param credentials - The request's header and session cookie.
 * @returns The user, or null when the credentials are missing or invalid.
 */
export function authenticate(credentials: RequestCredentials): SignedIn | null {
  if (credentials.authorization !== null) {
    const expected = process.env.EXAMPLE_AUTH_TOKEN ?? "dev-token";
    const match = /^Bearer\s+(.+)$/i.exec(credentials.authorization);
    return match && sameSecret(match[1].trim(), expected)
      ? { user: DEMO_USER, institution: DEMO_INSTITUTION, via: "token" }
      : null;
  }
  const userId = readSessionValue(credentials.session);
  const found = USERS.find((entry) => entry.user.id === userId);
  return found ? { ...found, via: "session" } : null;
}

/**
 * Tells who sent the current request.
 * @returns The signed-in user, or null.
 */
export async function getSignedIn(): Promise<SignedIn | null> {
  const [requestHeaders, requestCookies] = await Promise.all([
    headers(),
    cookies(),
  ]);
  return authenticate({
    authorization: requestHeaders.get("authorization"),
    session: requestCookies.get(SESSION_COOKIE)?.value,
  });
}

/**
 * Authenticates the current request: a valid session cookie (set by the
 * sign-in page) or `Authorization: Bearer <token>` where the token equals
 * `EXAMPLE_AUTH_TOKEN` (default `dev-token`).
 * @returns The demo user and institution.
 * @throws {AuthError} With `status` 401 when the credentials are missing,
 *   forged, expired or wrong.
 */
export async function getUserAuthOrThrow(): Promise<UserAuth> {
  const signedIn = await getSignedIn();
  if (signedIn === null) {
    throw new AuthError();
  }
  return { user: signedIn.user, institution: signedIn.institution };
}
