import Link from "next/link";

export default function HomePage() {
  return (
    <main>
      <h1>csvimport example</h1>
      <p>
        Go to the <Link href="/en/dashboard">dashboard</Link> (you will be asked
        to <Link href="/en/sign-in">sign in</Link> first).
      </p>
    </main>
  );
}
