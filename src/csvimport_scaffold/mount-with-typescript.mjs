// Finds, with the project's own TypeScript parser, where a page takes a mounted component:
// the line its import goes before, and the line its JSX goes before (the closing tag of the
// outermost JSX element the default export returns), or why the page cannot safely take one.
// stdin: {"root": "/abs/project", "path": "relative/page.tsx", "text": "page source"}
// stdout: {"importAt": 0, "jsxAt": 120, "indent": "      "} or {"reason": "..."}
// Offsets count code points (as Python does), not JavaScript's UTF-16 units.
import { createRequire } from "node:module";
import path from "node:path";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { root, path: relative, text } = JSON.parse(Buffer.concat(chunks).toString("utf8"));

class Refusal extends Error {}

let ts;
try {
  ts = createRequire(path.join(root, "package.json"))("typescript");
} catch {
  ts = null;
}

let answer;
try {
  if (ts === null) throw new Refusal("typescript is not installed in the project");
  answer = findSpots(parse(text, relative));
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  answer = { reason: error.message };
}
process.stdout.write(JSON.stringify(answer));

function parse(source, fileName) {
  const kinds = { ".tsx": ts.ScriptKind.TSX, ".ts": ts.ScriptKind.TS, ".jsx": ts.ScriptKind.JSX };
  const kind = kinds[path.extname(fileName)] ?? ts.ScriptKind.JS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  // parseDiagnostics holds the syntax errors; every TypeScript 4.x and 5.x has it
  const [first] = file.parseDiagnostics ?? [];
  if (first) {
    const { line } = file.getLineAndCharacterOfPosition(first.start ?? 0);
    const message = ts.flattenDiagnosticMessageText(first.messageText, " ");
    throw new Refusal(`it does not parse (line ${line + 1}: ${message})`);
  }
  return file;
}

function findSpots(file) {
  const component = defaultExport(file);
  const element = returnedElement(file, component);
  const closing = element.closingElement ?? element.closingFragment;
  const opening = element.openingElement ?? element.openingFragment;
  const closingStart = closing.getStart(file);
  const jsxAt = lineStart(closingStart);
  const tag = closing.getText(file);
  if (opening.end > jsxAt) {
    throw new Refusal(`the JSX it returns opens and closes (${tag}) on one line`);
  }
  if (!isBlank(text.slice(jsxAt, closingStart))) {
    throw new Refusal(`the closing tag ${tag} shares its line with other JSX`);
  }
  return {
    importAt: codePoints(importLine(file)),
    jsxAt: codePoints(jsxAt),
    indent: childIndent(file, element.children, text.slice(jsxAt, closingStart)),
  };
}

// The function the default export names, or a Refusal saying what it is instead.
function defaultExport(file) {
  for (const statement of file.statements) {
    if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) return asComponent(file, statement);
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      return asComponent(file, statement.expression);
    }
    if (ts.isExportDeclaration(statement) && statement.exportClause?.elements) {
      for (const element of statement.exportClause.elements) {
        if (element.name.text !== "default") continue;
        if (statement.moduleSpecifier) {
          throw new Refusal("its default export comes from another module");
        }
        return asComponent(file, element.propertyName ?? element.name);
      }
    }
  }
  throw new Refusal("it has no default export");
}

function asComponent(file, node) {
  node = unwrap(node);
  if (ts.isIdentifier(node)) return asComponent(file, declarationOf(file, node.text));
  if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
    throw new Refusal("its default export is a class component");
  }
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
    return node;
  }
  throw new Refusal("its default export is not a function component");
}

function declarationOf(file, name) {
  for (const statement of file.statements) {
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.name?.text === name &&
      (statement.body || ts.isClassDeclaration(statement))
    ) {
      return statement;
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) {
          if (!declaration.initializer) break;
          return declaration.initializer;
        }
      }
    }
  }
  throw new Refusal(`its default export ${name} is not a function declared in the page`);
}

// The one JSX element or fragment the component returns.
function returnedElement(file, component) {
  const body = component.body;
  if (!body) throw new Refusal("its default export has no body");
  const returned = ts.isBlock(body) ? returnsOf(body).map((r) => r.expression) : [body];
  const withJsx = returned.filter((expression) => expression && containsJsx(expression));
  if (withJsx.length === 0) throw new Refusal("its default export returns no JSX element");
  if (withJsx.length > 1) {
    throw new Refusal("its default export returns JSX from several return statements");
  }
  const element = unwrap(withJsx[0]);
  if (ts.isJsxSelfClosingElement(element)) {
    throw new Refusal(`its default export returns ${element.getText(file)}, which has no children`);
  }
  if (!ts.isJsxElement(element) && !ts.isJsxFragment(element)) {
    throw new Refusal("its default export does not return one JSX element");
  }
  return element;
}

// The function's own return statements, not those of functions nested in it.
function returnsOf(node) {
  const found = [];
  const visit = (child) => {
    if (ts.isReturnStatement(child)) found.push(child);
    else if (!ts.isFunctionLike(child) && !ts.isClassLike(child)) ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

function containsJsx(node) {
  if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) {
    return true;
  }
  return ts.forEachChild(node, containsJsx) ?? false;
}

function unwrap(node) {
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    (ts.isSatisfiesExpression?.(node) ?? false)
  ) {
    node = node.expression;
  }
  return node;
}

function hasModifier(node, kind) {
  return (node.modifiers ?? []).some((modifier) => modifier.kind === kind);
}

// The start of the line after the last import, else after a leading directive such as
// "use client", else the top of the file.
function importLine(file) {
  const imports = file.statements.filter(
    (s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s),
  );
  const directives = [];
  for (const statement of file.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    directives.push(statement);
  }
  const after = imports.at(-1) ?? directives.at(-1);
  if (!after) return 0;
  const next = text.indexOf("\n", after.end);
  if (next === -1) throw new Refusal("its last import or directive ends the file");
  return next + 1;
}

// The indentation of the last child that starts a line, else one step in from the closing tag.
function childIndent(file, children, closingIndent) {
  for (const child of [...children].reverse()) {
    let start = child.getStart(file);
    if (ts.isJsxText(child)) {
      const offset = text.slice(child.pos, child.end).search(/\S/);
      if (offset === -1) continue;
      start = child.pos + offset;
    }
    const indent = text.slice(lineStart(start), start);
    if (isBlank(indent)) return indent;
  }
  return closingIndent + (closingIndent.includes("\t") ? "\t" : "  ");
}

function lineStart(position) {
  return position === 0 ? 0 : text.lastIndexOf("\n", position - 1) + 1;
}

function isBlank(segment) {
  return /^[ \t]*$/.test(segment);
}

function codePoints(position) {
  return Array.from(text.slice(0, position)).length;
}
