import Link from "next/link";

export default async function DashboardPage({
  params,
}: {
  params: Promise<{ lang: string }>;
}) {
  const { lang } = await params;
  return (
    <main>
      <h1>Dashboard</h1>
      <ul>
        <li>
          <Link href={`/${lang}/dashboard/user`}>Users</Link>
        </li>
        <li>
          <Link href={`/${lang}/dashboard/course`}>Courses</Link>
        </li>
      </ul>
      {/* csvimport:mount */}
    </main>
  );
}
