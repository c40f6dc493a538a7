// Formats files with the project's own prettier and its config, as `prettier --write` would.
// stdin: {"root": "/abs/project", "files": {"relative/path.ts": "text", ...}}
// stdout: {"files": {"relative/path.ts": "formatted text", ...}}
import { createRequire } from "node:module";
import path from "node:path";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { root, files } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const prettier = createRequire(path.join(root, "package.json"))("prettier");
const formatted = {};
for (const [relative, text] of Object.entries(files)) {
  const filepath = path.join(root, relative);
  const config = (await prettier.resolveConfig(filepath, { editorconfig: true })) ?? {};
  formatted[relative] = await prettier.format(text, { ...config, filepath });
}
process.stdout.write(JSON.stringify({ files: formatted }));
