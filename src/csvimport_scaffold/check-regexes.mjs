// Checks regex rules with JavaScript's own engine, as the generated code runs them:
// `new RegExp(pattern, "u")`. Reads [{ pattern, samples }] as JSON on stdin; writes
// [{ error, matches }] as JSON: the engine's error (or null) and, for a valid pattern,
// whether each sample matches.
import { readFileSync } from "node:fs";

const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(({ pattern, samples }) => {
  let regex;
  try {
    regex = new RegExp(pattern, "u");
  } catch (error) {
    return { error: String(error.message), matches: [] };
  }
  return { error: null, matches: samples.map((sample) => regex.test(sample)) };
});
process.stdout.write(JSON.stringify(results));
