import "server-only";
import type { DbOrTx } from "~/db";
import { checkCredentials } from "~/server/users/users";
import { forgiveAttempt, lock, reserveAttempt, throttleKeys } from "./throttle";

/** A refusal whose message is shown to the person signing in. */
export class SignInError extends Error {
  name = "SignInError";
}

export const WRONG_CREDENTIALS = "Wrong email or password.";

/**
 * Checks an email and password, within the throttle. `address` is the client's
 * address as the server saw it (server/http/client-address.ts), never a header
 * the client chose.
 */
export async function signInWithPassword(
  db: DbOrTx,
  input: { email: string; password: string; address?: string },
  now = new Date(),
) {
  const keys = throttleKeys(input.email, input.address);
  const attempt = await reserveAttempt(db, keys, now);
  if (!attempt.allowed) {
    const minutes = Math.ceil(attempt.secondsToWait / 60);
    throw new SignInError(
      `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or ask an admin to check your account.`,
    );
  }
  const user = await checkCredentials(db, input.email, input.password);
  if (!user) {
    await lock(db, attempt.lockOnFailure, now);
    throw new SignInError(WRONG_CREDENTIALS);
  }
  await forgiveAttempt(db, keys);
  return user;
}
