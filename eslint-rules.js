// Centric's import boundaries (README, "Layout of the code"). Store modules are the ones
// that start with `import "server-only"`; the rules read that marker from the imported
// file, so a new store module is covered the moment it is marked, and
// `server-only-first` makes sure every module that reaches the database is marked.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

/** The repository file an import names, or null for packages and unknown paths. */
function resolveImport(specifier, importer) {
  let base;
  if (specifier.startsWith("~/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(importer), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const SERVER_ONLY = /^\s*import\s+["']server-only["'];/;
const storeModules = new Map();
function isStoreModule(file) {
  if (!storeModules.has(file)) storeModules.set(file, SERVER_ONLY.test(fs.readFileSync(file, "utf8")));
  return storeModules.get(file);
}

const relative = (file) => path.relative(root, file).split(path.sep).join("/");

/** Every import, re-export and dynamic import of a file, with whether it is erased at compile time. */
function eachImport(check) {
  const visit = (node, typeOnly) => {
    if (node.source?.type !== "Literal" || typeof node.source.value !== "string") return;
    check(node, node.source.value, typeOnly);
  };
  const typeOnlyDeclaration = (node) =>
    node.importKind === "type" ||
    node.exportKind === "type" ||
    (node.specifiers?.length > 0 &&
      node.specifiers.every((s) => s.importKind === "type" || s.exportKind === "type"));
  return {
    ImportDeclaration: (node) => visit(node, typeOnlyDeclaration(node)),
    ExportNamedDeclaration: (node) => visit(node, typeOnlyDeclaration(node)),
    ExportAllDeclaration: (node) => visit(node, node.exportKind === "type"),
    ImportExpression: (node) => visit(node, false),
  };
}

function startsWithServerOnly(program) {
  const first = program.body[0];
  return (
    first?.type === "ImportDeclaration" && first.source.value === "server-only" && !first.specifiers.length
  );
}

const DATABASE_PACKAGES = /^(drizzle-orm|pg|pg-copy-streams)(\/|$)/;
const DATABASE_FILES = new Set(["db/index.ts", "db/schema.ts", "db/sql.ts"]);

/** A module that imports the database client, the tables, a query builder or a store module is a store module. */
const serverOnlyFirst = {
  meta: {
    type: "problem",
    docs: { description: 'Modules that reach the database start with import "server-only"' },
    schema: [],
  },
  create(context) {
    let marked = null;
    return {
      Program: (program) => {
        marked = startsWithServerOnly(program);
      },
      ...eachImport((node, specifier, typeOnly) => {
        if (marked || typeOnly) return;
        const target = resolveImport(specifier, context.filename);
        const reachesDatabase = target
          ? DATABASE_FILES.has(relative(target)) || isStoreModule(target)
          : DATABASE_PACKAGES.test(specifier);
        if (reachesDatabase) {
          context.report({
            node,
            message: `"${specifier}" reaches the database, so this module is a store module: start it with import "server-only" (or move the pure part to a module of its own).`,
          });
        }
      }),
    };
  },
};

/**
 * Client components take enums and types from db/enums.ts and pure modules, never tables or store
 * modules (a type from a store module is erased, so `import type` is allowed, except from db/);
 * db/ is the bottom of the graph; a route's _components belong to that route.
 */
const importBoundaries = {
  meta: {
    type: "problem",
    docs: { description: "What may depend on what" },
    schema: [],
  },
  create(context) {
    const importer = relative(context.filename);
    let client = false;
    return {
      Program: (program) => {
        client = program.body.some((s) => s.type === "ExpressionStatement" && s.directive === "use client");
      },
      ...eachImport((node, specifier, typeOnly) => {
        const file = resolveImport(specifier, context.filename);
        if (!file) return;
        const target = relative(file);
        const report = (message) => context.report({ node, message });
        if (client && target.startsWith("db/") && target !== "db/enums.ts") {
          report(
            `A client component must not import "${specifier}": take enums and types from ~/db/enums or a pure module.`,
          );
        } else if (client && !typeOnly && isStoreModule(file)) {
          report(
            `"${specifier}" is a store module (server-only): a client component reaches it through tRPC.`,
          );
        }
        if (importer.startsWith("db/") && target.startsWith("server/") && isStoreModule(file)) {
          report(`db/ is the bottom of the graph: it must not import the store module "${specifier}".`);
        }
        const components = target.indexOf("/_components/");
        if (target.startsWith("app/") && components >= 0) {
          const owner = target.slice(0, components);
          if (!importer.startsWith(`${owner}/`)) {
            report(
              `"${specifier}" belongs to the route ${owner}: shared UI lives in the _components folder above both routes.`,
            );
          }
        }
      }),
    };
  },
};

export default { rules: { "server-only-first": serverOnlyFirst, "import-boundaries": importBoundaries } };
