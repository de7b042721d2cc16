import { eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { signInFailures } from "~/db/schema";

// Repeated failed sign-ins lock the email (against guessing one account's
// password) and the client address (against trying many accounts) for a while.
// Kept in the database so a restart does not reset the count.

export const throttlePolicy = {
  windowMinutes: 15,
  lockMinutes: 15,
  maxFailuresPerEmail: 5,
  maxFailuresPerAddress: 30,
};

export function throttleKeys(email: string, address: string | undefined) {
  const keys = [{ key: `email:${email.trim().toLowerCase()}`, max: throttlePolicy.maxFailuresPerEmail }];
  if (address) keys.push({ key: `ip:${address}`, max: throttlePolicy.maxFailuresPerAddress });
  return keys;
}

type Keys = ReturnType<typeof throttleKeys>;

/** Seconds until sign-in is allowed again for these keys, or 0 when it is allowed now. */
export async function secondsUntilAllowed(db: DbOrTx, keys: Keys, now = new Date()) {
  const rows = await db
    .select({ lockedUntil: signInFailures.lockedUntil })
    .from(signInFailures)
    .where(inArray(signInFailures.key, keys.map((k) => k.key)));
  const until = Math.max(0, ...rows.map((row) => row.lockedUntil?.getTime() ?? 0));
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}

export async function recordFailure(db: DbOrTx, keys: Keys, now = new Date()) {
  const windowStart = new Date(now.getTime() - throttlePolicy.windowMinutes * 60_000);
  const lockedUntil = new Date(now.getTime() + throttlePolicy.lockMinutes * 60_000);
  for (const { key, max } of keys) {
    const expired = sql`${signInFailures.windowStartedAt} < ${windowStart}`;
    const [row] = await db
      .insert(signInFailures)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: signInFailures.key,
        set: {
          failures: sql`case when ${expired} then 1 else ${signInFailures.failures} + 1 end`,
          windowStartedAt: sql`case when ${expired} then ${now} else ${signInFailures.windowStartedAt} end`,
        },
      })
      .returning({ failures: signInFailures.failures });
    if (row && row.failures >= max) {
      await db.update(signInFailures).set({ lockedUntil }).where(eq(signInFailures.key, key));
    }
  }
}

/** A successful sign-in forgets the account's failures (not the address's). */
export async function clearFailures(db: DbOrTx, email: string) {
  await db.delete(signInFailures).where(eq(signInFailures.key, `email:${email.trim().toLowerCase()}`));
}
