import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "~/db";
import type { Channel } from "~/db/enums";
import { deliveries, journeyVersions } from "~/db/schema";
import { parseDesign } from "../design";
import { runnableFlow, type RunnableFlow } from "./flow";
import { loadBestChoices, loadMemberships, loadProfiles, loadRecentSends, loadWatchedEvents } from "./facts";
import { buildDelivery, routeCache } from "./messages";
import { reachabilityFor } from "./reach";
import { takeStep, type EnrollmentAtStep, type StepOutcome } from "./step";
import { writeJourneyEvents, type JourneyTimelineEvent } from "./timeline";

// The step runner. It claims due enrollments of live runs with FOR UPDATE SKIP
// LOCKED, takes each one's step (./step.ts) over facts read for the whole
// batch, and commits in one transaction the enrollments' new positions, the
// messages (rows of the delivery outbox) and the timeline events. A crash
// before the commit leaves nothing done and the rows unlocked, so the step is
// taken again; after it, the step is done and its messages are in the outbox.
// Every message's idempotency key is its enrollment and node visit, so a
// message is stored once however often a step is retried (docs/journeys.md).

const DAY_MS = 86_400_000;

const flows = new Map<string, RunnableFlow>();
const MAX_CACHED_FLOWS = 200;

/** A published version's flow; versions never change, so they are kept in memory. */
export async function flowOf(
  db: Database | Transaction,
  workspaceId: string,
  journeyId: string,
  version: number,
) {
  const key = `${workspaceId}:${journeyId}:${version}`;
  let flow = flows.get(key);
  if (!flow) {
    const [row] = await db
      .select({ design: journeyVersions.design })
      .from(journeyVersions)
      .where(
        and(
          eq(journeyVersions.workspaceId, workspaceId),
          eq(journeyVersions.journeyId, journeyId),
          eq(journeyVersions.version, version),
        ),
      );
    if (!row) throw new Error(`journey ${journeyId} has no version ${version}`);
    flow = runnableFlow(parseDesign(row.design));
    if (flows.size >= MAX_CACHED_FLOWS) flows.delete(flows.keys().next().value!);
    flows.set(key, flow);
  }
  return flow;
}

type ClaimedRow = {
  workspace_id: string;
  run_id: string;
  id: string;
  journey_id: string;
  customer_id: string;
  version: number;
  node_id: string;
  node_since: Date | string;
  triggered_at: Date | string | null;
  trigger_event_id: string | null;
  variants: Record<string, string>;
  steps: number;
  entered_at: Date | string;
  holdout: boolean;
  timezone: string;
};

const asDate = (value: Date | string) => new Date(value);

function toEnrollment(row: ClaimedRow): EnrollmentAtStep {
  return {
    id: row.id,
    journeyId: row.journey_id,
    customerId: row.customer_id,
    version: row.version,
    nodeId: row.node_id,
    nodeSince: asDate(row.node_since),
    triggeredAt: row.triggered_at === null ? null : asDate(row.triggered_at),
    triggerEventId: row.trigger_event_id === null ? null : Number(row.trigger_event_id),
    variants: row.variants,
    steps: row.steps,
    enteredAt: asDate(row.entered_at),
    holdout: row.holdout,
  };
}

/** How far ahead of the server's clock an event's timestamp may be and still count as having happened. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** However many runs are live, each gets at least this many of its due customers per batch. */
const MIN_CLAIM_PER_RUN = 50;

export interface StepBatchResult {
  steps: number;
  sends: number;
  /** Whether some run had more due customers than its share of the batch: come back at once. */
  more: boolean;
}

/**
 * Takes the due steps of up to `limit` enrollments (of one workspace, or all) in
 * one transaction. Returns how many it took, so a loop knows to come back at once.
 */
