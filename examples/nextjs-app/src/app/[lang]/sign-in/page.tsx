import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DEMO_USER, getSignedIn } from "@/src/app/functions/server/auth/auth";
import { safeReturnPath } from "@/src/app/functions/server/auth/return-path";

export const metadata: Metadata = { title: "Sign in · csvimport example" };

export default async function SignInPage({
  params,
  searchParams,
}: {
  params: Promise<{ lang: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ lang }, query] = await Promise.all([params, searchParams]);
  const next = safeReturnPath(query.next, `/${lang}/dashboard`);
  if ((await getSignedIn()) !== null) {
    redirect(next);
  }
  return (
    <main className="sign-in">
      <section className="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in</h1>
        <p>
          This example app has one account, the demo user{" "}
          <strong>{DEMO_USER.email}</strong>. Signing in sets a session cookie
          for this site; the CSV imports of the dashboard use it.
        </p>
        {/* A plain form: it works before any JavaScript has loaded. */}
        <form method="post" action="/api/session">
          <input type="hidden" name="next" value={next} />
          <button type="submit" className="button">
            Sign in as the demo user
          </button>
        </form>
        <p className="muted">
          You will continue to <code>{next}</code>.
        </p>
      </section>
    </main>
  );
}
