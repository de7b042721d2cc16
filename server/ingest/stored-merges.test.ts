import { sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { buildStreams, syncStreams } from "~/server/segments/streams";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { ingestMessages } from "./ingest";

// A batch that merges many stored profiles stores what the same messages store
// sent one batch each: the merges of a batch are written together, and this
// holds them to the one-at-a-time result.

const PAIRS = 48;
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();

/** Known profile i (userId, traits, a purchase) and anonymous profile i (a purchase, a page, traits). */
function storedProfiles() {
  const messages: unknown[] = [];
  for (let i = 0; i < PAIRS; i++) {
    messages.push(
      { type: "identify", userId: `u${i}`, traits: { email: `u${i}@example.com`, name: `User ${i}`, plan: "free" }, messageId: `k1-${i}`, timestamp: at(i) },
      { type: "track", userId: `u${i}`, event: "Order Completed", properties: { revenue: 10 + i }, context: { channel: "POS" }, messageId: `k2-${i}`, timestamp: at(100 + i) },
      { type: "track", anonymousId: `a${i}`, event: "Order Completed", properties: { revenue: 5 }, messageId: `a1-${i}`, timestamp: at(200 + i) },
      { type: "page", anonymousId: `a${i}`, name: "Home", messageId: `a2-${i}`, timestamp: at(300 + i) },
      { type: "identify", anonymousId: `a${i}`, traits: { plan: "trial", utm: `spring-${i}`, phone: `+331234567${String(i).padStart(2, "0")}` }, messageId: `a3-${i}`, timestamp: at(400 + i) },
    );
  }
  // A, B and C end up one profile within the merging batch: A into B, then B into C. The traits conflict.
  messages.push(
    { type: "identify", anonymousId: "anonA", traits: { email: "a@example.com", color: "red", shoe: 42 }, messageId: "A1", timestamp: at(500) },
    { type: "track", anonymousId: "anonA", event: "Order Completed", properties: { revenue: 7 }, messageId: "A2", timestamp: at(501) },
    { type: "identify", anonymousId: "anonB", traits: { color: "blue", size: "L" }, messageId: "B1", timestamp: at(502) },
    { type: "page", anonymousId: "anonB", name: "Pricing", messageId: "B2", timestamp: at(503) },
    { type: "identify", userId: "c", traits: { name: "Cee", size: "M" }, messageId: "C1", timestamp: at(504) },
  );
  return messages;
}

/** 48 identifies each merging anonymous profile i into known profile i, with the A → B → C chain among them. */
function mergingIdentifies() {
  const messages: unknown[] = Array.from({ length: PAIRS }, (_, i) => ({
    type: "identify",
    userId: `u${i}`,
    anonymousId: `a${i}`,
    messageId: `m-${i}`,
    timestamp: at(600 + i),
  }));
  // B is reached through its anonymousId first (the anchor) and A through the email only it has.
  messages.splice(10, 0, { type: "identify", anonymousId: "anonB", traits: { email: "a@example.com" }, messageId: "chain-1", timestamp: at(700) });
  messages.splice(30, 0, { type: "identify", userId: "c", anonymousId: "anonB", messageId: "chain-2", timestamp: at(701) });
  return messages;
}

/**
 * A workspace's stored state with each profile named by the identifiers it
 * first joined (ids differ between workspaces): where events and identifiers
 * are, what merged into what, the summaries and traits of standing profiles,
 * and their streams.
 */
async function storedState(db: Database, workspaceId: string) {
  const { rows } = await db.execute<{ part: string; row: unknown }>(sql`
    with names as (
      select c.id, (select string_agg(i.kind || ':' || i.value, ',' order by i.kind, i.value)
                    from identities i where i.workspace_id = c.workspace_id and i.profile_id = c.id) as name
      from customers c where c.workspace_id = ${workspaceId}
    )
    select 'event' as part, jsonb_build_array(e.message_id, cn.name, pn.name) as row
    from events e join names cn on cn.id = e.customer_id join names pn on pn.id = e.profile_id
    where e.workspace_id = ${workspaceId}
    union all
    select 'identity', jsonb_build_array(i.kind, i.value, cn.name, pn.name)
    from identities i join names cn on cn.id = i.customer_id join names pn on pn.id = i.profile_id
    where i.workspace_id = ${workspaceId}
    union all
    select 'merged', jsonb_build_array(n.name, s.name)
    from customers c join names n on n.id = c.id left join names s on s.id = c.merged_into
    where c.workspace_id = ${workspaceId}
    union all
    select 'summary', jsonb_build_array(n.name, c.event_count, c.purchase_count, c.total_spend::text, c.first_seen_at,
      c.last_seen_at, c.channel_counts, c.traits, c.name, c.email, c.phone)
    from customers c join names n on n.id = c.id
    where c.workspace_id = ${workspaceId} and c.merged_into is null
    union all
    select 'stream', jsonb_build_array(n.name, s.event, s.channel, s.n, s.first_at, s.last_at, s.times::text)
    from customer_streams s join names n on n.id = s.customer_id
    where s.workspace_id = ${workspaceId}`);
  const state: Record<string, string[]> = {};
  for (const { part, row } of rows) (state[part] ??= []).push(JSON.stringify(row));
  for (const list of Object.values(state)) list.sort();
  return state;
}

describeEachDatabase("merges of stored profiles in one batch", (getDb) => {
  let batched: string;
  let oneByOne: string;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    batched = (await makeWorkspace(getDb(), "Batched")).workspace.id;
    oneByOne = (await makeWorkspace(getDb(), "One by one")).workspace.id;
  });

  const ingest = (workspaceId: string, messages: unknown[]) =>
    ingestMessages(getDb(), { workspaceId, messages, source: "api" });

  it("stores what merging them one batch at a time stores", async () => {
    for (const workspaceId of [batched, oneByOne]) {
      await ingest(workspaceId, storedProfiles());
      await buildStreams(getDb(), { workspaceId, settleMs: 0 });
    }
    const merges = mergingIdentifies();
    expect(merges).toHaveLength(50);
    expect(await ingest(batched, merges)).toMatchObject({ accepted: 50 });
    for (const message of merges) expect(await ingest(oneByOne, [message])).toMatchObject({ accepted: 1 });
    for (const workspaceId of [batched, oneByOne]) await syncStreams(getDb(), { workspaceId, settleMs: 0 });

    const expected = await storedState(getDb(), oneByOne);
    const actual = await storedState(getDb(), batched);
    expect(actual).toEqual(expected);

    // And that state is the merged one: every anonymous profile and A, B went into a known profile.
    expect(actual.merged!.filter((row) => !row.endsWith(",null]"))).toHaveLength(PAIRS + 2);
    const summary = (name: string) => JSON.parse(actual.summary!.find((row) => row.startsWith(`["${name}"`))!);
    expect(summary("user_id:u3,email:u3@example.com")).toEqual([
      "user_id:u3,email:u3@example.com",
      6,
      2,
      "18.00",
      "2026-03-01T10:03:00+00:00",
      "2026-03-01T20:03:00+00:00",
      { web: 1, other: 4, store: 1 },
      { email: "u3@example.com", name: "User 3", plan: "free", utm: "spring-3", phone: "+33123456703" },
      "User 3",
      "u3@example.com",
      "+33123456703",
    ]);
    // C's traits win, then B's (which took A's in), then A's.
    const c = summary("user_id:c") as unknown[];
    expect(c.slice(1, 4)).toEqual([7, 1, "7.00"]);
    expect(c[7]).toEqual({ name: "Cee", size: "M", color: "blue", email: "a@example.com", shoe: 42 });
    expect(actual.stream!.some((row) => row.includes("anonymous_id:a3"))).toBe(false);
  });
});
