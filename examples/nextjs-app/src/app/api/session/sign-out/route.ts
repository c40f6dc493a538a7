import { NextResponse, type NextRequest } from "next/server";
import { safeReturnPath } from "@/src/app/functions/server/auth/return-path";
import {
  isHttps,
  isSameOrigin,
} from "@/src/app/functions/server/auth/same-origin";
import { SESSION_COOKIE } from "@/src/app/functions/server/auth/session";

/**
 * Signs out: clears the session cookie and answers 303 to `next` (a form
 * field, default the home page).
 * @param request - The form POST.
 * @returns A redirect that clears the cookie, or 403 for a cross-site POST.
 */
export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOrigin(request)) {
    return NextResponse.json({ error: "Cross-site request" }, { status: 403 });
  }
  let next: FormDataEntryValue | null = null;
  try {
    next = (await request.formData()).get("next");
  } catch {
    // No form body: go to the fallback page.
  }
  const response = new NextResponse(null, {
    status: 303,
    headers: { Location: safeReturnPath(next, "/") },
  });
  response.cookies.set(SESSION_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
    path: "/",
    maxAge: 0,
  });
  return response;
}
