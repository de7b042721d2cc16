import "server-only";
import { sql } from "drizzle-orm";
import { BACKGROUND_CONNECTIONS, type DbOrTx } from "~/db";
import { uuidArray } from "~/db/sql";
import {
  addEvent,
  addToSummaries,
  emptyDelta,
  recomputeSummaries,
  type SummaryDelta,
} from "~/server/identity/summary";
import type { NormalizedMessage } from "~/server/ingest/messages";
import { orderedSteps } from "~/server/jobs/ordered-steps";
import type { JobContext } from "~/server/jobs/runner";
import { queueRefreshesAfterImport } from "~/server/segments/store";
import { commitWithoutWaiting } from "./bulk-events";
import type { ImportCheckpoint } from "./job";

// The last phase of an import whose events took the bulk path. Customer
// summaries (counts, spend, first and last seen, channel mix) are brought up
// to date once per customer when every chunk is in, not once per chunk: a year
// of history touches most customers in every chunk, and each update rewrites
// the customer's row and its indexes. An import that ran from start to end in
// one go adds what it counted in memory; one that was interrupted or met rows
// stored before recomputes the summaries from the events, and so does every
// customer that a merge or a split touched meanwhile. A batch per step, two in
// the database at once; then the workspace's segments refresh.

/** Customers whose summaries are brought up to date per step. */
export const SUMMARY_BATCH = 1000;

/** Summary batches in the database at once: the background pool's connections. */
const STEPS_IN_FLIGHT = BACKGROUND_CONNECTIONS;

/**
 * The last phase of a bulk import: every customer it touched gets its summary
 * brought up to date, a batch per step, then the workspace's segments refresh.
 */
export async function summariesPhase(
  ctx: JobContext,
  input: {
    workspaceId: string;
    source: string;
    position: ImportCheckpoint;
    total: number;
    batch: number;
    counts: ImportedSummaryCounts;
    /** The database's time from which merges may have touched counted customers. */
    since: string;
  },
) {
  const { workspaceId, source, counts } = input;
  const previous = input.position.summaries;
  const counted = counts.complete && !previous;
  const customers = counted
    ? counts.customers()
    : await importedCustomers(ctx.db, { workspaceId, source, afterId: previous?.through ?? undefined });
  // Customers whose events moved to them by a merge during the import: recomputed last.
  const moved = new Set(previous?.moved ?? []);
  const done = previous?.done ?? 0;
  const all = done + customers.length;
  const steps = orderedSteps(ctx, STEPS_IN_FLIGHT);
  const checkpoint = (through: string | null, finished: number) => ({
    checkpoint: { ...input.position, summaries: { through, done: finished, moved: [...moved] } },
    done: input.total,
    total: input.total,
    message: `Updating customer summaries: ${finished.toLocaleString("en")} of ${all.toLocaleString("en")} customers`,
  });
  for (let i = 0; i < customers.length; i += input.batch) {
    const batch = customers.slice(i, i + input.batch);
    await steps.submit(
      async (tx) => {
        await commitWithoutWaiting(tx);
        if (!counted) return recomputeImportedSummaries(tx, workspaceId, batch);
        const elsewhere = await addCountedSummaries(tx, {
          workspaceId,
          since: input.since,
          customerIds: batch,
          counts,
        });
        for (const id of elsewhere) moved.add(id);
      },
      () => checkpoint(batch.at(-1)!, done + Math.min(customers.length, i + input.batch)),
    );
  }
  await steps.drain();
  await ctx.step(async (tx) => {
    if (moved.size > 0) await recomputeImportedSummaries(tx, workspaceId, [...moved].sort());
    await queueRefreshesAfterImport(tx, workspaceId);
    moved.clear();
    return checkpoint(customers.at(-1) ?? previous?.through ?? null, all);
  });
}

/**
 * Merges from this moment on may have recomputed a counted customer's summary;
 * with a margin for merges whose transaction started earlier and commits later.
 */
export async function mergesCountFrom(db: DbOrTx) {
  const result = await db.execute<{ at: string }>(sql`select (now() - interval '5 minutes')::text as at`);
  return result.rows[0]!.at;
}

