import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { refusedMessageCounts, refusedMessages, writeKeys } from "~/db/schema";
import { type RefusalReason } from "~/db/enums";

// What the tracking API refused, kept per write key so that a sender's mistakes
// show up in Settings → API keys instead of being lost: a count per reason and
// the latest few messages with the error they got. Refusals are gathered in
// memory and written at most a second later, one statement per key, so a
// refused request never waits for the database and a flood of them costs a
// write a second; accepted messages never come here.

/** Examples kept per write key: the newest. */
export const REFUSAL_EXAMPLES_PER_KEY = 20;
/** Characters of a refused message kept as its excerpt. */
export const EXCERPT_CHARS = 300;
/** Characters of the error kept with it. */
const ERROR_CHARS = 500;
const FLUSH_DELAY_MS = 1_000;

export interface RefusedMessage {
  reason: RefusalReason;
  /** The error the sender was answered. */
  error: string;
  excerpt: string | null;
  /** Index in the batch. */
  position: number | null;
}

export interface RefusalKey {
  workspaceId: string;
  keyId: string;
}

interface Pending {
  db: DbOrTx;
  key: RefusalKey;
  counts: Map<RefusalReason, { count: number; lastAt: Date }>;
  examples: (RefusedMessage & { at: Date })[];
}

export class RefusalLog {
  private pending = new Map<string, Pending>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly delayMs = FLUSH_DELAY_MS) {}

  /** Counts each message and keeps it as an example. */
  note(db: DbOrTx, key: RefusalKey, messages: RefusedMessage[], at = new Date()) {
    if (messages.length === 0) return;
    const entry = this.entry(db, key);
    for (const message of messages) this.count(entry, message.reason, 1, at);
    // An error quotes what was sent (a field's name, JSON.parse's view of the body), so it may
    // hold the very text that got the message refused; stored as it is, it would fail the write.
    entry.examples.push(
      ...messages
        .slice(-REFUSAL_EXAMPLES_PER_KEY)
        .map((m) => ({ ...m, error: storable(m.error, ERROR_CHARS), at })),
    );
    entry.examples.splice(0, entry.examples.length - REFUSAL_EXAMPLES_PER_KEY);
    this.schedule();
  }

  /** Counts `count` messages refused for `reason`, without examples (a rate-limited batch). */
  noteCount(db: DbOrTx, key: RefusalKey, reason: RefusalReason, count: number, at = new Date()) {
    this.count(this.entry(db, key), reason, count, at);
    this.schedule();
  }

  /** Writes everything noted so far; resolves when it is stored (failures are logged, never thrown). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = [...this.pending.values()];
    this.pending = new Map();
    this.writing = this.writing.then(async () => {
      for (const entry of entries) {
        try {
          await storeRefusals(entry.db, entry.key, entry);
        } catch (error) {
          const n = [...entry.counts.values()].reduce((sum, c) => sum + c.count, 0);
          console.error(
            `[ingest] could not record ${n} refused messages of write key ${entry.key.keyId}:`,
            error,
          );
        }
      }
    });
    return this.writing;
  }

  private entry(db: DbOrTx, key: RefusalKey) {
    let entry = this.pending.get(key.keyId);
    if (!entry) this.pending.set(key.keyId, (entry = { db, key, counts: new Map(), examples: [] }));
    return entry;
  }

  private count(entry: Pending, reason: RefusalReason, count: number, at: Date) {
    const current = entry.counts.get(reason);
    entry.counts.set(reason, { count: (current?.count ?? 0) + count, lastAt: at });
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    // Pending refusals do not keep a process alive that is otherwise done.
    this.timer.unref?.();
  }
}

/** Adds the counts, keeps the examples and drops the key's examples past the newest REFUSAL_EXAMPLES_PER_KEY. */
async function storeRefusals(db: DbOrTx, key: RefusalKey, entry: Pick<Pending, "counts" | "examples">) {
  const counts = [...entry.counts].map(([reason, c]) => ({
    reason,
    count: c.count,
    last_at: c.lastAt.toISOString(),
  }));
  const examples = entry.examples.map((e) => ({
    reason: e.reason,
    error: e.error,
    excerpt: e.excerpt,
    position: e.position,
    refused_at: e.at.toISOString(),
  }));
  // The DELETE sees the rows from before this statement: of those it keeps as many of the
  // newest as leave room for the ones added now.
  await db.execute(sql`
    with counted as (
      insert into refused_message_counts (workspace_id, write_key_id, reason, count, last_at)
      select ${key.workspaceId}, ${key.keyId}, c.reason::refusal_reason, c.count, c.last_at
      from jsonb_to_recordset(${JSON.stringify(counts)}::jsonb) as c (reason text, count bigint, last_at timestamptz)
      on conflict (workspace_id, write_key_id, reason) do update
        set count = refused_message_counts.count + excluded.count,
            last_at = greatest(refused_message_counts.last_at, excluded.last_at)
    ), added as (
      insert into refused_messages (workspace_id, write_key_id, reason, error, excerpt, position, refused_at)
      select ${key.workspaceId}, ${key.keyId}, e.reason::refusal_reason, e.error, e.excerpt, e.position, e.refused_at
      from jsonb_to_recordset(${JSON.stringify(examples)}::jsonb) as e (
        reason text, error text, excerpt text, position int, refused_at timestamptz)
      returning 1
    )
    delete from refused_messages
    where workspace_id = ${key.workspaceId} and write_key_id = ${key.keyId}
      and id not in (
        select id from refused_messages
        where workspace_id = ${key.workspaceId} and write_key_id = ${key.keyId}
        order by id desc
        limit greatest(0, ${REFUSAL_EXAMPLES_PER_KEY} - (select count(*) from added)))`);
}

