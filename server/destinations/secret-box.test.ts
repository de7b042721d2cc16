import { describe, expect, it } from "vitest";
import { openSecret, sealSecret, SealedSecretError } from "./secret-box";

const appSecret = "a".repeat(48);

describe("sealed destination credentials", () => {
  it("open to the same text, and differ on every seal", () => {
    const a = sealSecret("hunter2", "ws/d1", appSecret);
    const b = sealSecret("hunter2", "ws/d1", appSecret);
    expect(a).not.toBe(b);
    expect(a).not.toContain("hunter2");
    expect(openSecret(a, "ws/d1", appSecret)).toBe("hunter2");
  });

  it("do not open for another destination, another app secret, or when altered", () => {
    const sealed = sealSecret("hunter2", "ws/d1", appSecret);
    expect(() => openSecret(sealed, "ws/d2", appSecret)).toThrow(SealedSecretError);
    expect(() => openSecret(sealed, "ws/d1", "b".repeat(48))).toThrow(/app's secret changed/);
    const altered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    expect(() => openSecret(altered, "ws/d1", appSecret)).toThrow(SealedSecretError);
    expect(() => openSecret("plain", "ws/d1", appSecret)).toThrow(/not in a known format/);
  });
});
