import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("env", () => {
  it("uses the embedded database and defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.CENTRIC_DATA_DIR).toBe(".data");
    expect(env.PORT).toBe(3000);
    expect(env.CENTRIC_TRACKING_RATE).toBe(20_000);
    expect(env.CENTRIC_TRACKING_BURST).toBe(40_000);
  });

  it("reads the tracking API's limits, 0 meaning no limit, and refuses others", () => {
    expect(parseEnv({ CENTRIC_TRACKING_RATE: "0", CENTRIC_TRACKING_BURST: "500" })).toMatchObject({
      CENTRIC_TRACKING_RATE: 0,
      CENTRIC_TRACKING_BURST: 500,
    });
    expect(() => parseEnv({ CENTRIC_TRACKING_RATE: "-5", CENTRIC_TRACKING_BURST: "0" })).toThrow(
      /CENTRIC_TRACKING_RATE: must be 0 \(no limit\) or more\n\s+CENTRIC_TRACKING_BURST: must be at least 1/,
    );
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names each malformed variable and says what is expected", () => {
    const error = (() => {
      try {
        parseEnv({ DATABASE_URL: "mysql://x", PORT: "seventy", NEXTAUTH_SECRET: "short", TRUSTED_PROXIES: "10.0.0.1, lb" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain("DATABASE_URL: must be a PostgreSQL URL");
    expect(message).toContain("PORT:");
    expect(message).toContain("NEXTAUTH_SECRET: must be at least 32 characters");
    expect(message).toContain("TRUSTED_PROXIES: must be IP addresses separated by commas (not IP addresses: lb)");
  });
});