export async function runDueSteps(
  db: Database,
  options: { limit?: number; workspaceId?: string; now?: Date } = {},
): Promise<StepBatchResult> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 500;
  return db.transaction(async (tx) => {
    // Each live run's due customers through its own (run, due) index, so that a paused run's
    // backlog is never read, and the batch is shared between the runs.
    const live = await tx.execute<{ count: number }>(sql`
      select count(*)::int as count from journey_runs where status = 'live'
        ${options.workspaceId ? sql`and workspace_id = ${options.workspaceId}::uuid` : sql``}`);
    const runs = live.rows[0]?.count ?? 0;
    if (runs === 0) return { steps: 0, sends: 0, more: false };
    const perRun = Math.max(MIN_CLAIM_PER_RUN, Math.ceil(limit / runs));
    const claimed = await tx.execute<ClaimedRow>(sql`
      select e.*, r.timezone
      from journey_runs r
      cross join lateral (
        select e.workspace_id, e.run_id, e.id, e.journey_id, e.customer_id, e.version, e.node_id, e.node_since,
          e.triggered_at, e.trigger_event_id, e.variants, e.steps, e.entered_at, e.holdout
        from journey_enrollments e
        where e.workspace_id = r.workspace_id and e.run_id = r.id and e.state = 'active'
          and e.due_at <= ${now.toISOString()}::timestamptz
        order by e.due_at
        limit ${perRun}
        for update skip locked) e
      where r.status = 'live'
        ${options.workspaceId ? sql`and r.workspace_id = ${options.workspaceId}::uuid` : sql``}`);
    const byWorkspace = new Map<string, ClaimedRow[]>();
    for (const row of claimed.rows) {
      const list = byWorkspace.get(row.workspace_id) ?? [];
      list.push(row);
      byWorkspace.set(row.workspace_id, list);
    }
    let sends = 0;
    for (const [workspaceId, rows] of byWorkspace) sends += await stepWorkspace(tx, workspaceId, rows, now);
    const perRunClaimed = new Map<string, number>();
    for (const row of claimed.rows) perRunClaimed.set(row.run_id, (perRunClaimed.get(row.run_id) ?? 0) + 1);
    const more = [...perRunClaimed.values()].some((n) => n === perRun);
    return { steps: claimed.rows.length, sends, more };
  });
}

async function stepWorkspace(tx: Transaction, workspaceId: string, rows: ClaimedRow[], now: Date) {
  const enrollments = rows.map(toEnrollment);
  const flowByEnrollment = new Map<string, RunnableFlow>();
  for (const e of enrollments)
    flowByEnrollment.set(e.id, await flowOf(tx, workspaceId, e.journeyId, e.version));
  const allFlows = [...new Set(flowByEnrollment.values())];
  const customerIds = [...new Set(enrollments.map((e) => e.customerId))];
  // An event that enrolled a customer happened just before they entered: from whichever is earlier.
  const earliestEntry = new Date(
    Math.min(...enrollments.map((e) => Math.min(e.enteredAt.getTime(), e.nodeSince.getTime()))),
  );
  const longestCap = Math.max(0, ...allFlows.map((f) => f.longestCapDays));
  // One after another: a transaction is one connection, which runs one statement at a time.
  const profiles = await loadProfiles(tx, workspaceId, customerIds);
  const watched = [...new Set(allFlows.flatMap((f) => f.watchedEvents))];
  // An event stamped later than now has not happened yet (beyond a sender's clock running a little fast).
  const events = await loadWatchedEvents(
    tx,
    workspaceId,
    customerIds,
    watched,
    earliestEntry,
    new Date(now.getTime() + CLOCK_SKEW_MS),
  );
  const segmentIds = [...new Set(allFlows.flatMap((f) => f.branchSegments))];
  const members = await loadMemberships(tx, workspaceId, customerIds, segmentIds);
  const recent = await loadRecentSends(
    tx,
    workspaceId,
    customerIds,
    new Date(now.getTime() - longestCap * DAY_MS),
  );
  const reach = await reachabilityFor(tx, workspaceId, [...profiles.values()]);
  const bestChoices = await loadBestChoices(tx, workspaceId, customerIds, allFlows, now);
  const route = routeCache(tx, workspaceId);

  const updates: { id: string; outcome: StepOutcome; steps: number }[] = [];
  const timeline: JourneyTimelineEvent[] = [];
  const messages: (typeof deliveries.$inferInsert)[] = [];
  for (let i = 0; i < enrollments.length; i++) {
    const enrollment = enrollments[i]!;
    const flow = flowByEnrollment.get(enrollment.id)!;
    const profile = profiles.get(enrollment.customerId);
    const ids = { journeyId: enrollment.journeyId, version: enrollment.version };
    const timeZone = profile?.timeZone ?? rows[i]!.timezone;
    const outcome = profile?.mergedInto
      ? mergedAway(enrollment, now)
      : profile
        ? takeStep(
            flow,
            enrollment,
            {
              timeZone,
              events: events.get(enrollment.customerId) ?? [],
              inSegment: (segmentId) => members.has(`${segmentId} ${enrollment.customerId}`),
              sentOnChannelSince: (channel, since) =>
                (recent.get(`${enrollment.customerId} ${channel}`) ?? []).filter((at) => at >= since).length,
              reachable: (channel) => reach.check(profile, channel),
              ...bestChoices(enrollment.customerId, timeZone),
            },
            now,
          )
        : gone(enrollment, now);
    const steps = enrollment.steps + outcome.hops + 1;
    updates.push({ id: enrollment.id, outcome, steps });
    outcome.notes.forEach((note, n) =>
      timeline.push({
        workspaceId,
        customerId: enrollment.customerId,
        key: `${enrollment.id}:${enrollment.steps}:${n}`,
        event: note.event,
        channel: note.channel,
        properties: note.properties,
        at: now,
      }),
    );
    for (const send of outcome.sends) {
      const built = await buildDelivery(
        send,
        {
          workspaceId,
          enrollmentId: enrollment.id,
          ...ids,
          customer: profile!,
          unsubscribeUrl: reach.unsubscribeUrl(profile!),
        },
        await route(send.channel),
        now,
      );
      const properties = { ...ids, touchpointId: send.touchpoint.id, variant: send.variant, ...send.why };
      if (!built.ok) {
        timeline.push({
          workspaceId,
          customerId: enrollment.customerId,
          key: `${enrollment.id}:${send.visit}:failed`,
          event: "Message Failed",
          channel: send.channel,
          properties: { ...properties, error: built.error },
          at: now,
        });
        continue;
      }
      messages.push(built.values);
      recordSend(recent, enrollment.customerId, send.channel, now);
      // The Outbox holds the message now: it is sent. Other destinations write Message Sent when they are.
      if (built.kind === "outbox") {
        timeline.push({
          workspaceId,
          customerId: enrollment.customerId,
          key: `${built.values.idempotencyKey}:sent`,
          event: "Message Sent",
          channel: send.channel,
          properties: { ...properties, destination: "outbox" },
          at: now,
        });
      }
    }
  }

  if (messages.length > 0) {
    await tx
      .insert(deliveries)
      .values(messages)
      .onConflictDoNothing({ target: [deliveries.workspaceId, deliveries.idempotencyKey] });
  }
  await writeJourneyEvents(tx, timeline);
  await saveOutcomes(tx, workspaceId, updates, now);
  return messages.length;
}

