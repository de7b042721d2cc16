import { describe, expect, it } from "vitest";
import { inHours, isTimeZone, nextSendTime } from "./timing";

const night = { startHour: 21, endHour: 8 };
const morning = { startHour: 9, endHour: 12 };

describe("send times in the customer's time zone", () => {
  it("sends at once inside the window and outside the quiet hours", () => {
    const due = new Date("2026-03-02T09:30:00Z"); // 10:30 in Amsterdam
    expect(
      nextSendTime(due, "Europe/Amsterdam", {
        sendWindow: morning,
        quietHours: night,
        respectQuietHours: true,
      }),
    ).toEqual(due);
  });

  it("holds a message to the window's next opening in local time", () => {
    // 06:00 in Amsterdam (UTC+1 in March): the 9–12 window opens at 08:00 UTC.
    expect(
      nextSendTime(new Date("2026-03-02T05:00:00Z"), "Europe/Amsterdam", {
        sendWindow: morning,
        quietHours: null,
        respectQuietHours: true,
      }),
    ).toEqual(new Date("2026-03-02T08:00:00Z"));
    // The same moment is 00:00 in New York: its window opens at 14:00 UTC.
    expect(
      nextSendTime(new Date("2026-03-02T05:00:00Z"), "America/New_York", {
        sendWindow: morning,
        quietHours: null,
        respectQuietHours: true,
      }),
    ).toEqual(new Date("2026-03-02T14:00:00Z"));
  });

  it("waits out the quiet hours unless the touchpoint opts out", () => {
    const due = new Date("2026-03-02T22:15:00Z"); // 23:15 in Amsterdam
    expect(
      nextSendTime(due, "Europe/Amsterdam", { sendWindow: null, quietHours: night, respectQuietHours: true }),
    ).toEqual(
      new Date("2026-03-03T07:00:00Z"), // 08:00 local
    );
    expect(
      nextSendTime(due, "Europe/Amsterdam", {
        sendWindow: null,
        quietHours: night,
        respectQuietHours: false,
      }),
    ).toEqual(due);
  });

  it("crosses a daylight-saving change on local hours", () => {
    // Clocks go forward in Amsterdam on 29 March 2026 at 02:00 (UTC+1 → UTC+2): 08:00 local is 06:00 UTC.
    expect(
      nextSendTime(new Date("2026-03-29T00:30:00Z"), "Europe/Amsterdam", {
        sendWindow: null,
        quietHours: night,
        respectQuietHours: true,
      }),
    ).toEqual(new Date("2026-03-29T06:00:00Z"));
  });

  it("keeps half-hour zones on their own hours", () => {
    // India is UTC+5:30: 09:00 local is 03:30 UTC.
    expect(
      nextSendTime(new Date("2026-03-02T01:00:00Z"), "Asia/Kolkata", {
        sendWindow: morning,
        quietHours: null,
        respectQuietHours: true,
      }),
    ).toEqual(new Date("2026-03-02T03:30:00Z"));
  });

  it("finds no time when the window lies inside the quiet hours", () => {
    expect(
      nextSendTime(new Date("2026-03-02T12:00:00Z"), "UTC", {
        sendWindow: { startHour: 22, endHour: 23 },
        quietHours: night,
        respectQuietHours: true,
      }),
    ).toBeNull();
  });

  it("wraps ranges over midnight and knows real zones", () => {
    expect([20, 21, 23, 0, 7, 8].map((h) => inHours(h, night))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(isTimeZone("Europe/Amsterdam")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });
});