// ---------------------------------------------------------------------------
// Excerpts: the start of what was sent, as JSON, without the write key, and
// always storable (no NUL, no half of a surrogate pair), however hostile.
// ---------------------------------------------------------------------------

const MAX_EXCERPT_DEPTH = 8;
/** The start of `value` as JSON, at most EXCERPT_CHARS characters, without a top-level `writeKey` or the key itself. */
export function excerptOf(value: unknown, writeKey: string): string {
  // The key is blanked in each text before it is cut, so no part of it can be left at a cut.
  const clip = (text: string) => JSON.stringify(text.replaceAll(writeKey, "…").slice(0, EXCERPT_CHARS + 1));
  let out = "";
  const full = () => out.length > EXCERPT_CHARS;
  const visit = (v: unknown, depth: number) => {
    if (v === null || typeof v !== "object") {
      // Strings are cut before they are quoted, so a 32 KB text costs no more than a short one.
      out += typeof v === "string" ? clip(v) : (JSON.stringify(v) ?? "null");
      return;
    }
    const isArray = Array.isArray(v);
    if (depth >= MAX_EXCERPT_DEPTH) {
      out += isArray ? "[…]" : "{…}";
      return;
    }
    out += isArray ? "[" : "{";
    let first = true;
    const item = (text: string, inner: unknown) => {
      if (!first) out += ",";
      first = false;
      out += text;
      visit(inner, depth + 1);
    };
    // Walked lazily, not by Object.entries: a batch may hold an array of a hundred thousand items.
    if (isArray) {
      for (let i = 0; i < v.length && !full(); i++) item("", v[i]);
    } else {
      for (const key in v) {
        if (full()) break;
        if (!Object.hasOwn(v, key) || (depth === 0 && key === "writeKey")) continue;
        item(`${clip(key)}:`, (v as Record<string, unknown>)[key]);
      }
    }
    if (!full()) out += isArray ? "]" : "}";
  };
  visit(value, 0);
  return shorten(out);
}

/** A raw body that is not JSON: its start, the write key blanked and text PostgreSQL refuses replaced. */
export function excerptOfText(text: string, writeKey: string): string {
  return storable(text.replaceAll(writeKey, "…").slice(0, EXCERPT_CHARS + 1), EXCERPT_CHARS);
}

/** At most `max` characters, NUL and lone surrogates replaced by U+FFFD: text PostgreSQL takes. */
function storable(text: string, max: number) {
  return shorten(text.replace(/\u0000|\p{Cs}/gu, "\ufffd"), max);
}

function shorten(text: string, max = EXCERPT_CHARS) {
  if (text.length <= max) return text;
  // Not between the two halves of a surrogate pair: one alone cannot be stored.
  const end = /[\ud800-\udbff]/.test(text[max - 1]!) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

// ---------------------------------------------------------------------------
// Reading: Settings → API keys
// ---------------------------------------------------------------------------

export interface KeyRefusals {
  keyId: string;
  keyName: string;
  revoked: boolean;
  total: number;
  lastAt: Date;
  counts: { reason: RefusalReason; count: number; lastAt: Date }[];
  latest: {
    id: number;
    reason: RefusalReason;
    error: string;
    excerpt: string | null;
    position: number | null;
    refusedAt: Date;
  }[];
}

/** The workspace's keys that had messages refused, the most recently refused first; never the keys themselves. */
export async function listRefusals(db: DbOrTx, workspaceId: string): Promise<KeyRefusals[]> {
  const [counts, examples] = await Promise.all([
    db
      .select({
        keyId: refusedMessageCounts.writeKeyId,
        keyName: writeKeys.name,
        revokedAt: writeKeys.revokedAt,
        reason: refusedMessageCounts.reason,
        count: refusedMessageCounts.count,
        lastAt: refusedMessageCounts.lastAt,
      })
      .from(refusedMessageCounts)
      .innerJoin(
        writeKeys,
        and(
          eq(writeKeys.workspaceId, refusedMessageCounts.workspaceId),
          eq(writeKeys.id, refusedMessageCounts.writeKeyId),
        ),
      )
      .where(eq(refusedMessageCounts.workspaceId, workspaceId)),
    db
      .select({
        id: refusedMessages.id,
        keyId: refusedMessages.writeKeyId,
        reason: refusedMessages.reason,
        error: refusedMessages.error,
        excerpt: refusedMessages.excerpt,
        position: refusedMessages.position,
        refusedAt: refusedMessages.refusedAt,
      })
      .from(refusedMessages)
      .where(eq(refusedMessages.workspaceId, workspaceId))
      .orderBy(desc(refusedMessages.id)),
  ]);
  const byKey = new Map<string, KeyRefusals>();
  for (const row of counts) {
    let key = byKey.get(row.keyId);
    if (!key) {
      key = {
        keyId: row.keyId,
        keyName: row.keyName,
        revoked: row.revokedAt !== null,
        total: 0,
        lastAt: row.lastAt,
        counts: [],
        latest: [],
      };
      byKey.set(row.keyId, key);
    }
    key.total += row.count;
    if (row.lastAt > key.lastAt) key.lastAt = row.lastAt;
    key.counts.push({ reason: row.reason, count: row.count, lastAt: row.lastAt });
  }
  for (const { keyId, ...example } of examples) byKey.get(keyId)?.latest.push(example);
  for (const key of byKey.values())
    key.counts.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return [...byKey.values()].sort(
    (a, b) => b.lastAt.getTime() - a.lastAt.getTime() || a.keyName.localeCompare(b.keyName),
  );
}
