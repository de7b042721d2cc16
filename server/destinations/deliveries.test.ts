import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "~/db";
import { deliveries } from "~/db/schema";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import {
  backoffMs,
  enqueueDelivery,
  listDeliveries,
  processDueDeliveries,
  replayDelivery,
} from "./deliveries";
import { createDestination, removeDestination, setRoute } from "./store";
import { sampleMessage } from "./test-fixtures";
import { SIGNATURE_HEADER, verifySignature } from "./webhook";

// The sender against a real SMTP server (smtp-server) and a real HTTP receiver,
// both started by the test on free local ports.

interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

/** An SMTP server that stores what it receives; `refuse` makes it answer RCPT TO with that code. */
function startSmtp() {
  const received: Received[] = [];
  const state = { refuse: 0 };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "mailer" && auth.password === "s3cret") callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Invalid credentials"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (state.refuse)
        callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: state.refuse }));
      else callback();
    },
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw,
        });
        callback();
      });
    },
  });
  return new Promise<{ port: number; received: Received[]; state: typeof state; close: () => Promise<void> }>(
    (resolve) => {
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.server.address() as AddressInfo;
        resolve({ port, received, state, close: () => new Promise((r) => server.close(() => r())) });
      });
    },
  );
}

interface Hit {
  body: string;
  signature: string;
  idempotencyKey: string;
}

/** An HTTP receiver that answers each POST with the next status of `script` (the last one repeats); 0 never answers. */
function startReceiver() {
  const hits: Hit[] = [];
  const state = { script: [200] as number[] };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      hits.push({
        body,
        signature: String(req.headers[SIGNATURE_HEADER.toLowerCase()] ?? ""),
        idempotencyKey: String(req.headers["idempotency-key"] ?? ""),
      });
      const status = state.script.length > 1 ? state.script.shift()! : state.script[0]!;
      if (status === 0) return; // hang: the sender's timeout must end it
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "nope");
    });
  });
  return new Promise<{ url: string; hits: Hit[]; state: typeof state; close: () => Promise<void> }>(
    (resolve) => {
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        resolve({
          url: `http://127.0.0.1:${port}/hooks/centric`,
          hits,
          state,
          close: () => new Promise((r) => server.closeAllConnections() ?? server.close(() => r())),
        });
      });
    },
  );
}

describe("backoff", () => {
  it("doubles from 30 s and stops growing at an hour", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(20)).toBe(3_600_000);
  });
});

