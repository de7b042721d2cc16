import { and, eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { events } from "~/db/schema";
import { createWriteKey } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { handleTrackingRequest, MAX_BATCH_BYTES, type TrackingOptions } from "./http";
import { MAX_MESSAGE_BYTES } from "./messages";
import { MessageRateLimiter } from "./rate-limit";
import { listRefusals, REFUSAL_EXAMPLES_PER_KEY, RefusalLog } from "./refusals";

// The tracking API against generated hostile input: whatever is sent, the
// answer is a 200 or a 4xx that says why, never a 5xx; the good messages of a
// mixed batch are stored exactly once; and the API still takes a plain call
// afterwards. Seeded, so a failure replays, and bounded to a few seconds per
// database.

const SEED = 1717;
const RUNS = 60;

// ---------------------------------------------------------------------------
// JSON with what JSON.stringify cannot write: raw fragments (deep nesting,
// numbers past a double), duplicate keys and "__proto__" as a plain key.
// ---------------------------------------------------------------------------

/** Shown short in a counterexample: a fragment may be 40 KB of brackets. */
const brief = (text: string) =>
  text.length > 80 ? `${JSON.stringify(text.slice(0, 60))}… (${text.length} chars)` : JSON.stringify(text);

class Raw {
  constructor(readonly text: string) {}
  [fc.toStringMethod]() {
    return `Raw(${brief(this.text)})`;
  }
}
class Obj {
  constructor(readonly entries: [string, unknown][]) {}
  [fc.toStringMethod]() {
    return `Obj(${brief(toJson(this))})`;
  }
}

function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(",")}}`;
  if (Array.isArray(value)) return `[${value.map(toJson).join(",")}]`;
  return JSON.stringify(value) ?? "null";
}

/** A whole request body, bytes or text. */
class Body {
  constructor(readonly data: string | Uint8Array) {}
  [fc.toStringMethod]() {
    return typeof this.data === "string" ? `Body(${brief(this.data)})` : `Body(${this.data.length} bytes)`;
  }
}

const obj = (fields: Record<string, unknown>) => new Obj(Object.entries(fields));

// ---------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------

/** One UTF-16 unit or code point, often one PostgreSQL cannot store. */
const hostileChar = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "😀",
    "\u202e",
    "\\",
    '"',
    "'",
    "\n",
    "é",
  ),
  fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
);
const hostileText = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 12 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 12 }),
  // Longer than an index entry may be: ids, names and emails are indexed.
  fc
    .tuple(
      fc.integer({ min: 1_000, max: 6_000 }),
      fc.string({ unit: hostileChar, minLength: 1, maxLength: 4 }),
    )
    .map(([n, text]) => `${text}${randomTail(n)}`),
  fc.constantFrom(
    "",
    " ",
    "   ",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "null",
    "NaN",
    "1e400",
    "0x10",
  ),
);

/** Incompressible text, so that PostgreSQL cannot shrink a long index entry below its limit. */
function randomTail(n: number) {
  let text = "";
  let x = n * 2_654_435_761;
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    text += String.fromCharCode(33 + ((x >>> 16) % 90));
  }
  return text;
}

/** A number as text, as long as a message allows: properties.discount is read as numeric. */
const longDigits = fc
  .integer({ min: 100, max: 20_000 })
  .map((n) => `${[...randomTail(n)].map((c) => c.charCodeAt(0) % 10).join("")}.5`);

const hostileNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(
    1e12,
    -1e12,
    999_999_999_999.99,
    999_999_999_999.995,
    -999_999_999_999.995,
    2 ** 53 + 1,
    1e308,
    5e-324,
    -0,
  ),
  fc
    .constantFrom("1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0.0")
    .map((t) => new Raw(t)),
  longDigits,
);

const deepNesting = fc
  .tuple(
    fc.constantFrom("[", '{"a":'),
    fc.oneof(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 1_000, max: 20_000 })),
  )
  .map(([open, depth]) => new Raw(`${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}`));

const hostileTimestamp = fc.oneof(
  fc
    .date({
      min: new Date("0001-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    "1",
    "2024-02-30",
    "2023-02-29",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "+275760-09-13T00:00:00Z",
    "-000001-01-01T00:00:00Z",
    "2026-03-01T10:00:00.123456789Z",
    "2026-03-01T24:00:00Z",
    "Tue, 01 Oct 2024 10:00:00 GMT",
    " 2026-03-01 ",
    "",
  ),
  hostileText,
  hostileNumber,
);

const hostileLeaf = fc.oneof(hostileText, hostileNumber, fc.boolean(), fc.constant(null));
const hostileKey = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "__proto__",
      "constructor",
      "prototype",
      "revenue",
      "total",
      "discount",
      "channel",
      "email",
      "phone",
      "name",
      "writeKey",
    ),
  },
  { weight: 1, arbitrary: hostileText },
);
const { tree: hostileTree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileLeaf,
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie("tree")), { maxLength: 5 }).map((entries) => new Obj(entries)),
  ),
}));
const hostileObject = fc.oneof(
  fc
    .array(fc.tuple(hostileKey, fc.oneof(hostileTree, deepNesting)), { maxLength: 6 })
    .map((entries) => new Obj(entries)),
  hostileLeaf,
  fc.array(hostileLeaf, { maxLength: 3 }),
);

const messageType = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("identify", "track", "page", "screen", "group", "alias") },
  { weight: 1, arbitrary: fc.oneof(hostileText, hostileNumber, fc.constant(null)) },
);
/**
 * A field present `present` of the time; when present, mostly what the spec asks for and a
 * quarter of the time hostile, so that most messages get far enough to be stored.
 */
const field = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>, present: number) =>
  fc.oneof(
    { weight: Math.round((1 - present) * 100), arbitrary: fc.constant(undefined) },
    { weight: Math.round(present * 75), arbitrary: valid },
    { weight: Math.round(present * 25), arbitrary: hostile },
  );
const validId = fc
  .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 })
  .filter((s) => s.trim() !== "");
const idLike = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: hostileObject },
);
const validTimestamp = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString());
const validTraits = fc.oneof(
  fc.record({ email: fc.emailAddress(), name: validId }, { requiredKeys: [] }).map((t) => obj(t)),
  fc
    .record(
      {
        email: hostileText,
        name: hostileText,
        firstName: hostileText,
        lastName: hostileText,
        phone: fc.oneof(hostileText, hostileNumber),
      },
      { requiredKeys: [] },
    )
    .map((t) => obj(t)),
);

/** A message that may break every rule of the spec. */
const hostileMessage = fc
  .record(
    {
      type: messageType,
      userId: field(validId, idLike, 0.8),
      anonymousId: field(validId, idLike, 0.3),
      messageId: field(validId, idLike, 0.3),
      event: field(validId, fc.oneof(hostileText, hostileNumber), 0.8),
      name: field(validId, hostileText, 0.3),
      groupId: field(validId, idLike, 0.6),
      previousId: field(validId, idLike, 0.6),
      timestamp: field(validTimestamp, hostileTimestamp, 0.3),
      originalTimestamp: field(validTimestamp, hostileTimestamp, 0.2),
      sentAt: field(validTimestamp, hostileTimestamp, 0.2),
      properties: field(
        fc
          .record(
            {
              revenue: fc.oneof(fc.integer({ min: -1_000, max: 1_000 }), hostileNumber),
              discount: fc.oneof(
                fc.double({ min: 0, max: 1, noNaN: true }),
                longDigits,
                hostileNumber,
                hostileText,
              ),
              channel: fc.oneof(fc.constantFrom("web", "pos", "Call Centre", "app"), hostileText),
            },
            { requiredKeys: [] },
          )
          .map(obj),
        hostileObject,
        0.6,
      ),
      traits: field(validTraits, hostileObject, 0.6),
      context: field(
        validTraits.map((traits) => obj({ traits })),
        hostileObject,
        0.4,
      ),
      integrations: field(hostileObject, hostileObject, 0.1),
    },
    { requiredKeys: [] },
  )
  .map((fields) => new Obj(Object.entries(fields).filter(([, v]) => v !== undefined)));

/** A message that breaks nothing, made unique by its messageId. */
function goodMessage(messageId: string) {
  return fc
    .record({
      type: fc.constantFrom("identify", "track", "page", "screen"),
      userId: fc
        .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 8 })
        .filter((s) => s.trim() !== ""),
      event: fc
        .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 })
        .filter((s) => s.trim() !== ""),
      revenue: fc.option(fc.integer({ min: -10_000, max: 10_000 }), { nil: undefined }),
      proto: fc.boolean(),
    })
    .map(({ type, userId, event, revenue, proto }) => {
      const properties: [string, unknown][] = [["revenue", revenue ?? null]];
      if (proto) properties.push(["__proto__", obj({ polluted: true })]);
      return obj({
        type,
        messageId,
        userId,
        ...(type === "track" ? { event } : {}),
        ...(type === "page" || type === "screen" ? { name: event } : {}),
        ...(type === "identify" ? { traits: new Obj(properties) } : { properties: new Obj(properties) }),
        timestamp: "2026-03-01T10:00:00Z",
      });
    });
}

// ---------------------------------------------------------------------------

describeEachDatabase("tracking API under hostile input (fast-check)", (getDb) => {
  let workspaceId: string;
  let writeKey: string;
  let options: TrackingOptions;
  let errors: ReturnType<typeof vi.spyOn>;
  /** Messages (or bodies) refused so far, as the answers said: each must be in the record. */
  let refusedSoFar = 0;

  beforeAll(async () => {
    await truncateAllTables(getDb());
    const f = await makeWorkspace(getDb());
    workspaceId = f.workspace.id;
    writeKey = (await createWriteKey(getDb(), { workspaceId, name: "Fuzz", createdBy: null })).key;
    options = { limiter: new MessageRateLimiter({ perSecond: 0, burst: 1 }), refusals: new RefusalLog() };
    // A 5xx or a refusal that could not be recorded is logged; the last test says whether any was.
    errors = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterAll(() => errors.mockRestore());

  async function send(type: string, body: string | Uint8Array) {
    const request = new Request(`http://centric.test/api/v1/${type}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
      },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });
    const response = await handleTrackingRequest(getDb(), request, type, options);
    const answer = (await response.json()) as {
      success: boolean;
      error?: string;
      accepted?: number;
      rejected?: { index: number; error: string }[];
    };
    if (response.status >= 400 || answer.rejected?.length) refusedSoFar += answer.rejected?.length ?? 1;
    return { status: response.status, answer };
  }

  /** 200, or a 4xx that says why; never a 5xx. */
  function expectAnswered({ status, answer }: Awaited<ReturnType<typeof send>>, what: string) {
    expect(status, `${what}: ${answer.error}`).toBeLessThan(500);
    if (status !== 200) {
      expect([400, 413], what).toContain(status);
      expect(answer.success).toBe(false);
      expect(answer.error, what).toMatch(/\S/);
    }
  }

  async function expectHealthy() {
    const ok = await send("track", JSON.stringify({ userId: "after-fuzz", event: "Still Fine" }));
    expect(ok).toEqual({ status: 200, answer: { success: true } });
  }

  it("answers every hostile single call with 200 or a 4xx that says why", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("identify", "track", "page", "screen", "group", "alias"),
        hostileMessage,
        async (type, message) => {
          const body = toJson(message);
          const result = await send(type, body);
          expectAnswered(result, body.slice(0, 300));
          if (Buffer.byteLength(body) > 32 * 1024) expect(result.status).toBe(413);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    await expectHealthy();
  });

  it("stores every good message of a mixed batch exactly once, and refuses the others by index", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), hostileMessage), { minLength: 1, maxLength: 12 }),
        fc
          .integer({ min: 0, max: 3 })
          .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => goodMessage(`good-${i}`)))),
        async (mixed, goods) => {
          run++;
          // Good messages get ids of their own run; bad ones go around them.
          const ids = goods.map((_, i) => `good-${run}-${i}`);
          const good = goods.map(
            (g, i) => new Obj(g.entries.map(([k, v]) => [k, k === "messageId" ? ids[i] : v])),
          );
          const batch: unknown[] = [];
          const goodIndexes: number[] = [];
          for (const [first, bad] of mixed) {
            if (first && good.length > goodIndexes.length) {
              goodIndexes.push(batch.length);
              batch.push(good[goodIndexes.length - 1]);
            }
            batch.push(bad);
          }
          while (goodIndexes.length < good.length) {
            goodIndexes.push(batch.length);
            batch.push(good[goodIndexes.length - 1]);
          }
          const body = toJson(obj({ batch, context: obj({ library: obj({ name: "fuzz" }) }) }));
          const first = await send("batch", body);
          expectAnswered(first, body.slice(0, 300));
          if (Buffer.byteLength(body) > MAX_BATCH_BYTES) return void expect(first.status).toBe(413);
          const again = await send("batch", body);
          expectAnswered(again, body.slice(0, 300));

          const refused = new Set((first.answer.rejected ?? []).map((r) => r.index));
          for (const index of goodIndexes)
            expect(refused.has(index), `good message ${index} refused`).toBe(false);
          for (const r of first.answer.rejected ?? []) expect(r.error).toMatch(/\S/);
          if (ids.length > 0) {
            const rows = await getDb()
              .select({ messageId: events.messageId, n: sql<number>`count(*)::int` })
              .from(events)
              .where(and(eq(events.workspaceId, workspaceId), inArray(events.messageId, ids)))
              .groupBy(events.messageId);
            expect(rows.map((r) => [r.messageId, r.n]).sort()).toEqual(ids.map((id) => [id, 1]));
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    await expectHealthy();
  });

  it("answers any body at all, bytes or JSON of any shape, with 200 or a 4xx", async () => {
    const anyBody = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: hostileChar, maxLength: 64 }),
      hostileTree.map(toJson),
      fc
        .array(hostileMessage, { maxLength: 3 })
        .map((batch) => toJson(obj({ batch: new Raw(toJson(batch)) }))),
      hostileObject.map((context) =>
        toJson(obj({ batch: [obj({ type: "track", userId: "u", event: "E" })], context })),
      ),
      fc.constantFrom(
        '{"batch": {"length": 5}}',
        '{"batch": null}',
        "{}",
        "[]",
        "null",
        '""',
        "1e400",
        '{"__proto__": []}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("batch", "track", "identify"),
        anyBody.map((data) => new Body(data)),
        async (type, body) => {
          expectAnswered(await send(type, body.data), body[fc.toStringMethod]());
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    await expectHealthy();
  });

  it("refuses oversized bodies and messages with 413 and stays healthy", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.boolean(), async (kilobytes, asBatch) => {
        const pad = "x".repeat(kilobytes * 1024);
        if (asBatch) {
          const batch = Array.from({ length: Math.ceil(MAX_BATCH_BYTES / (kilobytes * 1024)) + 1 }, (_, i) =>
            obj({ type: "track", userId: "u", event: "E", properties: obj({ pad, i }) }),
          );
          const result = await send("batch", toJson(obj({ batch })));
          expectAnswered(result, `batch of ${batch.length} × ${kilobytes} KB`);
          expect(result.status).toBe(413);
        } else {
          const result = await send(
            "batch",
            toJson(
              obj({ batch: [obj({ type: "track", userId: "u", event: "E", properties: obj({ pad }) })] }),
            ),
          );
          expectAnswered(result, `one message of ${kilobytes} KB`);
          if (kilobytes * 1024 > MAX_MESSAGE_BYTES)
            expect(result.answer.rejected?.[0]?.error).toContain("32 KB");
        }
      }),
      { seed: SEED, numRuns: 12 },
    );
    await expectHealthy();
  });

  it("recorded every refusal, excerpts of hostile messages included, and logged no failure", async () => {
    await options.refusals!.flush();
    const [record] = await listRefusals(getDb(), workspaceId);
    expect(refusedSoFar).toBeGreaterThan(100);
    expect(record?.total).toBe(refusedSoFar);
    expect(record?.latest).toHaveLength(REFUSAL_EXAMPLES_PER_KEY);
    expect(errors).not.toHaveBeenCalled();
  });
});
