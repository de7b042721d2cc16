import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { customers, segmentMembers } from "~/db/schema";
import { createDestination, setRoute } from "~/server/destinations/store";
import { createSegment } from "~/server/segments/store";
import { describeEachDatabase } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import type { JourneyDesignInput } from "../design";
import { createJourney } from "../store";
import { publishJourney } from "../versions";
import { goLive } from "./control";

// The runner's guarantees under a crash: the journey loop and the delivery
// sender run in a child process (test/journey-worker.ts) that is SIGKILLed
// while a going-live enrolment is being worked through, then started again.
// Every due message must be stored exactly once, every Outbox message must have
// exactly one Message Sent, and every webhook message must reach the receiver —
// twice only when it was in flight at the kill (at-least-once, same key).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const MEMBERS = 3_000;
const pos = (x: number) => ({ x: x * 200, y: 0 });

/** Every tenth customer gave a phone number: they are in the segment the SMS branch asks about. */
const isTexted = (n: number) => n % 10 === 0;
const TEXTED = Math.ceil(MEMBERS / 10);

/** Welcome (Outbox); an SMS through the webhook for those with a phone number; a social post (Outbox); out. */
const designFor = (textedSegmentId: string): JourneyDesignInput => ({
  stages: [
    {
      id: "s-onboard",
      name: "Onboarded",
      touchpoints: [
        {
          id: "t-welcome",
          channel: "email",
          title: "Welcome {{ customer.first_name }}",
          trigger: { kind: "segmentEntry" },
          ownerTeam: "marketing",
        },
        {
          id: "t-sms",
          channel: "mobile",
          title: "Your code",
          trigger: { kind: "previous" },
          ownerTeam: "marketing",
        },
        {
          id: "t-social",
          channel: "social",
          title: "Follow us",
          trigger: { kind: "previous" },
          ownerTeam: "marketing",
        },
      ],
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: pos(0) },
      { kind: "touchpoint", id: "n-welcome", touchpointId: "t-welcome", position: pos(1) },
      {
        kind: "branch",
        id: "n-phone",
        label: "Gave a phone number?",
        split: { kind: "segment", segmentId: textedSegmentId },
        position: pos(2),
      },
      { kind: "touchpoint", id: "n-sms", touchpointId: "t-sms", position: pos(3) },
      { kind: "touchpoint", id: "n-social", touchpointId: "t-social", position: pos(4) },
      { kind: "exit", id: "n-done", label: "Done", position: pos(5) },
    ],
    edges: [
      { id: "e1", source: "entry", target: "n-welcome" },
      { id: "e2", source: "n-welcome", target: "n-phone" },
      { id: "e3", source: "n-phone", output: "yes", target: "n-sms" },
      { id: "e4", source: "n-phone", output: "no", target: "n-social" },
      { id: "e5", source: "n-sms", target: "n-social" },
      { id: "e6", source: "n-social", target: "n-done" },
    ],
  },
});

