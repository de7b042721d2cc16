import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findUnstorableText } from "~/server/storable-text";
import { createWriteKey } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import {
  EXCERPT_CHARS,
  excerptOf,
  excerptOfText,
  listRefusals,
  REFUSAL_EXAMPLES_PER_KEY,
  RefusalLog,
} from "./refusals";

const KEY = "K".repeat(32);

describe("excerpts of refused messages", () => {
  it("shows the message as JSON without its write key", () => {
    expect(excerptOf({ writeKey: KEY, userId: "u", properties: { note: `sent with ${KEY}` } }, KEY)).toBe(
      '{"userId":"u","properties":{"note":"sent with …"}}',
    );
    expect(excerptOfText(`{"writeKey":"${KEY}", oops`, KEY)).toBe('{"writeKey":"…", oops');
  });

  it("stays short and storable whatever was sent", () => {
    const hostile = [
      { note: "x".repeat(100_000) },
      { ["k".repeat(10_000)]: 1 },
      Array.from({ length: 100_000 }, (_, i) => i),
      JSON.parse(`${"[".repeat(5_000)}1${"]".repeat(5_000)}`),
      { nul: "a\u0000b", lone: "c\ud800d", [`key\udc00`]: "e" },
      { pair: `${"p".repeat(EXCERPT_CHARS - 10)}${"😀".repeat(20)}` },
      "just a string",
      null,
    ];
    for (const value of hostile) {
      const excerpt = excerptOf(value, KEY);
      expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
      expect(findUnstorableText(excerpt)).toBeUndefined();
    }
    expect(excerptOf({ nul: "a\u0000b" }, KEY)).toBe('{"nul":"a\\u0000b"}');
    for (const cut of [EXCERPT_CHARS - 1, EXCERPT_CHARS, EXCERPT_CHARS + 1]) {
      const text = excerptOfText(`${"t".repeat(cut)}😀\u0000\ud800`.repeat(2), KEY);
      expect(findUnstorableText(text), String(cut)).toBeUndefined();
    }
  });
});

describeEachDatabase("the record of refused messages", (getDb) => {
  let workspaceId: string;
  let keyId: string;
  afterEach(() => void vi.restoreAllMocks());
  beforeEach(async () => {
    await truncateAllTables(getDb());
    const f = await makeWorkspace(getDb());
    workspaceId = f.workspace.id;
    keyId = (await createWriteKey(getDb(), { workspaceId, name: "Shop", createdBy: f.admin.id })).id;
  });

  const invalid = (n: number) => ({
    reason: "invalid" as const,
    error: `error ${n}`,
    excerpt: `{"n":${n}}`,
    position: n,
  });

  it("adds counts per reason and keeps the newest examples of each key, however often it is written", async () => {
    const log = new RefusalLog();
    const key = { workspaceId, keyId };
    const at = new Date("2026-05-01T10:00:00Z");
    log.note(getDb(), key, [invalid(0), invalid(1)], at);
    log.noteCount(getDb(), key, "rate_limited", 100, at);
    await log.flush();
    for (let n = 2; n < 30; n += 4) {
      log.note(
        getDb(),
        key,
        [2, 3, 4, 5].map((i) => invalid(n + i - 2)),
        new Date(at.getTime() + n * 1000),
      );
      if (n % 8 === 2) await log.flush();
    }
    log.note(
      getDb(),
      key,
      [{ reason: "too_large", error: "big", excerpt: null, position: null }],
      new Date("2026-05-02T00:00:00Z"),
    );
    await log.flush();

    const [shop, ...others] = await listRefusals(getDb(), workspaceId);
    expect(others).toEqual([]);
    expect(shop).toMatchObject({
      keyId,
      keyName: "Shop",
      revoked: false,
      total: 131,
      lastAt: new Date("2026-05-02T00:00:00Z"),
    });
    expect(shop!.counts.map((c) => [c.reason, c.count])).toEqual([
      ["rate_limited", 100],
      ["invalid", 30],
      ["too_large", 1],
    ]);
    expect(shop!.latest).toHaveLength(REFUSAL_EXAMPLES_PER_KEY);
    expect(shop!.latest.map((e) => e.error)).toEqual([
      "big",
      ...Array.from({ length: REFUSAL_EXAMPLES_PER_KEY - 1 }, (_, i) => `error ${29 - i}`),
    ]);
  });

  it("keeps at most the newest examples even from one flush, and logs a failed write instead of throwing", async () => {
    const log = new RefusalLog();
    log.note(
      getDb(),
      { workspaceId, keyId },
      Array.from({ length: 50 }, (_, n) => invalid(n)),
    );
    // A key that does not exist breaks the foreign key: logged, and the rest is still written.
    log.note(getDb(), { workspaceId, keyId: "00000000-0000-4000-8000-000000000000" }, [invalid(1)]);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await log.flush();
    expect(logged.mock.calls.map((call) => call[0])).toEqual([
      "[ingest] could not record 1 refused messages of write key 00000000-0000-4000-8000-000000000000:",
    ]);
    const [shop] = await listRefusals(getDb(), workspaceId);
    expect(shop?.total).toBe(50);
    expect(shop?.latest.at(-1)?.error).toBe(`error ${50 - REFUSAL_EXAMPLES_PER_KEY}`);
  });

  it("stores errors that quote unstorable text, with that text replaced", async () => {
    const log = new RefusalLog();
    const error = `properties.a\u0000b its name contains a NUL character; Malformed JSON: "\ud800" ${"e".repeat(1_000)}`;
    log.note(getDb(), { workspaceId, keyId }, [{ reason: "invalid", error, excerpt: null, position: 0 }]);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await log.flush();
    expect(logged).not.toHaveBeenCalled();
    const [shop] = await listRefusals(getDb(), workspaceId);
    expect(shop?.latest[0]?.error).toMatch(
      /^properties\.a\ufffdb its name contains a NUL character; Malformed JSON: "\ufffd" e+…$/,
    );
    expect(shop?.latest[0]?.error.length).toBe(501);
  });

  it("shows one workspace nothing of another's", async () => {
    const other = await makeWorkspace(getDb(), "Other");
    const otherKey = await createWriteKey(getDb(), {
      workspaceId: other.workspace.id,
      name: "Theirs",
      createdBy: null,
    });
    const log = new RefusalLog();
    log.note(getDb(), { workspaceId: other.workspace.id, keyId: otherKey.id }, [invalid(1)]);
    await log.flush();
    expect(await listRefusals(getDb(), workspaceId)).toEqual([]);
    expect(await listRefusals(getDb(), other.workspace.id)).toHaveLength(1);
  });
});
