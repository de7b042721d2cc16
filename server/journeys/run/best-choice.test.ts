import { describe, expect, it } from "vitest";
import type { Channel } from "~/db/enums";
import { ZTouchpoint, type Touchpoint } from "../design";
import { chooseChannel, chooseSendTime } from "./best-choice";
import type { StepFacts } from "./step";

// A touchpoint's best channel and best hour for one customer, with the reasons.

const touchpoint = (extra: Partial<Touchpoint>): Touchpoint =>
  ZTouchpoint.parse({
    id: "t",
    channel: "mobile",
    title: "Hello",
    trigger: { kind: "segmentEntry" },
    ownerTeam: "marketing",
    ...extra,
  });

const facts = (extra: Partial<StepFacts> & { blocked?: Partial<Record<Channel, string>> }): StepFacts => ({
  timeZone: "Europe/Berlin",
  events: [],
  inSegment: () => false,
  sentOnChannelSince: () => 0,
  reachable: (channel) => {
    const reason = extra.blocked?.[channel];
    return reason ? { allowed: false, reason } : { allowed: true };
  },
  ...extra,
});

const emailReader = {
  channel: "email" as const,
  reason: "Reads email (14 opens, 6 clicks) and buys on the web (4 orders): email reaches them best",
};

describe("the best channel", () => {
  const best = touchpoint({ bestChannel: { fallback: ["email", "web"] } });

  it("is the preferred channel when the touchpoint may use it and it reaches them", () => {
    expect(chooseChannel(best, facts({ preferredChannel: emailReader }))).toEqual({
      channel: "email",
      reach: { allowed: true },
      reason:
        "preferred channel: reads email (14 opens, 6 clicks) and buys on the web (4 orders): email reaches them best",
    });
  });

  it("falls back to the first channel of the order that reaches them", () => {
    const choice = chooseChannel(
      best,
      facts({
        preferredChannel: emailReader,
        blocked: { email: "unsubscribed from email by the unsubscribe link on 2030-03-01", mobile: "no app" },
      }),
    );
    expect(choice.channel).toBe("web");
    expect(choice.reason).toBe(
      "the preferred channel, email, does not reach them (unsubscribed from email by the unsubscribe link on 2030-03-01); " +
        "first in the order (mobile, email, web) that reaches them",
    );
    expect(chooseChannel(best, facts({ preferredChannel: { channel: "store", reason: "x" } })).reason).toBe(
      "the preferred channel, the store, is not one of this touchpoint's; first in the order (mobile, email, web) that reaches them",
    );
    const none = chooseChannel(
      best,
      facts({ preferredChannel: { channel: null, reason: "Too few reactions" } }),
    );
    expect(none.channel).toBe("mobile");
    expect(none.reason).toMatch(/^no preferred channel \(too few reactions\); first in the order/);
  });

  it("refuses with every channel's reason when none reaches them", () => {
    const choice = chooseChannel(
      best,
      facts({ preferredChannel: emailReader, blocked: { email: "no email address", mobile: "m", web: "w" } }),
    );
    expect(choice.reach).toEqual({
      allowed: false,
      reason: "no channel in the order reaches them (mobile: m; email: no email address; web: w)",
    });
  });

  it("leaves a touchpoint on a fixed channel alone", () => {
    expect(chooseChannel(touchpoint({}), facts({ preferredChannel: emailReader }))).toEqual({
      channel: "mobile",
      reach: { allowed: true },
      reason: null,
    });
  });
});

describe("the best hour", () => {
  const rules = { sendWindow: { startHour: 9, endHour: 21 }, quietHours: null, respectQuietHours: true };
  const evening = {
    hours: { startHour: 19, endHour: 21 },
    timeZone: "Europe/Berlin",
    reason: "Usually active 19:00–21:00 Europe/Berlin, from 42 events (18 in those hours)",
  };
  const tp = touchpoint({ sendAtBestHour: true, sendWindow: rules.sendWindow });
  // 10:00 in Berlin.
  const from = new Date("2030-01-07T09:00:00Z");

  it("waits for the customer's hours inside the send window", () => {
    expect(chooseSendTime(tp, facts({ bestHour: evening }), from, rules)).toEqual({
      at: new Date("2030-01-07T18:00:00Z"),
      reason: "best hour: usually active 19:00–21:00 Europe/Berlin, from 42 events (18 in those hours)",
    });
    // Already inside their hours: at once.
    const inside = new Date("2030-01-07T18:40:00Z");
    expect(chooseSendTime(tp, facts({ bestHour: evening }), inside, rules).at).toEqual(inside);
  });

  it("keeps the touchpoint's own timing without best hours, or when they are outside the window", () => {
    const none = chooseSendTime(
      tp,
      facts({ bestHour: { hours: null, timeZone: "Europe/Berlin", reason: "Too few events" } }),
      from,
      rules,
    );
    expect(none).toEqual({ at: from, reason: "no best hour (too few events): the touchpoint's own timing" });
    const night = { ...evening, hours: { startHour: 23, endHour: 1 } };
    const outside = chooseSendTime(tp, facts({ bestHour: night }), from, rules);
    expect(outside.at).toEqual(from);
    expect(outside.reason).toMatch(/^their usual hours are never inside the send window/);
  });

  it("leaves a touchpoint on its own timing alone", () => {
    expect(chooseSendTime(touchpoint({}), facts({ bestHour: evening }), from, rules)).toEqual({
      at: from,
      reason: null,
    });
  });
});
