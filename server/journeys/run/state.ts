import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import type { DeliveryStatus, EnrollmentState } from "~/db/enums";
import { journeyEnrollments, journeyRuns, journeys, users } from "~/db/schema";
import type { RunnableFlow } from "./flow";
import { flowOf } from "./runner";
import { GOAL_REACHED } from "./step";

// What a journey's page shows about running it: the current (or last) run, how
// far its going-live enrolment is, where its customers are, how they left, and
// the messages it sent per touchpoint and variant.

export async function runState(db: DbOrTx, input: { workspaceId: string; journeyId: string }) {
  const [latest] = await db
    .select({ run: journeyRuns, startedByName: users.name, startedByEmail: users.email })
    .from(journeyRuns)
    .leftJoin(users, eq(users.id, journeyRuns.startedBy))
    .where(and(eq(journeyRuns.workspaceId, input.workspaceId), eq(journeyRuns.journeyId, input.journeyId)))
    .orderBy(desc(journeyRuns.startedAt))
    .limit(1);
  const ws = sql`${input.workspaceId}::uuid`;
  const sends = await db.execute<{
    touchpoint_id: string;
    variant: string | null;
    status: DeliveryStatus;
    count: number;
  }>(sql`
    select message -> 'source' ->> 'touchpointId' as touchpoint_id, message -> 'source' ->> 'variant' as variant,
      status, count(*)::int as count
    from deliveries where workspace_id = ${ws} and journey_id = ${input.journeyId}::uuid
    group by 1, 2, 3 order by 1, 2, 3`);
  const messages = new Map<
    string,
    { touchpointId: string; variant: string | null; queued: number; sent: number; dead: number }
  >();
  for (const row of sends.rows) {
    const key = `${row.touchpoint_id} ${row.variant ?? ""}`;
    const entry = messages.get(key) ?? {
      touchpointId: row.touchpoint_id,
      variant: row.variant,
      queued: 0,
      sent: 0,
      dead: 0,
    };
    entry[row.status] += row.count;
    messages.set(key, entry);
  }
  return { run: latest ? await runFigures(db, latest) : null, messages: [...messages.values()] };
}

async function runFigures(
  db: DbOrTx,
  {
    run,
    startedByName,
    startedByEmail,
  }: { run: typeof journeyRuns.$inferSelect; startedByName: string | null; startedByEmail: string | null },
) {
  const ws = sql`${run.workspaceId}::uuid`;
  const states = await db.execute<{ state: EnrollmentState; count: number }>(sql`
    select state, count(*)::int as count from journey_enrollments
    where workspace_id = ${ws} and run_id = ${run.id}::uuid group by state`);
  const sides = await db.execute<{ holdout: boolean; count: number }>(sql`
    select holdout, count(*)::int as count from journey_enrollments
    where workspace_id = ${ws} and run_id = ${run.id}::uuid group by holdout`);
  const atNodes = await db.execute<{
    node_id: string;
    count: number;
    due: number;
    next_due: Date | string;
  }>(sql`
    select node_id, count(*)::int as count, count(*) filter (where due_at <= now())::int as due,
      min(due_at) as next_due
    from journey_enrollments
    where workspace_id = ${ws} and run_id = ${run.id}::uuid and state = 'active'
    group by node_id order by count desc`);
  const endings = await db.execute<{ end_reason: string; count: number }>(sql`
    select end_reason, count(*)::int as count from journey_enrollments
    where workspace_id = ${ws} and run_id = ${run.id}::uuid and state <> 'active'
    group by end_reason order by count desc limit 20`);
  // A/B splits: each variant's customers, and how many of them reached the journey's final goal.
  const variants = await db.execute<{
    branch: string;
    variant: string;
    customers: number;
    converted: number;
  }>(sql`
    select v.key as branch, v.value as variant, count(*)::int as customers,
      count(*) filter (where e.end_reason = ${GOAL_REACHED})::int as converted
    from journey_enrollments e, jsonb_each_text(e.variants) v
    where e.workspace_id = ${ws} and e.run_id = ${run.id}::uuid
    group by 1, 2 order by 1, 2`);
  const count = (state: EnrollmentState) => states.rows.find((r) => r.state === state)?.count ?? 0;
  return {
    id: run.id,
    status: run.status,
    version: run.version,
    reentryDays: run.reentryDays,
    exitOnSegmentLeave: run.exitOnSegmentLeave,
    moveToNewVersion: run.moveToNewVersion,
    timezone: run.timezone,
    startedAt: run.startedAt,
    startedBy: startedByName ?? startedByEmail,
    pausedAt: run.pausedAt,
    stoppedAt: run.stoppedAt,
    holdoutPercent: run.holdoutPercent,
    initial: { members: run.initialMembers, enrolled: run.initialEnrolled, done: run.initialDone },
    groups: {
      treatment: sides.rows.find((r) => !r.holdout)?.count ?? 0,
      holdout: sides.rows.find((r) => r.holdout)?.count ?? 0,
    },
    enrollments: { active: count("active"), completed: count("completed"), exited: count("exited") },
    atNodes: atNodes.rows.map((r) => ({
      nodeId: r.node_id,
      count: r.count,
      due: r.due,
      nextDue: new Date(r.next_due),
    })),
    endings: endings.rows.map((r) => ({ reason: r.end_reason, count: r.count })),
    variants: variants.rows.map((r) => ({
      branchNodeId: r.branch,
      variant: r.variant,
      customers: r.customers,
      converted: r.converted,
    })),
  };
}

export type RunState = Awaited<ReturnType<typeof runState>>;

/** What a flow node is called: the entry, "Waiting to send: <title>", a branch's or exit's label. */
export function stepLabel(flow: RunnableFlow, nodeId: string) {
  const node = flow.nodes.get(nodeId);
  if (!node) return "a step no longer in the design";
  if (node.kind === "entry") return "Entry";
  if (node.kind === "branch") return `Branch: ${node.label}`;
  if (node.kind === "exit") return `Exit: ${node.label}`;
  return `Waiting to send: ${flow.touchpoints.get(node.touchpointId)?.title ?? "a touchpoint"}`;
}

/**
 * A customer's ways through running journeys: those under way, with their current
 * step and since when, then the last few that ended and how.
 */
export async function customerRuns(db: Database, input: { workspaceId: string; customerId: string }) {
  const rows = await db
    .select({
      journeyId: journeyEnrollments.journeyId,
      name: journeys.name,
      version: journeyEnrollments.version,
      state: journeyEnrollments.state,
      nodeId: journeyEnrollments.nodeId,
      since: journeyEnrollments.nodeSince,
      enteredAt: journeyEnrollments.enteredAt,
      endedAt: journeyEnrollments.endedAt,
      endReason: journeyEnrollments.endReason,
    })
    .from(journeyEnrollments)
    .innerJoin(
      journeys,
      and(
        eq(journeys.workspaceId, journeyEnrollments.workspaceId),
        eq(journeys.id, journeyEnrollments.journeyId),
      ),
    )
    .where(
      and(
        eq(journeyEnrollments.workspaceId, input.workspaceId),
        eq(journeyEnrollments.customerId, input.customerId),
      ),
    )
    .orderBy(sql`${journeyEnrollments.state} = 'active' desc`, desc(journeyEnrollments.enteredAt))
    .limit(10);
  return Promise.all(
    rows.map(async ({ nodeId, ...row }) => ({
      ...row,
      step: stepLabel(await flowOf(db, input.workspaceId, row.journeyId, row.version), nodeId),
    })),
  );
}
