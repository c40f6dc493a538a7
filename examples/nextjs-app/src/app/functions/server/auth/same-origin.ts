import "server-only";

/**
 * Tells whether a form POST comes from this site's own pages, so another
 * site cannot sign a visitor in or out (login CSRF). Browsers send `Origin`
 * with every POST; a client without it (curl, scripts) is not a browser
 * another site could drive, and `Sec-Fetch-Site` still stops the rest.
 * @param request - The incoming request.
 * @returns False for a cross-site request.
 */
export function isSameOrigin(request: Request): boolean {
  if (request.headers.get("sec-fetch-site") === "cross-site") {
    return false;
  }
  const origin = request.headers.get("origin");
  if (origin === null) {
    return true;
  }
  const host =
    request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    // "Origin: null" (sandboxed frames, some redirects) names no site.
    return false;
  }
}

/**
 * Tells whether the browser reached the app over HTTPS (directly or through
 * a proxy that says so), where cookies must be `Secure`.
 * @param request - The incoming request.
 * @returns True for HTTPS.
 */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto");
  return (
    (forwarded ?? new URL(request.url).protocol.replace(":", "")) === "https"
  );
}
