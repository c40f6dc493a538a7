import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { isLanguage, LANGUAGES } from "@/src/app/[lang]/languages";

export function generateStaticParams() {
  return LANGUAGES.map((lang) => ({ lang }));
}

export default async function LanguageLayout({
  children,
  params,
}: Readonly<{ children: ReactNode; params: Promise<{ lang: string }> }>) {
  const { lang } = await params;
  if (!isLanguage(lang)) {
    notFound();
  }
  return (
    <>
      <header>
        <nav>
          <ul>
            <li>
              <Link href={`/${lang}/dashboard`}>Dashboard</Link>
            </li>
            <li>
              <Link href={`/${lang}/dashboard/user`}>Users</Link>
            </li>
            <li>
              <Link href={`/${lang}/dashboard/course`}>Courses</Link>
            </li>
          </ul>
        </nav>
      </header>
      {children}
    </>
  );
}
