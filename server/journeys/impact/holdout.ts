import "server-only";
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";

// Who of a live journey's entrants is held out as its control group. The
// choice is a hash of the journey and the customer, not a draw: the same
// customer is always on the same side of the same journey (a re-entry too), it
// needs no state, and the database (at entry) and the dry run agree on it. The
// SQL and the TypeScript below compute the same thing, and a test holds them to it.

export { DEFAULT_HOLDOUT_PERCENT, MAX_HOLDOUT_PERCENT } from "./holdout-limits";

/** The customer's point in 0–99: the first 32 bits of md5("<journey id>:<customer id>"), modulo 100. */
export function holdoutPoint(journeyId: string, customerId: string): number {
  const digest = createHash("md5").update(`${journeyId.toLowerCase()}:${customerId.toLowerCase()}`).digest();
  return digest.readUInt32BE(0) % 100;
}

export function isHeldOut(journeyId: string, customerId: string, percent: number): boolean {
  return holdoutPoint(journeyId, customerId) < percent;
}

/** The same choice in SQL, for the statements that enrol customers. */
export function heldOutSql(journeyId: string, customerId: SQL, percent: number): SQL {
  return sql`((('x' || substr(md5(${journeyId}::uuid::text || ':' || ${customerId}::text), 1, 8))::bit(32)::bigint % 100) < ${percent}::int)`;
}
