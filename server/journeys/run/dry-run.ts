import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "~/db";
import type { Channel } from "~/db/enums";
import { journeys } from "~/db/schema";
import { NotFoundError, RuleError } from "~/server/errors";
import { DEFAULT_HOLDOUT_PERCENT, isHeldOut } from "../impact/holdout";
import { loadBestChoices, loadMemberships, loadProfiles, loadWatchedEvents } from "./facts";
import { reachabilityFor } from "./reach";
import { flowOf } from "./runner";
import { takeStep, type EnrollmentAtStep } from "./step";
import { isTimeZone, localTime } from "./timing";

// A dry run, before going live: the customers who entered the segment in the
// last 7 days stand for those who will enter in the next 7, and each is taken
// through the published design from the moment they entered, with the
// interpreter the runner uses and their real events as they came, for 7 days.
// Nothing is stored or sent. Frequency caps count the dry run's own messages.

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 7;
const SAMPLE = 50;

export interface DryRunMessage {
  touchpointId: string;
  title: string;
  channel: Channel;
  at: Date;
  /** The customer's local time of day, "09:00". */
  localTime: string;
  afterEntryHours: number;
  variant: string | null;
  /** Why this channel and moment, for a touchpoint on the customer's best channel or hour. */
  channelReason: string | null;
  timingReason: string | null;
}

export async function dryRun(
  db: Database,
  input: {
    workspaceId: string;
    journeyId: string;
    timezone: string;
    /** The share held out, as going live would: held-out customers' messages are skipped. */
    holdoutPercent?: number;
    now?: Date;
  },
) {
  if (!isTimeZone(input.timezone)) {
    throw new RuleError(`“${input.timezone}” is not a time zone: use an IANA name such as Europe/Amsterdam.`);
  }
  const now = input.now ?? new Date();
  const from = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const [journey] = await db
    .select({ segmentId: journeys.segmentId, version: journeys.publishedVersion })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, input.workspaceId), eq(journeys.id, input.journeyId)));
  if (!journey) throw new NotFoundError("That journey does not exist in this workspace.");
  if (journey.version === null)
    throw new RuleError("Publish the journey first: the dry run takes the version that would go live.");
  const flow = await flowOf(db, input.workspaceId, input.journeyId, journey.version);

  const entered = await db.execute<{ customer_id: string; entered_at: Date | string; total: number }>(sql`
    with entries as (
      select customer_id, max(at) as entered_at from segment_membership_changes
      where workspace_id = ${input.workspaceId}::uuid and segment_id = ${journey.segmentId}::uuid
        and change = 'entered' and at >= ${from.toISOString()}::timestamptz
      group by customer_id
    )
    select customer_id, entered_at, (select count(*)::int from entries) as total
    from entries order by entered_at desc limit ${SAMPLE}`);
  const total = entered.rows[0]?.total ?? 0;
  const customerIds = entered.rows.map((r) => r.customer_id);
  const since = new Date(
    Math.min(now.getTime(), ...entered.rows.map((r) => new Date(r.entered_at).getTime())),
  );
  const profiles = await loadProfiles(db, input.workspaceId, customerIds);
  const events = await loadWatchedEvents(db, input.workspaceId, customerIds, flow.watchedEvents, since);
  const members = await loadMemberships(db, input.workspaceId, customerIds, flow.branchSegments);
  const reach = await reachabilityFor(db, input.workspaceId, [...profiles.values()]);
  const bestChoices = await loadBestChoices(db, input.workspaceId, customerIds, [flow], now);

  const customers = entered.rows.flatMap((row) => {
    const profile = profiles.get(row.customer_id);
    if (!profile) return [];
    const enteredAt = new Date(row.entered_at);
    const holdout = isHeldOut(
      input.journeyId,
      row.customer_id,
      input.holdoutPercent ?? DEFAULT_HOLDOUT_PERCENT,
    );
    const timeZone = profile.timeZone ?? input.timezone;
    const horizon = enteredAt.getTime() + WINDOW_DAYS * DAY_MS;
    const messages: DryRunMessage[] = [];
    const skipped: { touchpointId: string; reason: string }[] = [];
    const sent: { channel: Channel; at: Date }[] = [];
    let enrollment: EnrollmentAtStep = {
      id: "dry-run",
      journeyId: input.journeyId,
      customerId: row.customer_id,
      version: journey.version!,
      nodeId: flow.entryId,
      nodeSince: enteredAt,
      triggeredAt: null,
      triggerEventId: null,
      variants: {},
      steps: 0,
      enteredAt,
      holdout,
    };
    let at = enteredAt;
    let ending: string | null = null;
    for (let turn = 0; turn < 100; turn++) {
      const seen = (events.get(row.customer_id) ?? []).filter((e) => e.timestamp <= at);
      const outcome = takeStep(
        flow,
        enrollment,
        {
          timeZone,
          events: seen,
          inSegment: (segmentId) => members.has(`${segmentId} ${row.customer_id}`),
          sentOnChannelSince: (channel, after) =>
            sent.filter((s) => s.channel === channel && s.at >= after).length,
          reachable: (channel) => reach.check(profile, channel),
          ...bestChoices(row.customer_id, timeZone),
        },
        at,
      );
      for (const send of outcome.sends) {
        const local = localTime(at, timeZone);
        messages.push({
          touchpointId: send.touchpoint.id,
          title: send.touchpoint.title,
          channel: send.channel,
          at,
          localTime: `${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`,
          afterEntryHours: Math.round((at.getTime() - enteredAt.getTime()) / 360_000) / 10,
          variant: send.variant,
          channelReason: send.why.channelReason ?? null,
          timingReason: send.why.timingReason ?? null,
        });
        sent.push({ channel: send.channel, at });
      }
      for (const note of outcome.notes) {
        if (note.event === "Message Skipped") {
          skipped.push({
            touchpointId: String(note.properties.touchpointId),
            reason: String(note.properties.reason),
          });
        }
      }
      if (outcome.state !== "active") {
        ending = outcome.endReason;
        break;
      }
      if (outcome.dueAt.getTime() > horizon) break;
      enrollment = { ...enrollment, ...outcome.position, steps: enrollment.steps + outcome.hops + 1 };
      at = new Date(Math.max(outcome.dueAt.getTime(), at.getTime() + 1));
    }
    return [
      {
        id: row.customer_id,
        name: profile.name ?? profile.email ?? "Unnamed customer",
        enteredAt,
        timeZone,
        holdout,
        messages,
        skipped,
        ending,
      },
    ];
  });

  const touchpoints = [...flow.touchpoints.values()].map((tp) => ({
    touchpointId: tp.id,
    title: tp.title,
    channel: tp.channel,
    messages: customers.reduce((n, c) => n + c.messages.filter((m) => m.touchpointId === tp.id).length, 0),
    skipped: customers.reduce((n, c) => n + c.skipped.filter((s) => s.touchpointId === tp.id).length, 0),
  }));
  return {
    version: journey.version,
    from,
    to: now,
    entrants: total,
    sampled: customers.length,
    touchpoints,
    customers,
  };
}

export type DryRun = Awaited<ReturnType<typeof dryRun>>;
