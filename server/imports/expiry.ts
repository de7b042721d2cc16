import "server-only";
import { lt } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { imports } from "~/db/schema";
import { removeUnstartedUploads } from "./imports";

// Uploads nobody started: a person who uploads a file and walks away from the
// mapping step leaves it "Not started". They can remove it from the list; the
// ones left a week are removed here, rows and files, so that abandoned files do
// not fill the data folder.

export const UPLOAD_EXPIRY_DAYS = 7;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** Removes the uploads never started that were made before `before`; returns how many. */
export async function removeAbandonedUploads(db: DbOrTx, input: { dataDir: string; before: Date }) {
  return (await removeUnstartedUploads(db, input.dataDir, lt(imports.createdAt, input.before))).length;
}

/** Sweeps at start and every hour; returns a function that stops it. */
export function startUploadExpiry(options: { db: Database; dataDir: string }) {
  const sweep = async () => {
    try {
      const before = new Date(Date.now() - UPLOAD_EXPIRY_DAYS * 24 * 3600 * 1000);
      const count = await removeAbandonedUploads(options.db, { dataDir: options.dataDir, before });
      if (count > 0)
        console.log(`[imports] removed ${count} upload(s) left unstarted for ${UPLOAD_EXPIRY_DAYS} days`);
    } catch (error) {
      console.error("[imports] could not remove abandoned uploads:", (error as Error).message);
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
