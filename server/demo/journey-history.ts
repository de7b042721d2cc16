import "server-only";
import { and, eq, min, sql } from "drizzle-orm";
import type { Database } from "~/db";
import { deliveries, journeyEnrollments, journeyRuns, journeys, users } from "~/db/schema";
import { ingestMessages } from "~/server/ingest/ingest";
import { DEFAULT_HOLDOUT_PERCENT } from "~/server/journeys/impact/holdout";
import { goLive } from "~/server/journeys/run/control";
import { followLiveRuns } from "~/server/journeys/run/entries";
import { runDueSteps } from "~/server/journeys/run/runner";
import { everyday, Rng, type DemoMessage } from "./generate";
import { demoJourneys } from "./journeys";

// The demo's published journey has been live for the last DEMO_RUN_DAYS days, so
// that its Run, Analytics and Impact tabs have real figures on first start.
// The runner itself is taken through those days on a simulated clock: every
// enrolment, message, skip and timeline event is the runner's own. The demo
// customers answer the messages they receive the way generate.ts's readers
// answer newsletters (some open, fewer click, a few order), at the ANSWERS
// rates below; customers held out receive nothing, so they answer nothing.
// Whatever lift the Impact tab shows comes from these rates and chance.

/** Longer than the Impact tab's default 30-day window, so everyone who entered at going live is measured. */
export const DEMO_RUN_DAYS = 35;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The simulated clock moves to the next due step, but never by less than this. */
const MIN_TICK = HOUR;
/** The run's time zone for customers whose own is unknown: the demo shop is Dutch. */
const TIME_ZONE = "Europe/Amsterdam";
const STREAM_ANSWERS = 0x414e5357;

/** How a customer answers a message on each channel: chances, each given the one before. */
const ANSWERS = {
  email: { open: 0.45, click: 0.3, order: 0.25 },
  social: { like: 0.2 },
  web: { view: 0.3, order: 0.1 },
  store: { order: 0.12 },
} as const;

interface Sent {
  id: string;
  channel: string;
  createdAt: Date;
  userId: string;
  subject: string | null;
}

/**
 * Takes the demo journey through the last DEMO_RUN_DAYS days as if it had been live
 * (with its holdout), then leaves it live. Does nothing when the journey is
 * missing, unpublished or has run before. Returns the messages it sent.
 */
export async function runDemoJourneyHistory(db: Database, workspaceId: string, now = new Date()) {
  const spec = demoJourneys.find((j) => j.publishNote);
  if (!spec) return 0;
  const [journey] = await db
    .select({ id: journeys.id, version: journeys.publishedVersion })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.name, spec.name)));
  const [editor] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "editor@centric.demo"));
  if (!journey?.version || !editor) return 0;
  const [ran] = await db
    .select({ id: journeyRuns.id })
    .from(journeyRuns)
    .where(and(eq(journeyRuns.workspaceId, workspaceId), eq(journeyRuns.journeyId, journey.id)))
    .limit(1);
  if (ran) return 0;

  const start = new Date(now.getTime() - DEMO_RUN_DAYS * 24 * HOUR);
  const { runId } = await goLive(db, {
    workspaceId,
    journeyId: journey.id,
    userId: editor.id,
    reentryDays: null,
    exitOnSegmentLeave: false,
    moveToNewVersion: false,
    timezone: TIME_ZONE,
    holdoutPercent: DEFAULT_HOLDOUT_PERCENT,
  });
  await db
    .update(journeyRuns)
    .set({ startedAt: start })
    .where(and(eq(journeyRuns.workspaceId, workspaceId), eq(journeyRuns.id, runId)));

  let sent = 0;
  // Entries and wake-ups come from new events: the going-live enrolment, then the customers' answers.
  let newEvents = true;
  for (let t = start, answeredUpTo = new Date(0); t <= now;) {
    if (newEvents) while (await followLiveRuns(db, { workspaceId, now: t }));
    while ((await runDueSteps(db, { workspaceId, now: t })).steps > 0);
    const answered = await answerMessages(db, workspaceId, journey.id, { after: answeredUpTo, upTo: t, now });
    sent += answered;
    newEvents = answered > 0;
    answeredUpTo = t;
    const [next] = await db
      .select({ due: min(journeyEnrollments.dueAt) })
      .from(journeyEnrollments)
      .where(
        and(
          eq(journeyEnrollments.workspaceId, workspaceId),
          eq(journeyEnrollments.runId, runId),
          eq(journeyEnrollments.state, "active"),
        ),
      );
    if (!next?.due) break;
    t = new Date(Math.max(t.getTime() + MIN_TICK, next.due.getTime()));
  }
  return sent;
}

