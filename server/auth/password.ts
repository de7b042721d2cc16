import bcrypt from "bcryptjs";
import { z } from "zod";
import { env } from "~/server/env";

export const ZPassword = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(200, "Password must be at most 200 characters");

export function hashPassword(password: string) {
  return bcrypt.hash(password, env().CENTRIC_BCRYPT_COST);
}

// Compared against when the email is unknown, so that an unknown email takes
// as long to refuse as a wrong password and does not reveal who has an account.
let unknownUserHash: Promise<string> | undefined;

export async function verifyPassword(password: string, hash: string | undefined) {
  unknownUserHash ??= hashPassword("no such user");
  return bcrypt.compare(password, hash ?? (await unknownUserHash));
}
