import { NextResponse, type NextRequest } from "next/server";
import { isLanguage } from "@/src/app/[lang]/languages";
import { authenticate } from "@/src/app/functions/server/auth/auth";
import { SESSION_COOKIE } from "@/src/app/functions/server/auth/session";

/**
 * Sends a signed-out visitor of a dashboard page to the sign-in page, with
 * the page they asked for as `next`. This is the redirect only: the import
 * routes check the credentials again themselves (`getUserAuthOrThrow`).
 * @param request - A request for a dashboard page.
 * @returns A redirect to the sign-in page, or nothing (carry on).
 */
export function proxy(request: NextRequest): NextResponse | undefined {
  const signedIn = authenticate({
    authorization: request.headers.get("authorization"),
    session: request.cookies.get(SESSION_COOKIE)?.value,
  });
  const lang = request.nextUrl.pathname.split("/")[1];
  if (signedIn !== null || !isLanguage(lang)) {
    return undefined;
  }
  const signIn = request.nextUrl.clone();
  signIn.pathname = `/${lang}/sign-in`;
  signIn.search = "";
  signIn.searchParams.set(
    "next",
    request.nextUrl.pathname + request.nextUrl.search,
  );
  return NextResponse.redirect(signIn);
}

export const config = {
  matcher: ["/:lang/dashboard", "/:lang/dashboard/:path*"],
};
