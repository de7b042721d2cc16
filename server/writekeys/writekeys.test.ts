import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditEvents, writeKeys } from "~/db/schema";
import { RefusalLog } from "~/server/ingest/refusals";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import {
  createWriteKey,
  findWorkspaceByWriteKey,
  generateWriteKey,
  LAST_USED_RESOLUTION_MS,
  listWriteKeys,
  revokeWriteKey,
} from "./writekeys";

describe("generateWriteKey", () => {
  it("makes 32 base62 characters, different every time, using the whole alphabet", () => {
    const keys = Array.from({ length: 500 }, generateWriteKey);
    for (const key of keys) expect(key).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys.join("")).size).toBe(62);
  });
});

describeEachDatabase("write keys", (getDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  let other: Awaited<ReturnType<typeof makeWorkspace>>;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    f = await makeWorkspace(getDb(), "Northwind");
    other = await makeWorkspace(getDb(), "Contoso");
  });

  const lastUsedAt = async (keyId: string) => {
    const [row] = await getDb()
      .select({ lastUsedAt: writeKeys.lastUsedAt })
      .from(writeKeys)
      .where(and(eq(writeKeys.workspaceId, f.workspace.id), eq(writeKeys.id, keyId)));
    return row?.lastUsedAt;
  };

  it("an admin creates keys and lists them newest first, active and revoked, with who created them", async () => {
    const admin = callerAs(getDb(), f.admin);
    const web = await admin.writeKey.create({ workspaceId: f.workspace.id, name: "  Web shop " });
    const app = await admin.writeKey.create({ workspaceId: f.workspace.id, name: "iOS app" });
    expect(web.name).toBe("Web shop");
    expect(web.key).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(app.key).not.toBe(web.key);
    await admin.writeKey.revoke({ workspaceId: f.workspace.id, keyId: web.id });

    const keys = await admin.writeKey.list({ workspaceId: f.workspace.id });
    expect(keys.map((k) => [k.name, k.key, k.revokedAt === null])).toEqual([
      ["iOS app", app.key, true],
      ["Web shop", web.key, false],
    ]);
    expect(keys[0]!.createdByName).toBe(f.admin.name);
    expect(keys[0]!.lastUsedAt).toBeNull();
    expect(
      await admin.writeKey.list({ workspaceId: other.workspace.id }).catch((e: unknown) => e),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("records creation and revocation in the audit log without the key itself", async () => {
    const admin = callerAs(getDb(), f.admin);
    const created = await admin.writeKey.create({ workspaceId: f.workspace.id, name: "Web shop" });
    await admin.writeKey.revoke({ workspaceId: f.workspace.id, keyId: created.id });
    const entries = await getDb()
      .select({ action: auditEvents.action, summary: auditEvents.summary, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.workspaceId, f.workspace.id))
      .orderBy(auditEvents.id);
    const ours = entries.filter((e) => e.action.startsWith("writeKey."));
    expect(ours.map((e) => [e.action, e.summary])).toEqual([
      ["writeKey.create", "created the write key “Web shop”"],
      ["writeKey.revoke", "revoked the write key “Web shop”"],
    ]);
    expect(JSON.stringify(ours)).not.toContain(created.key);
  });

  it("shows admins what each key had refused, without the key, and only their workspace's keys", async () => {
    const admin = callerAs(getDb(), f.admin);
    const mine = await admin.writeKey.create({ workspaceId: f.workspace.id, name: "Web shop" });
    const theirs = await callerAs(getDb(), other.admin).writeKey.create({ workspaceId: other.workspace.id, name: "App" });
    const log = new RefusalLog();
    const refused = { reason: "invalid" as const, error: "userId or anonymousId is required", excerpt: '{"event":"E"}', position: 3 };
    log.note(getDb(), { workspaceId: f.workspace.id, keyId: mine.id }, [refused]);
    log.noteCount(getDb(), { workspaceId: other.workspace.id, keyId: theirs.id }, "rate_limited", 5);
    await log.flush();
    const record = await admin.writeKey.refusals({ workspaceId: f.workspace.id });
    expect(record).toEqual([
      {
        keyId: mine.id,
        keyName: "Web shop",
        revoked: false,
        total: 1,
        lastAt: expect.any(Date),
        counts: [{ reason: "invalid", count: 1, lastAt: expect.any(Date) }],
        latest: [{ id: expect.any(Number), reason: "invalid", error: refused.error, excerpt: refused.excerpt, position: 3, refusedAt: expect.any(Date) }],
      },
    ]);
    expect(JSON.stringify(record)).not.toContain(mine.key);
    await expect(callerAs(getDb(), f.viewer).writeKey.refusals({ workspaceId: f.workspace.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(getDb(), f.admin).writeKey.refusals({ workspaceId: other.workspace.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("an admin sets a key's allowed origins, normalised and audited; viewers, editors and other workspaces cannot", async () => {
    const admin = callerAs(getDb(), f.admin);
    const key = await admin.writeKey.create({ workspaceId: f.workspace.id, name: "Web shop" });
    const input = { workspaceId: f.workspace.id, keyId: key.id, allowedOrigins: ["https://Shop.example/", "http://localhost:5173"] };
    for (const user of [f.viewer, f.editor, other.admin]) {
      await expect(callerAs(getDb(), user).writeKey.setAllowedOrigins(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    // Another workspace's admin naming their own workspace cannot reach this key either.
    await expect(
      callerAs(getDb(), other.admin).writeKey.setAllowedOrigins({ ...input, workspaceId: other.workspace.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    const updated = await admin.writeKey.setAllowedOrigins(input);
    expect(updated.allowedOrigins).toEqual(["https://shop.example", "http://localhost:5173"]);
    expect((await admin.writeKey.list({ workspaceId: f.workspace.id }))[0]!.allowedOrigins).toEqual(updated.allowedOrigins);
    expect(await findWorkspaceByWriteKey(getDb(), key.key)).toMatchObject({ allowedOrigins: updated.allowedOrigins });
    await admin.writeKey.setAllowedOrigins({ ...input, allowedOrigins: [] });

    const summaries = (
      await getDb().select({ summary: auditEvents.summary }).from(auditEvents).where(eq(auditEvents.action, "writeKey.setAllowedOrigins")).orderBy(auditEvents.id)
    ).map((e) => e.summary);
    expect(summaries).toEqual([
      "limited the write key “Web shop” to pages of https://shop.example, http://localhost:5173",
      "let pages of any origin send with the write key “Web shop”",
    ]);
  });

  it("refuses origins that are not scheme://host[:port], with a message per entry, and a revoked key's", async () => {
    const admin = callerAs(getDb(), f.admin);
    const key = await admin.writeKey.create({ workspaceId: f.workspace.id, name: "Web shop" });
    const error = await admin.writeKey
      .setAllowedOrigins({ workspaceId: f.workspace.id, keyId: key.id, allowedOrigins: ["shop.example", "https://a.example/cart"] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect((error as Error).message).toContain("needs its scheme");
    expect((error as Error).message).toContain("has a path");
    await admin.writeKey.revoke({ workspaceId: f.workspace.id, keyId: key.id });
    await expect(
      admin.writeKey.setAllowedOrigins({ workspaceId: f.workspace.id, keyId: key.id, allowedOrigins: [] }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses an empty name, naming the field", async () => {
    const admin = callerAs(getDb(), f.admin);
    const error = await admin.writeKey
      .create({ workspaceId: f.workspace.id, name: "   " })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect((error as Error).message).toContain("Name the key");
  });

  it("finds the workspace of an active key, and refuses a revoked key at once", async () => {
    const db = getDb();
    const key = await createWriteKey(db, {
      workspaceId: f.workspace.id,
      name: "Web shop",
      createdBy: f.admin.id,
    });
    expect(await findWorkspaceByWriteKey(db, key.key)).toEqual({
      workspaceId: f.workspace.id,
      keyId: key.id,
      allowedOrigins: [],
    });
    await revokeWriteKey(db, { workspaceId: f.workspace.id, keyId: key.id });
    expect(await findWorkspaceByWriteKey(db, key.key)).toBeUndefined();
  });

  it("refuses unknown and malformed keys", async () => {
    const db = getDb();
    const key = await createWriteKey(db, { workspaceId: f.workspace.id, name: "Web shop", createdBy: null });
    expect(await findWorkspaceByWriteKey(db, generateWriteKey())).toBeUndefined();
    expect(await findWorkspaceByWriteKey(db, "")).toBeUndefined();
    const swapCase = [...key.key]
      .map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))
      .join("");
    expect(await findWorkspaceByWriteKey(db, swapCase)).toBeUndefined();
    expect(await findWorkspaceByWriteKey(db, key.key.slice(1))).toBeUndefined();
    expect(await findWorkspaceByWriteKey(db, `${key.key}:`)).toBeUndefined();
    expect(await findWorkspaceByWriteKey(db, "' OR 1=1 --")).toBeUndefined();
  });

  it("updates lastUsedAt on first use and then at most once a minute", async () => {
    const db = getDb();
    const key = await createWriteKey(db, { workspaceId: f.workspace.id, name: "Web shop", createdBy: null });
    const t0 = new Date("2030-01-01T12:00:00Z");
    await findWorkspaceByWriteKey(db, key.key, t0);
    expect(await lastUsedAt(key.id)).toEqual(t0);
    await findWorkspaceByWriteKey(db, key.key, new Date(t0.getTime() + 10_000));
    await findWorkspaceByWriteKey(db, key.key, new Date(t0.getTime() + LAST_USED_RESOLUTION_MS - 1));
    expect(await lastUsedAt(key.id)).toEqual(t0);
    const t1 = new Date(t0.getTime() + LAST_USED_RESOLUTION_MS);
    await findWorkspaceByWriteKey(db, key.key, t1);
    expect(await lastUsedAt(key.id)).toEqual(t1);
    // Many requests at once within the minute: still one value, none lost.
    const t2 = new Date(t1.getTime() + LAST_USED_RESOLUTION_MS + 5_000);
    const found = await Promise.all(
      Array.from({ length: 8 }, () => findWorkspaceByWriteKey(db, key.key, t2)),
    );
    expect(found.every((r) => r?.keyId === key.id)).toBe(true);
    expect(await lastUsedAt(key.id)).toEqual(t2);
  });

  it("revoking twice, or another workspace's key, is refused and changes nothing", async () => {
    const admin = callerAs(getDb(), f.admin);
    const key = await admin.writeKey.create({ workspaceId: f.workspace.id, name: "Web shop" });
    await admin.writeKey.revoke({ workspaceId: f.workspace.id, keyId: key.id });
    await expect(admin.writeKey.revoke({ workspaceId: f.workspace.id, keyId: key.id })).rejects.toMatchObject(
      {
        code: "CONFLICT",
        message: expect.stringContaining("already been revoked"),
      },
    );

    const theirs = await callerAs(getDb(), other.admin).writeKey.create({
      workspaceId: other.workspace.id,
      name: "POS",
    });
    // An admin of Northwind names their own workspace but Contoso's key.
    await expect(
      admin.writeKey.revoke({ workspaceId: f.workspace.id, keyId: theirs.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await findWorkspaceByWriteKey(getDb(), theirs.key)).toMatchObject({
      workspaceId: other.workspace.id,
      keyId: theirs.id,
    });
    expect((await listWriteKeys(getDb(), f.workspace.id)).map((k) => k.id)).toEqual([key.id]);
  });
});
