/** Languages the dashboard is served in. */
export const LANGUAGES = ["en", "fr", "de"] as const;

/** One of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number];

/**
 * Tells whether a route segment names a supported language.
 * @param value - The `[lang]` segment.
 * @returns True for a supported language.
 */
export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}