describeEachDatabase("deliveries", (getDb) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  const ws = () => f.workspace.id;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await smtp.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await truncateAllTables(getDb());
    f = await makeWorkspace(getDb(), "Northwind");
    smtp.received.length = 0;
    smtp.state.refuse = 0;
    receiver.hits.length = 0;
    receiver.state.script = [200];
  });

  const status = async (db: Database, id: string) => {
    const [row] = await db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.workspaceId, ws()), eq(deliveries.id, id)));
    return row!;
  };
  /** Makes a queued delivery due now, as if its backoff had passed. */
  const makeDue = (db: Database, id: string) =>
    db
      .update(deliveries)
      .set({ nextAttemptAt: sql`now() - interval '1 second'` })
      .where(eq(deliveries.id, id));

  const smtpDestination = async (db: Database) => {
    const d = await createDestination(db, {
      workspaceId: ws(),
      userId: f.admin.id,
      input: {
        kind: "smtp",
        name: "Mail",
        settings: {
          host: "127.0.0.1",
          port: smtp.port,
          security: "none",
          username: "mailer",
          fromAddress: "news@northwind.example",
          fromName: "Northwind",
        },
        secret: "s3cret",
      },
    });
    await setRoute(db, { workspaceId: ws(), channel: "email", destinationId: d.id });
    return d;
  };

  it("sends email through SMTP with the stored password, the unsubscribe headers and a stable Message-ID", async () => {
    const db = getDb();
    await smtpDestination(db);
    const id = (await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "email",
      customerId: null,
      message: sampleMessage({ unsubscribeUrl: "https://app.example/u/tok" }),
      idempotencyKey: "run1-c1-welcome",
    }))!;
    const [outcome] = await processDueDeliveries(db);
    expect(outcome).toEqual({ id, status: "sent", error: null });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.user).toBe("mailer");
    expect(mail.to).toEqual(["ada@example.com"]);
    expect(mail.from).toBe("news@northwind.example");
    expect(mail.raw).toContain("Subject: Welcome, Ada");
    expect(mail.raw).toContain("List-Unsubscribe: <https://app.example/u/tok>");
    expect(mail.raw).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(mail.raw).toContain("Message-ID: <run1-c1-welcome@centric>");
    expect((await status(db, id)).sentAt).not.toBeNull();
  });

  it("dead-letters an address the server refuses (5xx) at once, and retries a 4xx later", async () => {
    const db = getDb();
    await smtpDestination(db);
    smtp.state.refuse = 550;
    const refused = (await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "email",
      customerId: null,
      message: sampleMessage(),
      idempotencyKey: "k-550",
    }))!;
    await processDueDeliveries(db);
    expect(await status(db, refused)).toMatchObject({ status: "dead", attempts: 1 });
    expect((await status(db, refused)).lastError).toMatch(/Mailbox unavailable/);

    smtp.state.refuse = 451;
    const later = (await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "email",
      customerId: null,
      message: sampleMessage(),
      idempotencyKey: "k-451",
    }))!;
    const before = Date.now();
    await processDueDeliveries(db);
    const row = await status(db, later);
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 29_000);
    smtp.state.refuse = 0;
    await makeDue(db, later);
    await processDueDeliveries(db);
    expect(await status(db, later)).toMatchObject({ status: "sent", attempts: 2 });
    expect(smtp.received).toHaveLength(1);
  });

  it("posts a signed webhook, retries a 500 with the same idempotency key, then succeeds", async () => {
    const db = getDb();
    const hook = await createDestination(db, {
      workspaceId: ws(),
      userId: f.admin.id,
      input: {
        kind: "webhook",
        name: "SMS gateway",
        settings: { url: receiver.url, timeoutMs: 2000, maxAttempts: 3 },
      },
    });
    expect(hook.generatedSecret).toMatch(/^[\w-]{32}$/);
    await setRoute(db, { workspaceId: ws(), channel: "mobile", destinationId: hook.id });
    receiver.state.script = [500, 200];
    const id = (await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "mobile",
      customerId: null,
      message: sampleMessage({ to: "+441234567890" }),
      idempotencyKey: "run1-c1-sms",
    }))!;
    await processDueDeliveries(db);
    expect(await status(db, id)).toMatchObject({ status: "queued", attempts: 1 });
    await makeDue(db, id);
    await processDueDeliveries(db);
    expect(await status(db, id)).toMatchObject({ status: "sent", attempts: 2 });

    expect(receiver.hits).toHaveLength(2);
    for (const hit of receiver.hits) {
      expect(hit.idempotencyKey).toBe("run1-c1-sms");
      expect(
        verifySignature(hook.generatedSecret!, hit.body, hit.signature, Math.floor(Date.now() / 1000)),
      ).toBe(true);
      expect(
        verifySignature("another-secret-entirely", hit.body, hit.signature, Math.floor(Date.now() / 1000)),
      ).toBe(false);
    }
    const payload = JSON.parse(receiver.hits[0]!.body);
    expect(payload).toMatchObject({
      type: "message",
      deliveryId: id,
      channel: "mobile",
      source: { kind: "journey", touchpointId: "welcome" },
      message: { to: "+441234567890", subject: "Welcome, Ada" },
      customer: { traits: { first_name: "Ada" } },
    });
  });

  it("dead-letters after the last attempt, on a 4xx at once, on a timeout in time; an admin replays it", async () => {
    const db = getDb();
    const hook = await createDestination(db, {
      workspaceId: ws(),
      userId: f.admin.id,
      input: {
        kind: "webhook",
        name: "CRM",
        settings: { url: receiver.url, timeoutMs: 1000, maxAttempts: 2 },
        secret: "a-signing-secret-of-some-length",
      },
    });
    await setRoute(db, { workspaceId: ws(), channel: "call_center", destinationId: hook.id });
    const queue = async (key: string) =>
      (await enqueueDelivery(db, {
        workspaceId: ws(),
        channel: "call_center",
        customerId: null,
        message: sampleMessage(),
        idempotencyKey: key,
      }))!;

    receiver.state.script = [503];
    const failing = await queue("k-503");
    await processDueDeliveries(db);
    await makeDue(db, failing);
    await processDueDeliveries(db);
    expect(await status(db, failing)).toMatchObject({ status: "dead", attempts: 2 });
    expect((await status(db, failing)).lastError).toMatch(/HTTP 503/);

    receiver.state.script = [422];
    const refused = await queue("k-422");
    await processDueDeliveries(db);
    expect(await status(db, refused)).toMatchObject({ status: "dead", attempts: 1 });

    receiver.state.script = [0];
    const hanging = await queue("k-hang");
    const t = Date.now();
    await processDueDeliveries(db);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(await status(db, hanging)).toMatchObject({ status: "queued", attempts: 1 });
    expect((await status(db, hanging)).lastError).toMatch(/no answer within 1000 ms/);

    const dead = await listDeliveries(db, { workspaceId: ws(), status: "dead" });
    expect(dead.deliveries.map((d) => d.id).sort()).toEqual([failing, refused].sort());

    receiver.state.script = [200];
    await replayDelivery(db, { workspaceId: ws(), deliveryId: failing });
    await processDueDeliveries(db, { ids: [failing] });
    expect(await status(db, failing)).toMatchObject({ status: "sent", attempts: 1 });
    await expect(replayDelivery(db, { workspaceId: ws(), deliveryId: failing })).rejects.toThrow(
      /no dead-lettered/,
    );
  });

  it("keeps unrouted channels' messages in the outbox, once per idempotency key", async () => {
    const db = getDb();
    const message = sampleMessage();
    const first = await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "web",
      customerId: null,
      message,
      idempotencyKey: "same",
    });
    const again = await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "web",
      customerId: null,
      message,
      idempotencyKey: "same",
    });
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    await processDueDeliveries(db);
    const outbox = await listDeliveries(db, { workspaceId: ws(), outboxOnly: true });
    expect(outbox.deliveries).toHaveLength(1);
    expect(outbox.deliveries[0]).toMatchObject({ status: "sent", destinationKind: "outbox", attempts: 1 });
  });

  it("never hands one delivery to two senders, and takes back one whose sender died after its lease", async () => {
    const db = getDb();
    const id = (await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "web",
      customerId: null,
      message: sampleMessage(),
      idempotencyKey: "lease",
    }))!;
    // Two senders at once: the row goes to one of them.
    const [a, b] = await Promise.all([processDueDeliveries(db), processDueDeliveries(db)]);
    expect(a!.length + b!.length).toBe(1);

    // A sender that claimed a row and died: its lease holds the row until it expires.
    await db
      .update(deliveries)
      .set({ status: "queued", attempts: 1, nextAttemptAt: sql`now() + interval '5 minutes'` })
      .where(eq(deliveries.id, id));
    expect(await processDueDeliveries(db)).toHaveLength(0);
    await makeDue(db, id);
    expect(await processDueDeliveries(db)).toEqual([{ id, status: "sent", error: null }]);
  });

  it("dead-letters what is still queued for a destination when it is removed", async () => {
    const db = getDb();
    const d = await smtpDestination(db);
    const id = (await enqueueDelivery(db, {
      workspaceId: ws(),
      channel: "email",
      customerId: null,
      message: sampleMessage(),
      idempotencyKey: "orphan",
    }))!;
    expect(await removeDestination(db, { workspaceId: ws(), destinationId: d.id })).toEqual({
      name: "Mail",
      deadLettered: 1,
    });
    expect(await status(db, id)).toMatchObject({ status: "dead" });
    expect(await processDueDeliveries(db)).toHaveLength(0);
  });

  it("an admin sends a test to themself through SMTP and sees the server's refusal when there is one", async () => {
    const db = getDb();
    const d = await smtpDestination(db);
    const admin = callerAs(db, f.admin);
    const ok = await admin.destination.sendTest({ workspaceId: ws(), destinationId: d.id });
    expect(ok.status).toBe("sent");
    expect(smtp.received.at(-1)!.to).toEqual([f.admin.email]);
    smtp.state.refuse = 550;
    const refused = await admin.destination.sendTest({ workspaceId: ws(), destinationId: d.id });
    expect(refused.status).toBe("dead");
    expect(refused.error).toMatch(/550|Mailbox unavailable/);
  });

  it("lists destinations without their credentials, and refuses an SMTP route for another channel", async () => {
    const db = getDb();
    const d = await smtpDestination(db);
    const admin = callerAs(db, f.admin);
    const list = await admin.destination.list({ workspaceId: ws() });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: "Mail", kind: "smtp", hasSecret: true, channels: ["email"] });
    expect(JSON.stringify(list)).not.toContain("s3cret");
    await expect(
      admin.destination.setRoute({ workspaceId: ws(), channel: "mobile", destinationId: d.id }),
    ).rejects.toThrow(/SMTP destination sends email/);
    await expect(
      admin.destination.update({
        workspaceId: ws(),
        destinationId: d.id,
        destination: { kind: "webhook", name: "Mail", settings: { url: "https://x.example" } },
      }),
    ).rejects.toThrow(/kind cannot change/);
  });
});
