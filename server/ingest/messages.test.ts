import { expect, it } from "vitest";
import { normaliseMessage, parseIsoTimestamp } from "./messages";

it("reads ISO-8601 dates and date-times, and nothing else", () => {
  const iso = (text: string) => parseIsoTimestamp(text)?.toISOString();
  expect(iso("2026-03-01T10:00:00Z")).toBe("2026-03-01T10:00:00.000Z");
  expect(iso("2026-03-01T10:00:00.123456Z")).toBe("2026-03-01T10:00:00.123Z");
  expect(iso("2026-03-01T10:00:00+05:30")).toBe("2026-03-01T04:30:00.000Z");
  expect(iso("2026-03-01T10:00:00+0530")).toBe("2026-03-01T04:30:00.000Z");
  expect(iso("2026-03-01T10:00-02")).toBe("2026-03-01T12:00:00.000Z");
  expect(iso("2026-03-01T10:00:00")).toBe("2026-03-01T10:00:00.000Z"); // no zone: UTC
  expect(iso("2026-03-01")).toBe("2026-03-01T00:00:00.000Z");
  expect(iso("0001-01-01T00:00:00Z")).toBe("0001-01-01T00:00:00.000Z");
  expect(iso("2024-02-29")).toBe("2024-02-29T00:00:00.000Z");
  for (const bad of ["1", "2024-02-30", "2023-02-29", "2026-13-01", "2026-03-01T24:00:00Z", "0000-01-01", "Tue, 01 Oct 2024 10:00:00 GMT", "+275760-09-13T00:00:00Z", "yesterday", ""]) {
    expect(parseIsoTimestamp(bad), bad).toBeUndefined();
  }
});

const at = new Date("2026-03-01T10:00:00Z");
const normalised = (input: unknown) => {
  const result = normaliseMessage(input, at);
  if (!result.ok) throw new Error(result.error);
  return result.message;
};

it("takes an empty or blank id as left out, as Segment and RudderStack do", () => {
  const anonymous = normalised({ type: "track", event: "Viewed", userId: "", anonymousId: "anon-1", messageId: "" });
  expect(anonymous.userId).toBeNull();
  expect(anonymous.identifiers).toEqual([{ kind: "anonymous_id", value: "anon-1" }]);
  expect(anonymous.messageId).not.toBe("");
  expect(normalised({ type: "page", userId: "u-1", anonymousId: "  " }).anonymousId).toBeNull();
  expect(normaliseMessage({ type: "track", event: "E", userId: "", anonymousId: "" }, at)).toEqual({
    ok: false,
    error: "userId or anonymousId is required",
  });
  // alias names both ids: an empty one is still missing.
  expect(normaliseMessage({ type: "alias", userId: "u-1", previousId: "" }, at).ok).toBe(false);
});

it("merges an identify's context.traits into its traits, its own traits winning", () => {
  const identify = normalised({
    type: "identify",
    userId: "u-1",
    traits: { name: "Ana Lima" },
    context: { traits: { name: "Ana", email: "Ana@Example.com", plan: "gold" } },
  });
  expect(identify.traits).toEqual({ name: "Ana Lima", email: "Ana@Example.com", plan: "gold" });
  expect(identify.identifiers).toContainEqual({ kind: "email", value: "ana@example.com" });
  // Only there, as RudderStack's browser SDK sends them.
  expect(normalised({ type: "identify", anonymousId: "a", context: { traits: { email: "b@example.com" } } }).traits).toEqual({
    email: "b@example.com",
  });
  // A track's context.traits identify the person but are not a profile update; a group's traits are the group's.
  expect(normalised({ type: "track", event: "E", userId: "u", context: { traits: { plan: "x" } } }).traits).toBeNull();
  expect(normalised({ type: "group", userId: "u", groupId: "g", traits: { name: "Acme" }, context: { traits: { name: "Ana" } } }).traits).toEqual({
    name: "Acme",
    groupId: "g",
  });
  // context.traits that are not an object are ignored, not spread.
  expect(normalised({ type: "identify", userId: "u", context: { traits: "abc" } }).traits).toEqual({});
});

it("reads RudderStack's top-level channel", () => {
  expect(normalised({ type: "track", event: "E", anonymousId: "a", channel: "web" }).channel).toBe("web");
});
