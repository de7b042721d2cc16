import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "~/db";
import { channels } from "~/db/enums";
import { customerConsents, customers, events, identities } from "~/db/schema";
import { insertCustomer } from "~/server/customers/test-fixtures";
import { resetEnvCache } from "~/server/env";
import { mergeProfiles, undoMerge } from "~/server/identity/merge";
import { ingestMessages } from "~/server/ingest/ingest";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { loadReachability, reachability, reachabilityMany } from "./reachability";
import { addSuppression, listConsent, removeSuppression, setConsent } from "./store";
import { signUnsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from "./token";
import { consentFromTraits } from "./traits";
import { viewUnsubscribe } from "./unsubscribe";

// The route handler reads the app's database through getDb(); here it is the test's.
const testDb = vi.hoisted(() => ({ current: undefined as Database | undefined }));
vi.mock("~/db", async (importOriginal) => ({
  ...(await importOriginal<typeof import("~/db")>()),
  getDb: () => testDb.current!,
}));
const { POST: postUnsubscribe } = await import("~/app/u/[token]/unsubscribe/route");

const WS = "6f1c2a1e-9a57-4a8e-8f0b-0d6f6f0c1a11";
const CUSTOMER = "0b8f8c4e-3f55-4a57-9a8e-2a4c1f0d9e22";

describe("unsubscribe tokens", () => {
  const target = { workspaceId: WS, customerId: CUSTOMER, channel: "email" as const };

  it("carry the workspace, customer and channel they were made for", () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(target))).toEqual(target);
    expect(signUnsubscribeToken(target)).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
  });

  it("refuse a forged, altered, re-signed, truncated or unknown-version token", () => {
    const token = signUnsubscribeToken(target);
    const [version, payload, signature] = token.split(".");
    const otherPayload = Buffer.from(`${WS}:${CUSTOMER}:mobile`).toString("base64url");
    expect(verifyUnsubscribeToken(`${version}.${otherPayload}.${signature}`)).toBeNull();
    const flipped = signature!.slice(0, -2) + (signature!.endsWith("A") ? "BB" : "AA");
    expect(verifyUnsubscribeToken(`${version}.${payload}.${flipped}`)).toBeNull();
    expect(
      verifyUnsubscribeToken(signUnsubscribeToken(target, "another-app-secret-another-app-secret")),
    ).toBeNull();
    expect(verifyUnsubscribeToken(`${version}.${payload}`)).toBeNull();
    expect(verifyUnsubscribeToken(`v2.${payload}.${signature}`)).toBeNull();
    expect(verifyUnsubscribeToken("")).toBeNull();
    expect(verifyUnsubscribeToken("v1.%%%.###")).toBeNull();
  });

  describe("as a link", () => {
    beforeAll(() => {
      process.env.NEXTAUTH_URL = "https://centric.example/";
      resetEnvCache();
    });
    afterAll(() => {
      delete process.env.NEXTAUTH_URL;
      resetEnvCache();
    });

    it("is an absolute address on this Centric", () => {
      const url = new URL(unsubscribeUrl(target));
      expect(url.origin).toBe("https://centric.example");
      expect(verifyUnsubscribeToken(url.pathname.replace(/^\/u\//, ""))).toEqual(target);
    });
  });
});

describe("the identify-trait convention", () => {
  it("reads unsubscribed for every channel and <channel>_subscribed for one, the latter winning", () => {
    expect(consentFromTraits({ name: "Ada" })).toBeNull();
    expect(consentFromTraits(null)).toBeNull();
    const all = consentFromTraits({ unsubscribed: true })!;
    expect(Object.keys(all).sort()).toEqual([...channels].sort());
    expect(new Set(Object.values(all))).toEqual(new Set(["unsubscribed"]));
    expect(consentFromTraits({ unsubscribed: true, email_subscribed: true })).toMatchObject({
      email: "subscribed",
      mobile: "unsubscribed",
    });
    expect(consentFromTraits({ email_subscribed: "false" })).toEqual({ email: "unsubscribed" });
    expect(consentFromTraits({ email_subscribed: "no", unsubscribed: 1 })).toBeNull();
  });
});

describeEachDatabase("consent", (getDb) => {
  let workspaceId: string;
  let adminId: string;
  let workspaceName: string;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    testDb.current = getDb();
    const f = await makeWorkspace(getDb(), "Northwind Retail");
    workspaceId = f.workspace.id;
    workspaceName = f.workspace.name;
    adminId = f.admin.id;
  });

  const stateOf = async (customerId: string, channel: (typeof channels)[number] = "email") =>
    (await listConsent(getDb(), workspaceId, customerId)).find((c) => c.channel === channel)!;
  const eventsNamed = (customerId: string, name: string) =>
    getDb()
      .select()
      .from(events)
      .where(
        and(eq(events.workspaceId, workspaceId), eq(events.customerId, customerId), eq(events.event, name)),
      );

  describe("reachability", () => {
    it("allows a customer with no consent row and no suppression", async () => {
      const id = await insertCustomer(getDb(), workspaceId, { email: "ada@example.com" });
      expect(
        await reachability(getDb(), {
          workspaceId,
          customerId: id,
          channel: "email",
          address: "ada@example.com",
        }),
      ).toEqual({
        allowed: true,
      });
    });

    it("refuses a channel the customer unsubscribed from, and only that channel", async () => {
      const id = await insertCustomer(getDb(), workspaceId);
      await setConsent(getDb(), {
        workspaceId,
        customerId: id,
        channels: ["email"],
        state: "unsubscribed",
        source: "manual",
        actorUserId: adminId,
      });
      const email = await reachability(getDb(), {
        workspaceId,
        customerId: id,
        channel: "email",
        address: "ada@example.com",
      });
      expect(email).toMatchObject({
        allowed: false,
        reason: expect.stringMatching(/unsubscribed from email by hand on \d{4}-/),
      });
      expect(
        await reachability(getDb(), {
          workspaceId,
          customerId: id,
          channel: "mobile",
          address: "+44 20 7946 0000",
        }),
      ).toEqual({ allowed: true });
      // Subscribed again: allowed again.
      await setConsent(getDb(), {
        workspaceId,
        customerId: id,
        channels: ["email"],
        state: "subscribed",
        source: "manual",
        actorUserId: adminId,
      });
      expect(
        await reachability(getDb(), { workspaceId, customerId: id, channel: "email", address: null }),
      ).toEqual({ allowed: true });
    });

    it("refuses an address on the suppression list however it is written, on that channel only", async () => {
      const id = await insertCustomer(getDb(), workspaceId);
      await addSuppression(getDb(), {
        workspaceId,
        channel: "email",
        address: " Ada@Example.COM ",
        reason: "hard bounce",
        userId: adminId,
      });
      await addSuppression(getDb(), {
        workspaceId,
        channel: "mobile",
        address: "+44 (20) 7946-0000",
        reason: "asked by phone",
        userId: adminId,
      });
      expect(
        await reachability(getDb(), {
          workspaceId,
          customerId: id,
          channel: "email",
          address: "ada@example.com",
        }),
      ).toEqual({
        allowed: false,
        reason: "the address is on the suppression list for email: hard bounce",
      });
      expect(
        await reachability(getDb(), {
          workspaceId,
          customerId: id,
          channel: "mobile",
          address: "+442079460000",
        }),
      ).toMatchObject({
        allowed: false,
      });
      expect(
        await reachability(getDb(), {
          workspaceId,
          customerId: id,
          channel: "web",
          address: "ada@example.com",
        }),
      ).toEqual({ allowed: true });
      await removeSuppression(getDb(), { workspaceId, channel: "email", address: "ADA@example.com" });
      expect(
        await reachability(getDb(), {
          workspaceId,
          customerId: id,
          channel: "email",
          address: "ada@example.com",
        }),
      ).toEqual({ allowed: true });
    });

    it("answers many customers at once, in their order, and nothing of another workspace counts", async () => {
      const other = await makeWorkspace(getDb(), "Other");
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => insertCustomer(getDb(), workspaceId)));
      await setConsent(getDb(), {
        workspaceId,
        customerId: b!,
        channels: ["email"],
        state: "unsubscribed",
        source: "manual",
        actorUserId: adminId,
      });
      await addSuppression(getDb(), {
        workspaceId: other.workspace.id,
        channel: "email",
        address: "c@example.com",
        reason: "theirs",
        userId: other.admin.id,
      });
      await addSuppression(getDb(), {
        workspaceId,
        channel: "email",
        address: "a@example.com",
        reason: "complaint",
        userId: adminId,
      });
      const answers = await reachabilityMany(getDb(), {
        workspaceId,
        channel: "email",
        recipients: [
          { customerId: a!, address: "a@example.com" },
          { customerId: b!, address: "b@example.com" },
          { customerId: c!, address: "c@example.com" },
          { customerId: c!, address: "not an address" },
        ],
      });
      expect(answers.map((x) => x.allowed)).toEqual([false, false, true, true]);
      expect(await reachabilityMany(getDb(), { workspaceId, channel: "email", recipients: [] })).toEqual([]);
    });
  });

  describe("loaded for a batch", () => {
    it("answers as reachability does, for any channel, from one statement", async () => {
      const [a, b] = await Promise.all([1, 2].map(() => insertCustomer(getDb(), workspaceId)));
      await setConsent(getDb(), {
        workspaceId,
        customerId: a!,
        channels: ["mobile"],
        state: "unsubscribed",
        source: "manual",
        actorUserId: adminId,
      });
      await addSuppression(getDb(), {
        workspaceId,
        channel: "email",
        address: "b@example.com",
        reason: "hard bounce",
        userId: adminId,
      });
      await addSuppression(getDb(), {
        workspaceId,
        channel: "mobile",
        address: "+44 20 7946 0001",
        reason: "asked",
        userId: adminId,
      });
      const reach = await loadReachability(getDb(), workspaceId, [
        { customerId: a!, addresses: ["a@example.com", "+442079460000"] },
        { customerId: b!, addresses: ["B@Example.com", "+44 (20) 7946-0001"] },
      ]);
      expect(reach.check(a!, "email", "a@example.com")).toEqual({ allowed: true });
      expect(reach.check(a!, "mobile", "+442079460000")).toMatchObject({
        allowed: false,
        reason: expect.stringMatching(/^unsubscribed from mobile by hand/),
      });
      expect(reach.check(b!, "email", "b@example.com")).toEqual({
        allowed: false,
        reason: "the address is on the suppression list for email: hard bounce",
      });
      expect(reach.check(b!, "mobile", "+442079460001")).toMatchObject({ allowed: false });
      expect(reach.check(b!, "web", null)).toEqual({ allowed: true });
      for (const [customerId, channel, address] of [
        [a!, "email", "a@example.com"],
        [a!, "mobile", "+442079460000"],
        [b!, "email", "b@example.com"],
        [b!, "mobile", "+442079460001"],
      ] as const) {
        expect(reach.check(customerId, channel, address)).toEqual(
          await reachability(getDb(), { workspaceId, customerId, channel, address }),
        );
      }
      expect((await loadReachability(getDb(), workspaceId, [])).check(a!, "email", null)).toEqual({
        allowed: true,
      });
    });
  });

  describe("the suppression list", () => {
    it("refuses an address that is not one, and a repeat, with clear errors", async () => {
      await expect(
        addSuppression(getDb(), {
          workspaceId,
          channel: "email",
          address: "nope",
          reason: "x",
          userId: adminId,
        }),
      ).rejects.toThrow("That is not an email address.");
      await addSuppression(getDb(), {
        workspaceId,
        channel: "email",
        address: "a@example.com",
        reason: "x",
        userId: adminId,
      });
      await expect(
        addSuppression(getDb(), {
          workspaceId,
          channel: "email",
          address: "A@example.com",
          reason: "y",
          userId: adminId,
        }),
      ).rejects.toThrow(/already on the suppression list/);
      await expect(
        removeSuppression(getDb(), { workspaceId, channel: "mobile", address: "a@example.com" }),
      ).rejects.toThrow(/not on the suppression list/);
    });
  });

  describe("set by hand", () => {
    it("records source, time and person, and a timeline event only when the state changes", async () => {
      const id = await insertCustomer(getDb(), workspaceId);
      expect(await stateOf(id)).toMatchObject({ state: "subscribed", source: null });
      const first = await setConsent(getDb(), {
        workspaceId,
        customerId: id,
        channels: ["email"],
        state: "unsubscribed",
        source: "manual",
        actorUserId: adminId,
      });
      expect(first.changed).toEqual(["email"]);
      const again = await setConsent(getDb(), {
        workspaceId,
        customerId: id,
        channels: ["email"],
        state: "unsubscribed",
        source: "manual",
        actorUserId: adminId,
      });
      expect(again.changed).toEqual([]);
      expect(await stateOf(id)).toMatchObject({
        state: "unsubscribed",
        source: "manual",
        changedBy: expect.any(String),
      });
      const logged = await eventsNamed(id, "Unsubscribed");
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        channel: "email",
        properties: { channel: "email", source: "manual" },
        source: "consent",
      });
      const [row] = await getDb()
        .select()
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)));
      expect(row!.eventCount).toBe(1);
    });
  });

  describe("identify traits", () => {
    const ingest = (messages: unknown[]) => ingestMessages(getDb(), { workspaceId, messages, source: "api" });
    const customerOf = async (userId: string) => {
      const [row] = await getDb()
        .select({ customerId: identities.customerId })
        .from(identities)
        .where(
          and(
            eq(identities.workspaceId, workspaceId),
            eq(identities.kind, "user_id"),
            eq(identities.value, userId),
          ),
        );
      return row!.customerId;
    };

    it("unsubscribe from all channels or one, and an older identify never undoes a newer choice", async () => {
      await ingest([
        {
          type: "identify",
          userId: "u1",
          messageId: "i1",
          traits: { unsubscribed: true },
          timestamp: "2026-03-01T10:00:00Z",
        },
        {
          type: "identify",
          userId: "u2",
          messageId: "i2",
          context: { traits: { email_subscribed: false } },
          timestamp: "2026-03-01T10:00:00Z",
        },
        {
          type: "identify",
          userId: "u3",
          messageId: "i3",
          traits: { name: "No consent keys" },
          timestamp: "2026-03-01T10:00:00Z",
        },
      ]);
      const [u1, u2, u3] = [await customerOf("u1"), await customerOf("u2"), await customerOf("u3")];
      for (const channel of channels) expect((await stateOf(u1, channel)).state).toBe("unsubscribed");
      expect(await stateOf(u2)).toMatchObject({ state: "unsubscribed", source: "trait" });
      expect((await stateOf(u2, "mobile")).state).toBe("subscribed");
      expect(
        await getDb().select().from(customerConsents).where(eq(customerConsents.customerId, u3)),
      ).toEqual([]);

      // Older than the stored choice: ignored. Newer: applied.
      await ingest([
        {
          type: "identify",
          userId: "u2",
          messageId: "i4",
          traits: { email_subscribed: true },
          timestamp: "2026-02-01T10:00:00Z",
        },
      ]);
      expect((await stateOf(u2)).state).toBe("unsubscribed");
      await ingest([
        {
          type: "identify",
          userId: "u2",
          messageId: "i5",
          traits: { email_subscribed: true },
          timestamp: "2026-04-01T10:00:00Z",
        },
      ]);
      expect((await stateOf(u2)).state).toBe("subscribed");
    });
  });

  describe("merges", () => {
    it("carry an unsubscribe of either profile to the survivor, and a split leaves the merged one as it was", async () => {
      const survivor = await insertCustomer(getDb(), workspaceId);
      const merged = await insertCustomer(getDb(), workspaceId);
      await setConsent(getDb(), {
        workspaceId,
        customerId: survivor,
        channels: ["email"],
        state: "subscribed",
        source: "manual",
        actorUserId: adminId,
      });
      await setConsent(getDb(), {
        workspaceId,
        customerId: merged,
        channels: ["email", "mobile"],
        state: "unsubscribed",
        source: "link",
        actorUserId: null,
      });
      const { mergeId } = await getDb().transaction((tx) =>
        mergeProfiles(tx, { workspaceId, survivorId: survivor, mergedId: merged, actorUserId: adminId }),
      );
      expect(await stateOf(survivor)).toMatchObject({ state: "unsubscribed", source: "link" });
      expect((await stateOf(survivor, "mobile")).state).toBe("unsubscribed");
      expect(
        await reachability(getDb(), { workspaceId, customerId: survivor, channel: "email", address: null }),
      ).toMatchObject({ allowed: false });

      await getDb().transaction((tx) => undoMerge(tx, { workspaceId, mergeId, actorUserId: adminId }));
      expect((await stateOf(merged)).state).toBe("unsubscribed");
    });

    it("carry it when ingestion merges two stored profiles", async () => {
      await ingestMessages(getDb(), {
        workspaceId,
        source: "api",
        messages: [
          {
            type: "identify",
            userId: "web-1",
            messageId: "a",
            traits: { email_subscribed: false },
            timestamp: "2026-03-01T10:00:00Z",
          },
          {
            type: "identify",
            anonymousId: "anon-1",
            messageId: "b",
            traits: { email: "ada@example.com" },
            timestamp: "2026-03-01T10:00:00Z",
          },
        ],
      });
      // One message naming both: their profiles merge.
      await ingestMessages(getDb(), {
        workspaceId,
        source: "api",
        messages: [
          {
            type: "track",
            userId: "web-1",
            anonymousId: "anon-1",
            event: "Seen",
            messageId: "c",
            timestamp: "2026-03-02T10:00:00Z",
          },
        ],
      });
      const standing = await getDb()
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), isNull(customers.mergedInto)));
      expect(standing).toHaveLength(1);
      expect((await stateOf(standing[0]!.id)).state).toBe("unsubscribed");
    });
  });

  describe("the unsubscribe link", () => {
    const post = (token: string, body: string) =>
      postUnsubscribe(
        new Request(`http://centric.test/u/${token}/unsubscribe`, {
          method: "POST",
          body,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        { params: Promise.resolve({ token }) },
      );

    it("shows the question on GET without unsubscribing; the button unsubscribes and comes back to the page", async () => {
      const id = await insertCustomer(getDb(), workspaceId);
      const token = signUnsubscribeToken({ workspaceId, customerId: id, channel: "email" });
      expect(await viewUnsubscribe(getDb(), token)).toEqual({
        kind: "ready",
        workspaceName,
        channel: "email",
      });
      expect(await viewUnsubscribe(getDb(), token)).toMatchObject({ kind: "ready" });
      expect((await stateOf(id)).state).toBe("subscribed");

      const response = await post(token, "");
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`/u/${token}`);
      expect(await stateOf(id)).toMatchObject({ state: "unsubscribed", source: "link", changedBy: null });
      expect(await viewUnsubscribe(getDb(), token)).toEqual({
        kind: "unsubscribed",
        workspaceName,
        channel: "email",
      });
      const logged = await eventsNamed(id, "Unsubscribed");
      expect(logged.map((e) => e.properties)).toEqual([{ channel: "email", source: "link" }]);
    });

    it("unsubscribes at once on an RFC 8058 one-click POST, and answers 200", async () => {
      const id = await insertCustomer(getDb(), workspaceId);
      const token = signUnsubscribeToken({ workspaceId, customerId: id, channel: "mobile" });
      const response = await post(token, "List-Unsubscribe=One-Click");
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("Unsubscribed from mobile from Northwind Retail.");
      expect((await stateOf(id, "mobile")).state).toBe("unsubscribed");
      // Also as multipart/form-data, which RFC 8058 allows; a repeat is harmless and logs nothing new.
      const form = new FormData();
      form.set("List-Unsubscribe", "One-Click");
      const multipart = await postUnsubscribe(
        new Request(`http://centric.test/u/${token}/unsubscribe`, { method: "POST", body: form }),
        {
          params: Promise.resolve({ token }),
        },
      );
      expect(multipart.status).toBe(200);
      expect((await post(token, "List-Unsubscribe=One-Click")).status).toBe(200);
      expect(await eventsNamed(id, "Unsubscribed")).toHaveLength(1);
    });

    it("refuses a forged or altered token, and says when the customer is gone", async () => {
      const id = await insertCustomer(getDb(), workspaceId);
      const token = signUnsubscribeToken({ workspaceId, customerId: id, channel: "email" });
      const forged = signUnsubscribeToken({ workspaceId, customerId: id, channel: "email" }, "x".repeat(40));
      expect(await viewUnsubscribe(getDb(), forged)).toEqual({ kind: "invalid" });
      expect((await post(forged, "List-Unsubscribe=One-Click")).status).toBe(400);
      expect((await post(token.slice(0, -3), "")).status).toBe(400);
      expect((await stateOf(id)).state).toBe("subscribed");

      const ghost = signUnsubscribeToken({ workspaceId, customerId: CUSTOMER, channel: "email" });
      expect(await viewUnsubscribe(getDb(), ghost)).toEqual({ kind: "gone" });
      expect((await post(ghost, "List-Unsubscribe=One-Click")).status).toBe(404);
    });

    it("unsubscribes the profile a merged customer joined", async () => {
      const survivor = await insertCustomer(getDb(), workspaceId);
      const merged = await insertCustomer(getDb(), workspaceId);
      const token = signUnsubscribeToken({ workspaceId, customerId: merged, channel: "email" });
      await getDb().transaction((tx) =>
        mergeProfiles(tx, { workspaceId, survivorId: survivor, mergedId: merged, actorUserId: adminId }),
      );
      expect((await post(token, "List-Unsubscribe=One-Click")).status).toBe(200);
      expect((await stateOf(survivor)).state).toBe("unsubscribed");
      expect((await stateOf(merged)).state).toBe("unsubscribed");
    });
  });
});
