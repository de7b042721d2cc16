import { describe, expect, it } from "vitest";
import { newNonce, pageContentSecurityPolicy } from "./security-headers";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0], d]));

describe("pageContentSecurityPolicy", () => {
  it("runs only the scripts and style elements that carry the nonce in production, and allows no framing", () => {
    const policy = directives(pageContentSecurityPolicy({ nonce: "abc", dev: false, https: false }));
    expect(policy.get("script-src")).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy.get("style-src")).toBe("style-src 'self' 'nonce-abc'");
    expect(policy.get("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(policy.get("object-src")).toBe("object-src 'none'");
    expect([...policy.values()].join(" ")).not.toMatch(/unsafe-eval/);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("allows eval and unmarked styles only in development, and upgrades requests only behind https", () => {
    const dev = directives(pageContentSecurityPolicy({ nonce: "abc", dev: true, https: false }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("style-src")).toBe("style-src 'self' 'unsafe-inline'");
    const https = directives(pageContentSecurityPolicy({ nonce: "abc", dev: false, https: true }));
    expect(https.has("upgrade-insecure-requests")).toBe(true);
  });
});

describe("newNonce", () => {
  it("is 128 random bits, new each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
