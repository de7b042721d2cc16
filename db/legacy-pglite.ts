import fs from "node:fs";
import path from "node:path";
import { clusterDirOf } from "./embedded";

// Earlier versions of Centric kept the embedded database in <data folder>/pglite
// (PGlite, PostgreSQL in WebAssembly). That folder is never read, changed or
// removed here: `npm run import-pglite` copies it into the embedded server.

export function legacyPgliteDir(dataDir: string) {
  return path.join(path.resolve(dataDir), "pglite");
}

/**
 * Why start-up must wait, when the folder holds an earlier version's database
 * and no server cluster yet: starting would seed an empty demo beside the
 * user's data, which then looks lost.
 */
export function legacyPgliteBlocksStart(dataDir: string): string | undefined {
  const legacy = legacyPgliteDir(dataDir);
  if (!fs.existsSync(legacy) || fs.existsSync(path.join(clusterDirOf(dataDir), "PG_VERSION")))
    return undefined;
  return [
    `${legacy} holds the database of an earlier version of Centric (PGlite), which this version no longer runs.`,
    "Your data there is untouched. Either:",
    `  - copy it into the new embedded PostgreSQL server:  npm run import-pglite -- --data-dir ${path.resolve(dataDir)}`,
    `  - or start afresh with the demo data: move the folder away (mv ${legacy} ${legacy}.old) and run npm start again.`,
  ].join("\n");
}
