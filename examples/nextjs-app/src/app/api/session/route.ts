import { NextResponse, type NextRequest } from "next/server";
import { log } from "@/src/app/functions/log";
import { DEMO_USER } from "@/src/app/functions/server/auth/auth";
import { safeReturnPath } from "@/src/app/functions/server/auth/return-path";
import {
  isHttps,
  isSameOrigin,
} from "@/src/app/functions/server/auth/same-origin";
import {
  createSessionValue,
  SESSION_COOKIE,
  SESSION_MAX_AGE,
  sessionSecret,
} from "@/src/app/functions/server/auth/session";

/**
 * Signs the demo user in: the sign-in page's form posts here with `next`,
 * the page to return to. Answers 303 to that page with the session cookie.
 * @param request - The form POST.
 * @returns A redirect that sets the cookie, or 403 for a cross-site POST.
 */
export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOrigin(request)) {
    log.warn("Cross-site sign-in refused", {
      origin: request.headers.get("origin"),
    });
    return NextResponse.json({ error: "Cross-site request" }, { status: 403 });
  }
  let next: FormDataEntryValue | null = null;
  try {
    next = (await request.formData()).get("next");
  } catch {
    // No form body: go to the fallback page.
  }
  if (sessionSecret().isDefault && process.env.NODE_ENV === "production") {
    log.warn(
      "EXAMPLE_SESSION_SECRET is not set: sessions are signed with the development default",
    );
  }
  const response = new NextResponse(null, {
    status: 303,
    headers: { Location: safeReturnPath(next, "/") },
  });
  response.cookies.set(SESSION_COOKIE, createSessionValue(DEMO_USER.id), {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
    path: "/",
    maxAge: SESSION_MAX_AGE,
  });
  log.info("Signed in", { userId: DEMO_USER.id });
  return response;
}
