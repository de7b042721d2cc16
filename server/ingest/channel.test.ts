import { describe, expect, it } from "vitest";
import { deriveChannel } from "./channel";

const base = { type: "track" as const, event: "Something", context: {}, properties: {} };

describe("channel rule", () => {
  it("takes context.channel, then properties.channel, understanding synonyms", () => {
    expect(deriveChannel({ ...base, context: { channel: "Call Centre" } })).toBe("call_center");
    expect(deriveChannel({ ...base, properties: { channel: "POS" } })).toBe("store");
    expect(deriveChannel({ ...base, context: { channel: "email" }, properties: { channel: "web" } })).toBe("email");
    expect(deriveChannel({ ...base, type: "page", context: { channel: "instagram" } })).toBe("social");
  });

  it("derives it from the call type, the library, the device and the event name", () => {
    expect(deriveChannel({ ...base, type: "screen" })).toBe("mobile");
    expect(deriveChannel({ ...base, type: "page" })).toBe("web");
    expect(deriveChannel({ ...base, context: { library: { name: "analytics-ios" } } })).toBe("mobile");
    expect(deriveChannel({ ...base, context: { library: { name: "analytics.js" } } })).toBe("web");
    expect(deriveChannel({ ...base, context: { device: { type: "android" } } })).toBe("mobile");
    expect(deriveChannel({ ...base, context: { userAgent: "Mozilla/5.0 (X11)" } })).toBe("web");
    expect(deriveChannel({ ...base, event: "Email Clicked" })).toBe("email");
    expect(deriveChannel({ ...base, context: { channel: "carrier pigeon" } })).toBe("other");
  });

  it("reads the browser SDKs as web although RudderStack's sends context.app, and RudderStack's own channel", () => {
    const rudderBrowser = {
      library: { name: "RudderLabs JavaScript SDK", version: "3.34.1" },
      app: { name: "RudderLabs JavaScript SDK", namespace: "com.rudderlabs.javascript", version: "3.34.1" },
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0",
    };
    expect(deriveChannel({ ...base, context: rudderBrowser })).toBe("web");
    expect(deriveChannel({ ...base, type: "identify", context: rudderBrowser })).toBe("web");
    expect(deriveChannel({ ...base, context: { library: { name: "com.rudderstack.android.sdk.core" } } })).toBe(
      "mobile",
    );
    expect(deriveChannel({ ...base, context: { library: { name: "rudder-ios-library" } } })).toBe("mobile");
    expect(deriveChannel({ ...base, channel: "web" })).toBe("web");
    // RudderStack's Node SDK says "server": no channel of a customer's, so the rest of the rule decides.
    expect(deriveChannel({ ...base, channel: "server", context: { library: { name: "analytics-node" } } })).toBe(
      "other",
    );
  });

  it("takes no name of an object's own machinery for a synonym", () => {
    for (const channel of ["constructor", "__proto__", "toString", "hasOwnProperty", "value_of"]) {
      expect(deriveChannel({ ...base, properties: { channel } }), channel).toBe("other");
    }
  });
});