/** A webhook receiver that counts each Idempotency-Key, answering after a few milliseconds (so some are in flight). */
function startReceiver() {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = String(req.headers["idempotency-key"] ?? "");
      hits.set(key, (hits.get(key) ?? 0) + 1);
      setTimeout(() => res.writeHead(200).end("ok"), 5);
    });
  });
  return new Promise<{ url: string; hits: Map<string, number>; close: () => Promise<void> }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hooks/sms`,
        hits,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      });
    });
  });
}

function startWorker(url: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/journey-worker.ts", url, "100"], {
    cwd: root,
    env: process.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeEachDatabase("journey runner crash", (getDb, _kind, getTestDatabase) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it(
    "sends every due message exactly once after a SIGKILL mid-run and a restart",
    { timeout: 90_000 },
    async () => {
      const db = getDb();
      const ws = await makeWorkspace(db, "Crash");
      const workspaceId = ws.workspace.id;
      const hook = await createDestination(db, {
        workspaceId,
        userId: ws.admin.id,
        input: {
          kind: "webhook",
          name: "SMS gateway",
          settings: { url: receiver.url, timeoutMs: 5000, maxAttempts: 3 },
        },
      });
      await setRoute(db, { workspaceId, channel: "mobile", destinationId: hook.id });
      const segmentId = (
        await createSegment(db, {
          workspaceId,
          userId: ws.admin.id,
          name: "New customers",
          description: "",
          rule: { type: "eventCount", op: "gte", value: 1 },
          schedule: "off",
        })
      ).id;
      const textedSegmentId = (
        await createSegment(db, {
          workspaceId,
          userId: ws.admin.id,
          name: "Texted",
          description: "",
          rule: { type: "eventCount", op: "gte", value: 1 },
          schedule: "off",
        })
      ).id;
      const ids = Array.from({ length: MEMBERS }, () => crypto.randomUUID());
      for (let i = 0; i < MEMBERS; i += 1000) {
        const chunk = ids.slice(i, i + 1000);
        await db.insert(customers).values(
          chunk.map((id, n) => ({
            workspaceId,
            id,
            name: `Customer ${i + n}`,
            email: `c${i + n}@example.test`,
            phone: isTexted(i + n) ? `+3161${String(i + n).padStart(7, "0")}` : null,
            traits: { first_name: `C${i + n}` },
          })),
        );
        await db
          .insert(segmentMembers)
          .values([
            ...chunk.map((customerId) => ({ workspaceId, segmentId, customerId })),
            ...chunk
              .filter((_, n) => isTexted(i + n))
              .map((customerId) => ({ workspaceId, segmentId: textedSegmentId, customerId })),
          ]);
      }
      const { id: journeyId } = await createJourney(db, {
        workspaceId,
        userId: ws.editor.id,
        segmentId,
        name: "Onboarding",
        description: "",
        design: designFor(textedSegmentId),
      });
      await publishJourney(db, { workspaceId, userId: ws.editor.id, id: journeyId });
      await goLive(db, {
        workspaceId,
        journeyId,
        userId: ws.editor.id,
        reentryDays: null,
        exitOnSegmentLeave: false,
        moveToNewVersion: false,
        timezone: "UTC",
        holdoutPercent: 0,
      });

      const count = async (query: ReturnType<typeof sql>) =>
        Number((await db.execute<{ n: number }>(query)).rows[0]!.n);
      const stored = () =>
        count(sql`select count(*)::int as n from deliveries where workspace_id = ${workspaceId}`);
      const total = MEMBERS * 2 + TEXTED;

      // First run: killed once some, but not all, of the messages are stored and some webhooks are sent.
      const url = getTestDatabase().url;
      const first = startWorker(url);
      await waitFor(
        "the first messages",
        async () =>
          (await stored()) >= total / 4 &&
          (await count(sql`select count(*)::int as n from deliveries
          where workspace_id = ${workspaceId} and destination_kind = 'webhook' and status = 'sent'`)) > 0,
        45_000,
      ).catch((error: Error) => {
        first.child.kill("SIGKILL");
        throw new Error(`${error.message}\n${first.stderr()}`);
      });
      first.child.kill("SIGKILL");
      await exited(first.child);
      const atKill = await stored();
      expect(atKill).toBeGreaterThan(0);
      expect(atKill).toBeLessThan(total);
      // A claimed delivery is leased for CLAIM_LEASE_MS (5 minutes) before another sender may take it:
      // the leases of those in flight at the kill have run out, as they would have by then.
      const inFlight = await count(sql`
      with lapsed as (
        update deliveries set next_attempt_at = now()
        where workspace_id = ${workspaceId} and status = 'queued' and attempts > 0 returning 1)
      select count(*)::int as n from lapsed`);

      // Second run: until every enrollment is done and every message sent.
      const second = startWorker(url);
      try {
        await waitFor(
          "the run to finish",
          async () =>
            (await count(sql`select count(*)::int as n from journey_enrollments
            where workspace_id = ${workspaceId} and state = 'active'`)) === 0 &&
            (await count(sql`select count(*)::int as n from journey_enrollments
            where workspace_id = ${workspaceId}`)) === MEMBERS &&
            (await count(sql`select count(*)::int as n from deliveries
            where workspace_id = ${workspaceId} and status <> 'sent'`)) === 0 &&
            (await stored()) === total,
          45_000,
        );
      } catch (error) {
        const state = await db.execute(sql`
        select 'enrollment ' || state as what, count(*)::int as n from journey_enrollments
        where workspace_id = ${workspaceId} group by 1
        union all select 'delivery ' || destination_kind || ' ' || status || ' ' || coalesce(last_error, ''), count(*)
        from deliveries where workspace_id = ${workspaceId} group by 1`);
        throw new Error(`${(error as Error).message}: ${JSON.stringify(state.rows)}\n${second.stderr()}`);
      } finally {
        second.child.kill("SIGTERM");
        await exited(second.child);
      }

      // Every enrollment's touchpoint visits (three with a phone number, else two): exactly one message each.
      const perEnrollment = await db.execute<{ n: number; touchpoints: number }>(sql`
      select count(*)::int as n, count(distinct message -> 'source' ->> 'touchpointId')::int as touchpoints
      from deliveries where workspace_id = ${workspaceId}
      group by split_part(idempotency_key, ':', 2)`);
      expect(perEnrollment.rows).toHaveLength(MEMBERS);
      expect(perEnrollment.rows.every((r) => r.n === r.touchpoints)).toBe(true);
      expect(perEnrollment.rows.filter((r) => r.n === 3)).toHaveLength(TEXTED);
      expect(
        await count(sql`select count(*)::int as n from journey_enrollments
        where workspace_id = ${workspaceId} and state = 'completed'`),
      ).toBe(MEMBERS);

      // Message Sent on the timeline: exactly one per message, whatever its destination.
      const sentEvents = await db.execute<{ touchpoint: string; n: number; customers: number }>(sql`
      select properties ->> 'touchpointId' as touchpoint, count(*)::int as n,
        count(distinct customer_id)::int as customers
      from events where workspace_id = ${workspaceId} and source = 'journey' and event = 'Message Sent'
      group by 1 order by 1`);
      expect(sentEvents.rows).toEqual([
        { touchpoint: "t-sms", n: TEXTED, customers: TEXTED },
        { touchpoint: "t-social", n: MEMBERS, customers: MEMBERS },
        { touchpoint: "t-welcome", n: MEMBERS, customers: MEMBERS },
      ]);

      // The receiver got every webhook message; a key twice only for a delivery claimed before the kill.
      const webhook = await db.execute<{ key: string; attempts: number }>(sql`
      select idempotency_key as key, attempts from deliveries
      where workspace_id = ${workspaceId} and destination_kind = 'webhook'`);
      expect(webhook.rows).toHaveLength(TEXTED);
      expect(webhook.rows.filter((r) => !receiver.hits.has(r.key))).toEqual([]);
      expect(receiver.hits.size).toBe(TEXTED);
      const twice = webhook.rows.filter((r) => (receiver.hits.get(r.key) ?? 0) > 1);
      expect(twice.every((r) => r.attempts === 2 && receiver.hits.get(r.key) === 2)).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(inFlight);
      console.info(
        `crash test: ${atKill}/${total} messages stored at the kill, ${inFlight} webhook deliveries in flight, ` +
          `${twice.length} received twice`,
      );
    },
  );
});
