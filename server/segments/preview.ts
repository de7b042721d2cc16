import "server-only";
import { sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { QueryCancelledError } from "~/server/errors";
import { valueFitExists } from "~/server/valuation/fits";
import { countAndSampleMatching, countMatchingInSample } from "./matching";
import { loadValueThresholds } from "./thresholds";
import { assertReferencesValid, usesValue } from "./references";
import { parseRule, type Rule } from "./rules";

// The editor's live count: how many customers a rule picks now, what share of
// the workspace that is, and a few of them. It runs as the editor types
// (debounced in the browser), so it is bounded: a statement timeout, and a
// request the browser abandoned cancels its query on the server.

// In a large workspace an exact count can take seconds (docs/benchmarks.md#segments), so
// the editor asks twice: an estimate from a block sample of about
// ESTIMATE_SAMPLE customers, shown at once with its margin, then the exact count.

export const PREVIEW_TIMEOUT_MS = 30_000;
/** Workspaces up to this many customers are always counted exactly. */
export const ESTIMATE_ABOVE = 100_000;
const ESTIMATE_SAMPLE = 10_000;
export const PREVIEW_SAMPLE_SIZE = 8;
const TOTAL_TTL_MS = 60_000;

// The workspace's customer count changes slowly and costs a scan, so the share
// is taken against a count at most a minute old.
const totals = new Map<string, { total: number; at: number }>();

async function workspaceTotal(db: DbOrTx, workspaceId: string) {
  const cached = totals.get(workspaceId);
  if (cached && Date.now() - cached.at < TOTAL_TTL_MS) return cached.total;
  const result = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from customers c where c.workspace_id = ${workspaceId}::uuid and c.merged_into is null`);
  const total = result.rows[0]?.n ?? 0;
  totals.set(workspaceId, { total, at: Date.now() });
  return total;
}

/** Cancels the transaction's running statement, from another connection, when `signal` aborts. */
async function cancelOnAbort(db: Database, tx: DbOrTx, signal: AbortSignal | undefined) {
  if (!signal) return () => undefined;
  // now() is the transaction's start: with the backend's pid it names this transaction alone.
  const [me] = (
    await tx.execute<{ pid: number; started: string }>(
      sql`select pg_backend_pid() as pid, now()::text as started`,
    )
  ).rows;
  const cancel = () =>
    void db
      .execute(
        sql`select pg_cancel_backend(a.pid) from pg_stat_activity a
        where a.pid = ${me!.pid}::int and a.xact_start = ${me!.started}::timestamptz`,
      )
      .catch(() => undefined);
  signal.addEventListener("abort", cancel, { once: true });
  return () => signal.removeEventListener("abort", cancel);
}

/** Whether the rule reads customer value that the workspace has not got: no value fit has succeeded yet. */
async function lacksValueFit(db: DbOrTx, workspaceId: string, rule: Rule) {
  if (!usesValue(rule)) return false;
  const result = await db.execute<{ fitted: boolean }>(sql`select ${valueFitExists(workspaceId)} as fitted`);
  return !result.rows[0]?.fitted;
}

export async function previewRule(
  db: Database,
  input: {
    workspaceId: string;
    rule: unknown;
    /** The segment being edited: its rule may not lead back to it. */
    segmentId?: string;
    signal?: AbortSignal;
    /** "estimate": from a sample when the workspace is larger than `estimateAbove`; exact otherwise. */
    mode?: "estimate" | "exact";
    estimateAbove?: number;
    now?: Date;
  },
) {
  const started = performance.now();
  const { workspaceId } = input;
  const rule = parseRule(input.rule);
  try {
    return await db.transaction(async (tx) => {
      // No JIT: its planner costs the estimate's sample at millions (a subquery per
      // customer), so compiling would take a large share of the estimate's time.
      await tx.execute(
        sql`select set_config('statement_timeout', ${String(PREVIEW_TIMEOUT_MS)}, true), set_config('jit', 'off', true)`,
      );
      const resolveSegment = await assertReferencesValid(tx, {
        workspaceId,
        segmentId: input.segmentId ?? null,
        rule,
      });
      const stop = await cancelOnAbort(db, tx, input.signal);
      try {
        const options = {
          now: input.now,
          resolveSegment,
          thresholds: await loadValueThresholds(tx, workspaceId, rule),
        };
        const total = await workspaceTotal(tx, workspaceId);
        // Value conditions match no one before the first fit; the editor says so rather than "no match".
        const valueFitMissing = await lacksValueFit(tx, workspaceId, rule);
        if (input.mode === "estimate" && total > (input.estimateAbove ?? ESTIMATE_ABOVE)) {
          const found = await countMatchingInSample(tx, workspaceId, rule, {
            ...options,
            percent: (100 * ESTIMATE_SAMPLE) / total,
            sampleSize: PREVIEW_SAMPLE_SIZE,
          });
          const share = found.sampled > 0 ? found.matched / found.sampled : 0;
          // A 95 % interval for a proportion; rows come in blocks, so it is a guide, not a bound.
          const margin =
            found.sampled > 0 ? 1.96 * Math.sqrt((share * (1 - share)) / found.sampled) * total : total;
          return {
            count: Math.round(share * total),
            total,
            percent: 100 * share,
            sample: found.sample,
            ms: Math.round(performance.now() - started),
            estimate: { sampled: found.sampled, matched: found.matched, margin: Math.round(margin) },
            valueFitMissing,
          };
        }
        const { count, sample } = await countAndSampleMatching(
          tx,
          workspaceId,
          rule,
          PREVIEW_SAMPLE_SIZE,
          options,
        );
        return {
          count,
          total,
          percent: total > 0 ? (100 * count) / total : 0,
          sample,
          ms: Math.round(performance.now() - started),
          estimate: null,
          valueFitMissing,
        };
      } finally {
        stop();
      }
    });
  } catch (error) {
    const code = ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code;
    // 57014: query_canceled, by the timeout or by the abandoned request.
    if (code === "57014") {
      throw new QueryCancelledError(
        input.signal?.aborted
          ? "The count was cancelled."
          : `Counting took longer than ${PREVIEW_TIMEOUT_MS / 1000} s; narrow the rule (a window, an event name) and try again.`,
      );
    }
    throw error;
  }
}