/** A customer merged into another profile leaves: the survivor is a customer of its own in the journey. */
function mergedAway(enrollment: EnrollmentAtStep, now: Date): StepOutcome {
  return {
    position: enrollment,
    state: "exited",
    endReason: "merged into another profile",
    dueAt: now,
    sends: [],
    notes: [],
    hops: 0,
  };
}

function gone(enrollment: EnrollmentAtStep, now: Date): StepOutcome {
  return { ...mergedAway(enrollment, now), endReason: "the customer no longer exists" };
}

function recordSend(recent: Map<string, Date[]>, customerId: string, channel: Channel, at: Date) {
  const key = `${customerId} ${channel}`;
  recent.set(key, [...(recent.get(key) ?? []), at]);
}

async function saveOutcomes(
  tx: Transaction,
  workspaceId: string,
  updates: { id: string; outcome: StepOutcome; steps: number }[],
  now: Date,
) {
  if (updates.length === 0) return;
  const rows = updates.map(({ id, outcome, steps }) => ({
    id,
    state: outcome.state,
    node_id: outcome.position.nodeId,
    node_since: outcome.position.nodeSince.toISOString(),
    due_at: outcome.dueAt.toISOString(),
    triggered_at: outcome.position.triggeredAt?.toISOString() ?? null,
    trigger_event_id: outcome.position.triggerEventId,
    variants: outcome.position.variants,
    steps,
    ended_at: outcome.state === "active" ? null : now.toISOString(),
    end_reason: outcome.endReason,
  }));
  await tx.execute(sql`
    update journey_enrollments e set
      state = x.state::enrollment_state, node_id = x.node_id, node_since = x.node_since, due_at = x.due_at,
      triggered_at = x.triggered_at, trigger_event_id = x.trigger_event_id, variants = x.variants,
      steps = x.steps, ended_at = x.ended_at, end_reason = x.end_reason
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
      id uuid, state text, node_id text, node_since timestamptz, due_at timestamptz,
      triggered_at timestamptz, trigger_event_id bigint, variants jsonb, steps int,
      ended_at timestamptz, end_reason text)
    where e.workspace_id = ${workspaceId}::uuid and e.id = x.id`);
}
