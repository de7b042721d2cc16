// After `next build`: the browser's JavaScript must hold none of drizzle's table code, which
// would mean a client component imports db/schema or a store module (README, boundaries).
//
//   node --import tsx scripts/check-browser-bundle.ts

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const chunks = path.join(import.meta.dirname, "..", ".next", "static", "chunks");

// Drizzle tags its classes with these names (entityKind) and its tables with this symbol;
// minifiers keep string literals.
const markers = [`"PgTable"`, `"PgColumn"`, `"drizzle:Name"`];

async function* scripts(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* scripts(file);
    else if (entry.name.endsWith(".js")) yield file;
  }
}

let checked = 0;
const found: string[] = [];
for await (const file of scripts(chunks)) {
  checked += 1;
  const text = await readFile(file, "utf8");
  const hits = markers.filter((marker) => text.includes(marker));
  if (hits.length > 0) found.push(`${path.relative(chunks, file)}: ${hits.join(", ")}`);
}

if (checked === 0) {
  console.error(`No scripts in ${chunks}: run next build first.`);
  process.exit(1);
}
if (found.length > 0) {
  console.error("The browser bundle holds drizzle's table definitions:\n  " + found.join("\n  "));
  process.exit(1);
}
console.log(`${checked} browser scripts, none with drizzle's table definitions.`);
