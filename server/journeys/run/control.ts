import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { JourneyRunStatus } from "~/db/enums";
import { journeyRuns, journeys, journeyVersions } from "~/db/schema";
import { ConflictError, NotFoundError, RuleError } from "~/server/errors";
import { parseDesign } from "../design";
import { MAX_HOLDOUT_PERCENT } from "../impact/holdout";
import { endActive } from "./entries";
import { isTimeZone } from "./timing";

// Going live, pausing, resuming and stopping a journey, and what a new
// published version means for a live one. A run takes the latest published
// version; the draft can change meanwhile. Publishing again moves new entrants
// to the new version, and the customers on their way too when the run says so
// (those at a step the new version no longer has finish on theirs).

const JOURNEY_NOT_FOUND = "That journey does not exist in this workspace.";

export interface GoLiveInput {
  workspaceId: string;
  journeyId: string;
  userId: string;
  /** Null: each customer enters once; N: again N days after their last entry. */
  reentryDays: number | null;
  exitOnSegmentLeave: boolean;
  moveToNewVersion: boolean;
  timezone: string;
  /** The share of entrants held out as the control group, 0–50. */
  holdoutPercent: number;
}

const openRun = (workspaceId: string, journeyId: string) =>
  and(
    eq(journeyRuns.workspaceId, workspaceId),
    eq(journeyRuns.journeyId, journeyId),
    ne(journeyRuns.status, "stopped"),
  );

export async function goLive(db: DbOrTx, input: GoLiveInput) {
  if (!isTimeZone(input.timezone)) {
    throw new RuleError(`“${input.timezone}” is not a time zone: use an IANA name such as Europe/Amsterdam.`);
  }
  if (
    !Number.isInteger(input.holdoutPercent) ||
    input.holdoutPercent < 0 ||
    input.holdoutPercent > MAX_HOLDOUT_PERCENT
  ) {
    throw new RuleError(`The holdout is a whole percentage from 0 to ${MAX_HOLDOUT_PERCENT}.`);
  }
  const [journey] = await db
    .select({ name: journeys.name, segmentId: journeys.segmentId, version: journeys.publishedVersion })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, input.workspaceId), eq(journeys.id, input.journeyId)))
    .for("update");
  if (!journey) throw new NotFoundError(JOURNEY_NOT_FOUND);
  if (journey.version === null) {
    throw new RuleError("Publish the journey first: a journey runs a published version, never the draft.");
  }
  const [open] = await db
    .select({ id: journeyRuns.id })
    .from(journeyRuns)
    .where(openRun(input.workspaceId, input.journeyId));
  if (open) throw new ConflictError("The journey is live already: pause or stop it instead.");
  // Entries and events from now on: the members of today enter through the going-live enrolment.
  const cursors = await db.execute<{ members: number; membership: string | null; event: string | null }>(sql`
    select
      (select count(*)::int from segment_members
        where workspace_id = ${input.workspaceId}::uuid and segment_id = ${journey.segmentId}::uuid) as members,
      (select max(id)::text from segment_membership_changes
        where workspace_id = ${input.workspaceId}::uuid and segment_id = ${journey.segmentId}::uuid) as membership,
      (select max(id)::text from events where workspace_id = ${input.workspaceId}::uuid) as event`);
  const { members, membership, event } = cursors.rows[0]!;
  const [run] = await db
    .insert(journeyRuns)
    .values({
      workspaceId: input.workspaceId,
      journeyId: input.journeyId,
      version: journey.version,
      reentryDays: input.reentryDays,
      exitOnSegmentLeave: input.exitOnSegmentLeave,
      moveToNewVersion: input.moveToNewVersion,
      timezone: input.timezone,
      holdoutPercent: input.holdoutPercent,
      membershipCursor: Number(membership ?? 0),
      eventCursor: Number(event ?? 0),
      initialMembers: members,
      startedBy: input.userId,
    })
    .returning({ id: journeyRuns.id });
  return { runId: run!.id, name: journey.name, version: journey.version, members };
}

async function setStatus(
  db: DbOrTx,
  input: { workspaceId: string; journeyId: string },
  from: JourneyRunStatus,
  to: JourneyRunStatus,
) {
  const [run] = await db
    .update(journeyRuns)
    .set({
      status: to,
      pausedAt: to === "paused" ? sql`now()` : to === "live" ? null : undefined,
      stoppedAt: to === "stopped" ? sql`now()` : undefined,
    })
    .where(and(openRun(input.workspaceId, input.journeyId), eq(journeyRuns.status, from)))
    .returning({ id: journeyRuns.id });
  return run ?? null;
}

async function journeyName(db: DbOrTx, workspaceId: string, journeyId: string) {
  const [journey] = await db
    .select({ name: journeys.name })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
  if (!journey) throw new NotFoundError(JOURNEY_NOT_FOUND);
  return journey.name;
}

export async function pauseRun(db: DbOrTx, input: { workspaceId: string; journeyId: string }) {
  const name = await journeyName(db, input.workspaceId, input.journeyId);
  if (!(await setStatus(db, input, "live", "paused")))
    throw new RuleError("The journey is not live: there is nothing to pause.");
  return { name };
}

export async function resumeRun(db: DbOrTx, input: { workspaceId: string; journeyId: string }) {
  const name = await journeyName(db, input.workspaceId, input.journeyId);
  if (!(await setStatus(db, input, "paused", "live")))
    throw new RuleError("The journey is not paused: there is nothing to resume.");
  return { name };
}

/** Stops the run for good: everyone on their way leaves (Journey Exited, "stopped"). */
export async function stopRun(db: DbOrTx, input: { workspaceId: string; journeyId: string }) {
  const name = await journeyName(db, input.workspaceId, input.journeyId);
  const stopped =
    (await setStatus(db, input, "live", "stopped")) ?? (await setStatus(db, input, "paused", "stopped"));
  if (!stopped) throw new RuleError("The journey is not running: there is nothing to stop.");
  const exited = await endActive(db, input, null, "the journey was stopped");
  return { name, exited };
}

/**
 * Called in the publishing transaction: a live or paused run takes the new
 * version for new entrants, and moves those on their way when it says so.
 */
export async function onVersionPublished(
  db: DbOrTx,
  input: { workspaceId: string; journeyId: string; version: number },
) {
  const [run] = await db
    .update(journeyRuns)
    .set({ version: input.version })
    .where(openRun(input.workspaceId, input.journeyId))
    .returning({ id: journeyRuns.id, move: journeyRuns.moveToNewVersion });
  if (!run?.move) return;
  const [row] = await db
    .select({ design: journeyVersions.design })
    .from(journeyVersions)
    .where(
      and(
        eq(journeyVersions.workspaceId, input.workspaceId),
        eq(journeyVersions.journeyId, input.journeyId),
        eq(journeyVersions.version, input.version),
      ),
    );
  const nodeIds = parseDesign(row!.design).flow.nodes.map((n) => n.id);
  await db.execute(sql`
    update journey_enrollments set version = ${input.version}::int
    where workspace_id = ${input.workspaceId}::uuid and run_id = ${run.id}::uuid and state = 'active'
      and node_id = any(${sql.param(nodeIds)}::text[])`);
}
