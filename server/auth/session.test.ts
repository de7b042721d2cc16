import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "~/server/env";
import { getSessionUserFromRequest } from "./session";

const SECRET = "test-secret-that-is-at-least-32-characters-long";

function requestWith(token: string) {
  return new NextRequest("http://localhost/api/trpc/workspace.list", {
    headers: { cookie: `next-auth.session-token=${token}` },
  });
}

describe("getSessionUserFromRequest", () => {
  beforeAll(() => {
    vi.stubEnv("NEXTAUTH_SECRET", SECRET);
    vi.stubEnv("NEXTAUTH_URL", "http://localhost");
    resetEnvCache();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("reads the user from a valid token, also when it is asked again (from the decoded-token cache)", async () => {
    const token = await encode({ token: { sub: "user-1", email: "ann@example.com", name: "Ann" }, secret: SECRET });
    const expected = { id: "user-1", email: "ann@example.com", name: "Ann" };
    expect(await getSessionUserFromRequest(requestWith(token))).toEqual(expected);
    expect(await getSessionUserFromRequest(requestWith(token))).toEqual(expected);
  });

  it("refuses a token sealed with another secret, a tampered token, an expired one and a missing cookie", async () => {
    const foreign = await encode({ token: { sub: "user-2" }, secret: "another-secret-that-is-also-32-characters-long" });
    expect(await getSessionUserFromRequest(requestWith(foreign))).toBeNull();

    const valid = await encode({ token: { sub: "user-3" }, secret: SECRET });
    const tampered = valid.slice(0, -4) + (valid.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(await getSessionUserFromRequest(requestWith(tampered))).toBeNull();

    const expired = await encode({ token: { sub: "user-4" }, secret: SECRET, maxAge: -60 });
    expect(await getSessionUserFromRequest(requestWith(expired))).toBeNull();

    expect(await getSessionUserFromRequest(new NextRequest("http://localhost/api/trpc/x"))).toBeNull();
  });
});
