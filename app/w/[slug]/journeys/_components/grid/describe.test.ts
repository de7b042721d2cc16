import { describe, expect, it } from "vitest";
import { describeCap, describeTiming, formatDelay, formatHourRange } from "./describe";

describe("touchpoint timing in words", () => {
  it("writes delays in days and hours", () => {
    expect(formatDelay(0)).toBe("at once");
    expect(formatDelay(5)).toBe("5 h");
    expect(formatDelay(48)).toBe("2 d");
    expect(formatDelay(50)).toBe("2 d 2 h");
  });

  it("reads the trigger, delay and send window as one phrase", () => {
    expect(describeTiming({ trigger: { kind: "segmentEntry" }, delayHours: 0, sendWindow: null })).toBe(
      "On entering the segment, at once",
    );
    expect(
      describeTiming({
        trigger: { kind: "event", event: "Order Completed", channel: "web" },
        delayHours: 26,
        sendWindow: { startHour: 9, endHour: 18 },
      }),
    ).toBe("After “Order Completed” on Web, after 1 d 2 h, sent 09:00–18:00");
    expect(formatHourRange({ startHour: 21, endHour: 8 })).toBe("21:00–08:00");
  });

  it("reads a frequency cap", () => {
    expect(describeCap({ max: 2, perDays: 7 })).toBe("At most 2 per 7 days");
    expect(describeCap({ max: 1, perDays: 1 })).toBe("At most 1 per day");
  });
});
