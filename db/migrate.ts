import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type { Database } from "./index";

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies the committed drizzle-kit migrations that this database has not seen yet. */
export async function migrateDatabase(db: Database) {
  await migrate(db, { migrationsFolder });
}
