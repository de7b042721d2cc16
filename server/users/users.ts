import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "~/db";
import { users } from "~/db/schema";
import { hashPassword, verifyPassword } from "~/server/auth/password";

export const ZEmail = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address"));
export const ZPersonName = z.string().trim().min(1, "Enter a name").max(120, "Name must be at most 120 characters");

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, normaliseEmail(email)));
  return user;
}

export async function createUser(db: DbOrTx, input: { email: string; name: string; password: string }) {
  const [user] = await db
    .insert(users)
    .values({ email: normaliseEmail(input.email), name: input.name, passwordHash: await hashPassword(input.password) })
    .returning({ id: users.id, email: users.email, name: users.name });
  return user!;
}

/** The user for these credentials, or undefined. Takes the same time either way. */
export async function checkCredentials(db: DbOrTx, email: string, password: string) {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash);
  return ok && user ? { id: user.id, email: user.email, name: user.name } : undefined;
}
