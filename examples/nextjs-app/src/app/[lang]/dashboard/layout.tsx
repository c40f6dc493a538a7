import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSignedIn } from "@/src/app/functions/server/auth/auth";

export default async function DashboardLayout({
  children,
  params,
}: Readonly<{ children: ReactNode; params: Promise<{ lang: string }> }>) {
  const { lang } = await params;
  const signedIn = await getSignedIn();
  if (signedIn === null) {
    // The proxy sends visitors here with the page they asked for; this
    // only covers a request that reached the layout without credentials.
    redirect(`/${lang}/sign-in`);
  }
  return (
    <>
      <aside className="session" aria-label="Your session">
        <p>
          Signed in as <strong>{signedIn.user.email}</strong> (
          {signedIn.institution.name})
          {signedIn.via === "token" ? " with an API token" : null}
        </p>
        {signedIn.via === "session" ? (
          <form method="post" action="/api/session/sign-out">
            <input type="hidden" name="next" value={`/${lang}/sign-in`} />
            <button type="submit" className="button secondary">
              Sign out
            </button>
          </form>
        ) : null}
      </aside>
      {children}
    </>
  );
}
