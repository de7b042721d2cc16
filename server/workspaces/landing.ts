import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";

/**
 * Where a user lands on "/": the workspace they were in last, when they are
 * still a member of it; else the first (by name) that has customers, so that
 * a new member of a unit with data does not meet an empty workspace first;
 * else the first. Undefined when they belong to none.
 */
export async function landingWorkspace(db: DbOrTx, userId: string, lastSlug?: string) {
  const { rows } = await db.execute<{ slug: string; has_customers: boolean }>(sql`
    select w.slug, exists (select 1 from customers c where c.workspace_id = w.id) as has_customers
    from memberships m join workspaces w on w.id = m.workspace_id
    where m.user_id = ${userId}
    order by w.name, w.slug`);
  const last = rows.find((row) => row.slug === lastSlug);
  return (last ?? rows.find((row) => row.has_customers) ?? rows[0])?.slug;
}
