import "server-only";
import { headers } from "next/headers";

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

/** Thrown when a request carries no valid credentials. */
export class AuthError extends Error {
  readonly status = 401;

  constructor(message = "Unauthorized") {
    super(message);
    this.name = "AuthError";
  }
}

const DEMO_USER: AuthUser = { id: "user_demo", email: "demo@example.com" };
const DEMO_INSTITUTION: AuthInstitution = {
  id: "inst_demo",
  name: "Demo Institution",
};

/**
 * Authenticates the current request. Accepts only
 * `Authorization: Bearer <token>` where the token equals
 * `EXAMPLE_AUTH_TOKEN` (default `dev-token`).
 * @returns The demo user and institution.
 * @throws {AuthError} With `status` 401 when the header is missing or wrong.
 */
export async function getUserAuthOrThrow(): Promise<UserAuth> {
  const expected = process.env.EXAMPLE_AUTH_TOKEN ?? "dev-token";
  const requestHeaders = await headers();
  const authorization = requestHeaders.get("authorization");
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  if (!match || match[1].trim() !== expected) {
    throw new AuthError();
  }
  return { user: DEMO_USER, institution: DEMO_INSTITUTION };
}
