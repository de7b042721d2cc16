import type { DbOrTx } from "~/db";
import { checkCredentials } from "~/server/users/users";
import { clearFailures, recordFailure, secondsUntilAllowed, throttleKeys } from "./throttle";

/** A refusal whose message is shown to the person signing in. */
export class SignInError extends Error {
  name = "SignInError";
}

export const WRONG_CREDENTIALS = "Wrong email or password.";

export async function signInWithPassword(
  db: DbOrTx,
  input: { email: string; password: string; address?: string },
  now = new Date(),
) {
  const keys = throttleKeys(input.email, input.address);
  const wait = await secondsUntilAllowed(db, keys, now);
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60);
    throw new SignInError(
      `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or ask an admin to check your account.`,
    );
  }
  const user = await checkCredentials(db, input.email, input.password);
  if (!user) {
    await recordFailure(db, keys, now);
    throw new SignInError(WRONG_CREDENTIALS);
  }
  await clearFailures(db, input.email);
  return user;
}