/** The answers of the customers the journey sent messages to in (after, upTo], as tracked events. */
async function answerMessages(
  db: Database,
  workspaceId: string,
  journeyId: string,
  window: { after: Date; upTo: Date; now: Date },
) {
  const rows = await db.execute<{
    id: string;
    channel: string;
    created_at: Date | string;
    user_id: string;
    subject: string | null;
  }>(sql`
    select d.id, d.channel, d.created_at, i.value as user_id, d.message ->> 'subject' as subject
    from ${deliveries} d
    join identities i on i.workspace_id = d.workspace_id and i.customer_id = d.customer_id and i.kind = 'user_id'
    where d.workspace_id = ${workspaceId}::uuid and d.journey_id = ${journeyId}::uuid and d.status = 'sent'
      and d.created_at > ${window.after.toISOString()}::timestamptz
      and d.created_at <= ${window.upTo.toISOString()}::timestamptz
    order by d.id`);
  const messages = rows.rows.flatMap((row) =>
    answersTo(
      {
        id: row.id,
        channel: row.channel,
        createdAt: new Date(row.created_at),
        userId: row.user_id,
        subject: row.subject,
      },
      window.now,
    ),
  );
  if (messages.length > 0) {
    const result = await ingestMessages(db, { workspaceId, messages, source: "demo" });
    if (result.rejected.length > 0)
      throw new Error(`A demo answer was refused: ${result.rejected[0]!.error}`);
  }
  return rows.rows.length;
}

/** What one customer does after one message, drawn from its own random stream; nothing after `now`. */
export function answersTo(message: Sent, now: Date): DemoMessage[] {
  const rng = new Rng(hashOf(message.id), STREAM_ANSWERS, 0);
  const out: DemoMessage[] = [];
  const at = (
    time: number,
    draft: { event: string; channel: string; properties?: Record<string, unknown> },
  ) => {
    if (time > now.getTime()) return false;
    out.push({
      type: "track",
      messageId: `demo-answer-${message.id}-${out.length}`,
      timestamp: new Date(time).toISOString(),
      userId: message.userId,
      event: draft.event,
      properties: { ...draft.properties, delivery_id: message.id },
      context: { channel: draft.channel },
    });
    return true;
  };
  const order = (time: number, channel: "web" | "store") => {
    const product = rng.pick(everyday);
    const quantity = rng.int(1, 3);
    return at(time, {
      event: "Order Completed",
      channel,
      properties: {
        order_id: `JRN-${message.id}`,
        revenue: Math.round(product.price * quantity * 100) / 100,
        currency: "EUR",
        products: [{ product_id: String(product.id), name: product.name, price: product.price, quantity }],
      },
    });
  };
  const sentAt = message.createdAt.getTime();
  switch (message.channel) {
    case "email": {
      if (!rng.chance(ANSWERS.email.open)) break;
      const opened = sentAt + Math.min(rng.exp(6 * HOUR), 72 * HOUR);
      if (
        !at(opened, {
          event: "Email Opened",
          channel: "email",
          properties: { email_subject: message.subject },
        })
      )
        break;
      if (!rng.chance(ANSWERS.email.click)) break;
      const clicked = opened + rng.int(10, 300) * 1000;
      if (
        !at(clicked, {
          event: "Email Clicked",
          channel: "email",
          properties: { email_subject: message.subject },
        })
      )
        break;
      if (rng.chance(ANSWERS.email.order)) order(clicked + rng.int(5, 60) * MINUTE, "web");
      break;
    }
    case "social":
      if (rng.chance(ANSWERS.social.like))
        at(sentAt + rng.exp(10 * HOUR), { event: "Post Liked", channel: "social" });
      break;
    case "web":
      if (rng.chance(ANSWERS.web.view)) {
        const viewed = sentAt + rng.exp(24 * HOUR);
        if (at(viewed, { event: "Product Viewed", channel: "web" }) && rng.chance(ANSWERS.web.order))
          order(viewed + rng.int(3, 30) * MINUTE, "web");
      }
      break;
    case "store":
      if (rng.chance(ANSWERS.store.order)) order(sentAt + rng.range(1, 10) * 24 * HOUR, "store");
      break;
  }
  return out;
}

/** A stable 32-bit number from a delivery id, to seed its answers. */
function hashOf(id: string) {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h | 0;
}
