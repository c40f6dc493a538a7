// Lists, with the project's own TypeScript parser, the kind of every statement and
// declaration in each file, depth first: two files whose lists are equal run the same code
// shape, whatever their string literals and comments hold.
// stdin: {"root": "/abs/project", "files": ["relative/path.ts", ...]}
// stdout: {"relative/path.ts": ["ImportDeclaration", "FunctionDeclaration", ...], ...}
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const { root, files } = JSON.parse(readFileSync(0, "utf8"));
const ts = createRequire(path.join(root, "package.json"))("typescript");

function statementKinds(relative) {
  const text = readFileSync(path.join(root, relative), "utf8");
  const kind = relative.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, false, kind);
  const kinds = [];
  const visit = (node) => {
    const name = ts.SyntaxKind[node.kind];
    if (name.endsWith("Statement") || name.endsWith("Declaration")) kinds.push(name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (source.parseDiagnostics.length > 0) kinds.push("ParseError");
  return kinds;
}

const result = {};
for (const file of files) result[file] = statementKinds(file);
process.stdout.write(JSON.stringify(result));
