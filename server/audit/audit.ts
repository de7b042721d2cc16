import "server-only";
import { and, desc, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { auditEvents, users } from "~/db/schema";

export interface AuditEntry {
  workspaceId: string;
  /** Who made the change; null for the system. */
  actorUserId: string | null;
  /** The procedure that made the change, e.g. "member.updateRole". */
  action: string;
  /** What happened, for people reading the log. */
  summary: string;
  details?: Record<string, unknown>;
}

const SECRET_KEY = /password|token|secret|hash/i;

/** Copies a procedure input for the log, without passwords, tokens or secrets. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? "[redacted]" : redact(inner)]),
    );
  }
  return value;
}

export async function recordAudit(db: DbOrTx, entries: AuditEntry[]) {
  if (entries.length === 0) return;
  await db.insert(auditEvents).values(
    entries.map((entry) => ({
      workspaceId: entry.workspaceId,
      actorUserId: entry.actorUserId,
      action: entry.action,
      summary: entry.summary,
      details: entry.details ?? {},
    })),
  );
}

export async function listAuditEvents({
  db,
  workspaceId,
  cursor,
  limit,
}: {
  db: DbOrTx;
  workspaceId: string;
  /** Id of the last event of the previous page; events are listed newest first. */
  cursor?: number;
  limit: number;
}) {
  const rows = await db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      summary: auditEvents.summary,
      details: auditEvents.details,
      createdAt: auditEvents.createdAt,
      actorName: users.name,
      actorEmail: users.email,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(eq(auditEvents.workspaceId, workspaceId), cursor ? lt(auditEvents.id, cursor) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { events: page, nextCursor: rows.length > limit ? page.at(-1)?.id : undefined };
}
