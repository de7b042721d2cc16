import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { insertCustomer, insertIdentity } from "~/server/customers/test-fixtures";
import { MessageRateLimiter } from "~/server/ingest/rate-limit";
import { createWriteKey } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { handleProfileRequest } from "./http";
import { createReadKey } from "./read-keys";

// The profile API against generated hostile input: junk ids (NUL, lone
// surrogates, very long, padded), junk Authorization headers (other schemes,
// keys of the right shape that were never issued, Basic of anything), junk
// type parameters and origins. Whatever is sent the answer is a 200 (only for a
// valid key and a known id) or a 4xx with a JSON sentence, never a 5xx and never
// the server's internals; and a plain request still answers afterwards. Seeded,
// so a failure replays.

const SEED = 2424;
const RUNS = 80;

const hostileChar = fc.oneof(
  fc.constantFrom("\u0000", "\ud800", "\udfff", "😀", "\u202e", "\\", '"', "'", "%", "/", "?", "#", " "),
  fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
);
const hostileId = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 16 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 16 }),
  fc.integer({ min: 400, max: 3_000 }).map((n) => "x".repeat(n)),
  fc.constantFrom("", " ", "u-known", " u-known ", "__proto__", "constructor", "null", "../u-known"),
);

/** Header values as HTTP carries them: visible ASCII and spaces (Request refuses others). */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 90,
});
const base62 = fc.string({
  unit: fc.constantFrom(..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
  minLength: 32,
  maxLength: 32,
});
const hex32 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 32, maxLength: 32 });

describeEachDatabase("profile API under hostile input (fast-check)", (getDb) => {
  let readKey: string;
  let writeKey: string;
  let workspaceHex: string;

  beforeAll(async () => {
    const db = getDb();
    await truncateAllTables(db);
    const { workspace, admin } = await makeWorkspace(db, "Fuzz");
    readKey = (await createReadKey(db, { workspaceId: workspace.id, name: "Site", createdBy: admin.id })).key;
    writeKey = (await createWriteKey(db, { workspaceId: workspace.id, name: "Site", createdBy: admin.id }))
      .key;
    workspaceHex = workspace.id.replaceAll("-", "");
    const id = await insertCustomer(db, workspace.id, { traits: { plan: "gold" } });
    await insertIdentity(db, workspace.id, id, "user_id", "u-known");
  });

  const authorization = () =>
    fc.oneof(
      fc.constant(null),
      fc.constant(`Bearer ${readKey}`),
      fc.constant(`Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`),
      headerText,
      headerText.map((text) => `Bearer ${text}`),
      headerText.map((text) => `Basic ${Buffer.from(text).toString("base64")}`),
      fc
        .tuple(fc.oneof(hex32, fc.constant(workspaceHex)), base62)
        .map(([hex, secret]) => `Bearer crk_${hex}_${secret}`),
    );

  const ask = (id: string, auth: string | null, type: string | null, origin: string | null) => {
    // URLSearchParams writes a lone surrogate as U+FFFD, as a browser would send it.
    const query = type === null ? "" : `?${new URLSearchParams({ type }).toString()}`;
    const headers: Record<string, string> = {};
    if (auth !== null) headers.authorization = auth;
    if (origin !== null) headers.origin = origin;
    return handleProfileRequest(
      getDb(),
      new Request(`http://centric.test/api/v1/profiles/id${query}`, { headers }),
      id,
      {
        limiter: new MessageRateLimiter({ perSecond: 0, burst: 1 }),
      },
    );
  };

  it("answers 200 or a 4xx with a JSON sentence, never a 5xx or internals", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileId,
        authorization(),
        fc.option(
          fc.oneof(
            fc.constantFrom("user", "anonymous", "email", ""),
            fc.string({ unit: hostileChar, maxLength: 8 }),
          ),
        ),
        fc.option(fc.oneof(fc.constant("https://shop.example"), headerText)),
        async (id, auth, type, origin) => {
          const response = await ask(id, auth, type, origin);
          expect(response.status).toBeLessThan(500);
          expect(response.headers.get("cache-control")).toBe("private, no-store");
          const body = (await response.json()) as Record<string, unknown>;
          if (response.status === 200) {
            expect(auth).toBe(`Bearer ${readKey}`);
            expect(body.userId).toBe("u-known");
          } else {
            expect(Object.keys(body)).toEqual(["error"]);
            expect(body.error).toEqual(expect.any(String));
            expect(body.error).not.toMatch(/select |postgres|syntax|stack|at \/|node_modules|violat/i);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    const plain = await ask("u-known", `Bearer ${readKey}`, null, null);
    expect(plain.status).toBe(200);
  });
});
