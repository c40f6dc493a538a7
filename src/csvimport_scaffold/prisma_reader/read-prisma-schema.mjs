// Reads a Prisma schema with @mrleebo/prisma-ast and prints its models and enums as JSON.
// usage: node read-prisma-schema.mjs MODULES_DIR SCHEMA
//   MODULES_DIR: the folder where package.json beside this script was installed (npm ci)
//   SCHEMA: a schema file, or a folder whose .prisma files (at any depth) form one schema
// stdout: {"models": [{"name", "file", "fields": [{"name", "type", "optional", "list",
//          "attributes"}], "attributes"}], "enums": [{"name", "values"}], "types": [names]}
//   an attribute is {"name": "unique" | "db.VarChar" | ..., "args": [{"key", "value"}]} (key
//   null when positional); a value is {"string": text} | {"literal": word or number} |
//   {"array": [values]} | {"function": name, "args": [{"key", "value"}]} | {"object": [...]}
// On a user's error (unreadable or invalid schema, too old a Node.js): one line on stderr, exit 2.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [modulesDir, schemaPath] = process.argv.slice(2);

function fail(message) {
  const oneLine = message.split("\n").map((line) => line.trim()).filter(Boolean).join(" ");
  process.stderr.write(`${oneLine}\n`);
  process.exit(2);
}

function loadParser() {
  const require = createRequire(path.join(modulesDir, "package.json"));
  try {
    return require("@mrleebo/prisma-ast");
  } catch (error) {
    // prisma-ast's parser (chevrotain) is an ES module that only newer Node.js can require
    if (error.code !== "ERR_REQUIRE_ESM") throw error;
    const engines = require("@mrleebo/prisma-ast/package.json").engines?.node ?? "a newer one";
    fail(`Node.js ${process.version} cannot run @mrleebo/prisma-ast: it needs Node.js ${engines}`);
  }
}

function schemaFiles(target) {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    fail(`Prisma schema not found: ${target}`);
  }
  if (!stats.isDirectory()) return [target];
  const files = readdirSync(target, { recursive: true })
    .filter((name) => name.endsWith(".prisma") && !name.split(path.sep).includes("node_modules"))
    .sort()
    .map((name) => path.join(target, name));
  if (files.length === 0) fail(`no .prisma file in ${target}`);
  return files;
}

function value(node) {
  if (typeof node === "string") {
    if (!node.startsWith('"')) return { literal: node };
    try {
      return { string: JSON.parse(node) };
    } catch {
      return { string: node.slice(1, -1) };
    }
  }
  if (node?.type === "array") return { array: node.args.map(value) };
  if (node?.type === "function") return { function: node.name, args: (node.params ?? []).map(argument) };
  if (node?.type === "object") return { object: node.properties.map(argument) };
  if (node?.type === "keyValue") return { object: [argument(node)] };
  return { literal: String(node) };
}

function argument(node) {
  const inner = node?.type === "attributeArgument" ? node.value : node;
  if (inner?.type === "keyValue") return { key: inner.key, value: value(inner.value) };
  return { key: null, value: value(inner) };
}

function attribute(node) {
  return {
    name: node.group ? `${node.group}.${node.name}` : node.name,
    args: (node.args ?? []).map(argument),
  };
}

function field(node) {
  const type = typeof node.fieldType === "string" ? node.fieldType : node.fieldType.name;
  return {
    name: node.name,
    type,
    optional: Boolean(node.optional),
    list: Boolean(node.array),
    attributes: (node.attributes ?? []).map(attribute),
  };
}

function readFile(file, parser) {
  const text = readFileSync(file, "utf8");
  try {
    return parser.getSchema(text).list;
  } catch (error) {
    const where = error.token?.startLine ? `${file}:${error.token.startLine}` : file;
    fail(`invalid Prisma schema ${where}: ${error.message}`);
  }
}

function readSchema(parser) {
  const root = statSync(schemaPath, { throwIfNoEntry: false })?.isDirectory() ? schemaPath : null;
  const result = { models: [], enums: [], types: [] };
  for (const file of schemaFiles(schemaPath)) {
    const relative = root ? path.relative(root, file) : path.basename(file);
    for (const block of readFile(file, parser)) {
      const properties = block.properties ?? [];
      if (block.type === "model") {
        result.models.push({
          name: block.name,
          file: relative,
          fields: properties.filter((p) => p.type === "field").map(field),
          attributes: properties.filter((p) => p.type === "attribute").map(attribute),
        });
      } else if (block.type === "enum") {
        const values = block.enumerators.filter((e) => e.type === "enumerator").map((e) => e.name);
        result.enums.push({ name: block.name, values });
      } else if (block.type === "type") {
        result.types.push(block.name);
      }
    }
  }
  return result;
}

try {
  process.stdout.write(`${JSON.stringify(readSchema(loadParser()))}\n`);
} catch (error) {
  // anything else (a damaged install, a schema this parser cannot walk): one line, not a stack
  const hint = error.code === "MODULE_NOT_FOUND" ? ` (delete ${modulesDir} to reinstall it)` : "";
  process.stderr.write(`the Prisma schema reader failed: ${error.message.split("\n")[0]}${hint}\n`);
  process.exit(1);
}
