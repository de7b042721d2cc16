import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditEvents, profileReadKeys } from "~/db/schema";
import { isWellFormedWriteKey } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { findReadKey, generateReadKey, hashReadKey, parseReadKey } from "./read-keys";

describe("read keys' text", () => {
  it("names the workspace, carries 32 base62 characters of secret, and is never a write key", () => {
    const workspaceId = "0f760c56-f3a5-4880-a2e6-0a9bf00f764b";
    const keys = Array.from({ length: 200 }, () => generateReadKey(workspaceId));
    for (const { key, keyHash, prefix } of keys) {
      expect(key).toMatch(/^crk_0f760c56f3a54880a2e60a9bf00f764b_[0-9A-Za-z]{32}$/);
      expect(parseReadKey(key)).toEqual({ workspaceId });
      expect(isWellFormedWriteKey(key)).toBe(false);
      expect(keyHash).toBe(hashReadKey(key));
      expect(key.slice(-32).startsWith(prefix.slice("crk_…".length))).toBe(true);
    }
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    for (const text of [
      "",
      "crk_",
      `crk_${"0".repeat(32)}_short`,
      `CRK_${"0".repeat(32)}_${"a".repeat(32)}`,
    ]) {
      expect(parseReadKey(text), text).toBeUndefined();
    }
  });
});

describeEachDatabase("read keys", (getDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  let other: Awaited<ReturnType<typeof makeWorkspace>>;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    f = await makeWorkspace(getDb(), "Northwind");
    other = await makeWorkspace(getDb(), "Contoso");
  });

  it("an admin creates a key, sees its text once, and the list and audit log never carry it", async () => {
    const admin = callerAs(getDb(), f.admin);
    const created = await admin.readKey.create({ workspaceId: f.workspace.id, name: "  Web shop " });
    expect(created.name).toBe("Web shop");
    expect(parseReadKey(created.key)).toEqual({ workspaceId: f.workspace.id });

    const [stored] = await getDb()
      .select()
      .from(profileReadKeys)
      .where(eq(profileReadKeys.workspaceId, f.workspace.id));
    expect(stored!.keyHash).toBe(hashReadKey(created.key));
    expect(JSON.stringify(stored)).not.toContain(created.key.slice(-32));

    const list = await admin.readKey.list({ workspaceId: f.workspace.id });
    expect(list).toEqual([
      {
        id: created.id,
        name: "Web shop",
        prefix: created.prefix,
        createdAt: expect.any(Date),
        createdByName: f.admin.name,
        lastUsedAt: null,
        revokedAt: null,
        allowedOrigins: [],
      },
    ]);

    await admin.readKey.setAllowedOrigins({
      workspaceId: f.workspace.id,
      keyId: created.id,
      allowedOrigins: ["HTTPS://Shop.Example:443/", "https://shop.example"],
    });
    await admin.readKey.revoke({ workspaceId: f.workspace.id, keyId: created.id });
    await expect(
      admin.readKey.revoke({ workspaceId: f.workspace.id, keyId: created.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const entries = await getDb()
      .select({ action: auditEvents.action, summary: auditEvents.summary })
      .from(auditEvents)
      .where(eq(auditEvents.workspaceId, f.workspace.id))
      .orderBy(auditEvents.id);
    expect(entries.filter((e) => e.action.startsWith("readKey.")).map((e) => [e.action, e.summary])).toEqual([
      ["readKey.create", "created the read key “Web shop”"],
      ["readKey.setAllowedOrigins", "limited the read key “Web shop” to pages of https://shop.example"],
      ["readKey.revoke", "revoked the read key “Web shop”"],
    ]);
    expect(JSON.stringify(await getDb().select().from(auditEvents))).not.toContain(created.key.slice(-32));
  });

  it("editors, viewers and other workspaces' admins cannot list, create or revoke", async () => {
    const created = await callerAs(getDb(), f.admin).readKey.create({
      workspaceId: f.workspace.id,
      name: "Site",
    });
    for (const user of [f.editor, f.viewer, other.admin]) {
      const caller = callerAs(getDb(), user);
      await expect(caller.readKey.list({ workspaceId: f.workspace.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(caller.readKey.create({ workspaceId: f.workspace.id, name: "X" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(
        caller.readKey.revoke({ workspaceId: f.workspace.id, keyId: created.id }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    // Another workspace's admin, in their own workspace, does not find it.
    await expect(
      callerAs(getDb(), other.admin).readKey.revoke({ workspaceId: other.workspace.id, keyId: created.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("notes when a key was last used, at most once a minute", async () => {
    const { key, id } = await callerAs(getDb(), f.admin).readKey.create({
      workspaceId: f.workspace.id,
      name: "Site",
    });
    const lastUsedAt = async () =>
      (
        await getDb()
          .select({ at: profileReadKeys.lastUsedAt })
          .from(profileReadKeys)
          .where(and(eq(profileReadKeys.workspaceId, f.workspace.id), eq(profileReadKeys.id, id)))
      )[0]!.at;
    const t0 = new Date("2026-12-07T10:00:00Z");
    expect(await findReadKey(getDb(), key, t0)).toMatchObject({ workspaceId: f.workspace.id, keyId: id });
    expect(await lastUsedAt()).toEqual(t0);
    await findReadKey(getDb(), key, new Date(t0.getTime() + 30_000));
    expect(await lastUsedAt()).toEqual(t0);
    const t2 = new Date(t0.getTime() + 61_000);
    await findReadKey(getDb(), key, t2);
    expect(await lastUsedAt()).toEqual(t2);
  });
});