/** Past this many customers an import stops counting in memory and recomputes summaries from the events. */
export const MAX_COUNTED_CUSTOMERS = 1_000_000;

/**
 * What an import added to each customer's summary, counted as its chunks are
 * stored. `complete` turns false when the counts may miss something; the
 * import then recomputes every summary from the events instead.
 */
export class ImportedSummaryCounts {
  private readonly deltas = new Map<string, SummaryDelta>();
  constructor(public complete: boolean) {}

  /** Counts a chunk whose every message was stored, for the customers they were stored for. */
  add(messages: NormalizedMessage[], customers: Map<string, string>) {
    if (!this.complete) return;
    for (const m of messages) {
      const customerId = customers.get(m.userId!)!;
      let delta = this.deltas.get(customerId);
      if (!delta) {
        delta = emptyDelta(customerId);
        this.deltas.set(customerId, delta);
      }
      addEvent(delta, m);
    }
    if (this.deltas.size > MAX_COUNTED_CUSTOMERS) this.giveUp();
  }

  giveUp() {
    this.complete = false;
    this.deltas.clear();
  }

  /** The counted customers in id order, the order summaries are written in. */
  customers() {
    return [...this.deltas.keys()].sort();
  }

  of(customerIds: string[]) {
    return customerIds.map((id) => this.deltas.get(id)!);
  }
}

/**
 * Adds a batch's counts to the summaries of its customers. A customer that a
 * merge or a split touched since `since` had its summary recomputed meanwhile
 * (counting some imported events already) or its events moved: it is
 * recomputed instead. The rows are locked first, so a merge that commits
 * after this check recomputes after these counts are in. Returns the customers
 * that such moved events belong to now, outside this batch, to recompute too.
 */
export async function addCountedSummaries(
  tx: DbOrTx,
  input: { workspaceId: string; since: string; customerIds: string[]; counts: ImportedSummaryCounts },
) {
  const { workspaceId, customerIds } = input;
  const ids = uuidArray(customerIds);
  await tx.execute(sql`
    select 1 from customers where workspace_id = ${workspaceId} and id = any(${ids}) order by id for update`);
  const { since } = input;
  const touched = await tx.execute<{ id: string }>(sql`
    with touched as (
      select t.id from identity_merges m, lateral (values (m.survivor_id), (m.merged_id)) as t (id)
      where m.workspace_id = ${workspaceId}
        and (m.created_at >= ${since}::timestamptz or m.undone_at >= ${since}::timestamptz)
        and t.id = any(${ids})
    )
    select id from touched
    union
    select e.customer_id from events e where e.workspace_id = ${workspaceId} and e.profile_id in (select id from touched)`);
  const moved = new Set(touched.rows.map((row) => row.id));
  const inBatch = new Set(customerIds);
  const counted = customerIds.filter((id) => !moved.has(id));
  if (counted.length > 0) await addToSummaries(tx, workspaceId, input.counts.of(counted));
  const again = [...moved].filter((id) => inBatch.has(id));
  if (again.length > 0) await recomputeSummaries(tx, workspaceId, again);
  return [...moved].filter((id) => !inBatch.has(id));
}

/** The customers that an import's events belong to now (merges followed), in id order, after `afterId`. */
export async function importedCustomers(
  db: DbOrTx,
  input: { workspaceId: string; source: string; afterId?: string },
) {
  const result = await db.execute<{ customer_id: string }>(sql`
    select distinct customer_id from events
    where workspace_id = ${input.workspaceId} and source = ${input.source}
      and customer_id > ${input.afterId ?? "00000000-0000-0000-0000-000000000000"}::uuid
    order by customer_id`);
  return result.rows.map((row) => row.customer_id);
}

/**
 * Recomputes these customers' summaries from all their events. Their rows are
 * locked first, in id order as the tracking API locks them, so that an event
 * arriving meanwhile waits and then adds to the recomputed figures.
 */
export async function recomputeImportedSummaries(tx: DbOrTx, workspaceId: string, customerIds: string[]) {
  await tx.execute(sql`
    select 1 from customers where workspace_id = ${workspaceId} and id = any(${uuidArray(customerIds)})
    order by id for update`);
  await recomputeSummaries(tx, workspaceId, customerIds);
}
