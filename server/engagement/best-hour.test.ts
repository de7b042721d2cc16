import { describe, expect, it } from "vitest";
import { bestHour } from "./best-hour";
import type { ActivitySlot } from "./reactions";

// The best-hour rule on hand-made histories, in the customer's time zone.

const slot = (iso: string, events = 1): ActivitySlot => ({ at: new Date(iso), events });

describe("the best hour", () => {
  it("is the two local hours with the most events", () => {
    const slots = [
      // 19:xx and 20:xx in Berlin (UTC+1 in winter): 6 events.
      slot("2030-01-10T18:15:00Z", 2),
      slot("2030-01-11T18:45:00Z"),
      slot("2030-01-12T19:30:00Z", 3),
      // Scattered over the day: 4 events.
      slot("2030-01-13T07:00:00Z"),
      slot("2030-01-14T10:00:00Z"),
      slot("2030-01-15T13:00:00Z"),
      slot("2030-01-16T15:00:00Z"),
    ];
    expect(bestHour(slots, "Europe/Berlin")).toEqual({
      hours: { startHour: 19, endHour: 21 },
      timeZone: "Europe/Berlin",
      reason: "Usually active 19:00–21:00 Europe/Berlin, from 10 events (6 in those hours)",
    });
    // The same events in New York's time are five or six hours earlier.
    expect(bestHour(slots, "America/New_York").hours).toEqual({ startHour: 13, endHour: 15 });
  });

  it("follows the customer's clock across a daylight-saving change", () => {
    // 19:30 in Berlin each evening: 18:30 UTC in winter, 17:30 UTC in summer (the change is 2030-03-31).
    const slots = ["2030-03-27", "2030-03-28", "2030-03-29", "2030-03-30"]
      .map((d) => slot(`${d}T18:30:00Z`))
      .concat(["2030-04-01", "2030-04-02", "2030-04-03", "2030-04-04"].map((d) => slot(`${d}T17:30:00Z`)));
    expect(bestHour(slots, "Europe/Berlin").hours).toEqual({ startHour: 19, endHour: 21 });
    // In UTC the same evenings are split over two hours, still inside one two-hour window.
    expect(bestHour(slots, "UTC").hours).toEqual({ startHour: 17, endHour: 19 });
  });

  it("places events in half-hour time zones by their quarter hour", () => {
    // 13:45 UTC is 19:15 in Kolkata (UTC+5:30).
    const slots = Array.from({ length: 8 }, (_, i) => slot(`2030-05-${10 + i}T13:45:00Z`));
    expect(bestHour(slots, "Asia/Kolkata").hours).toEqual({ startHour: 19, endHour: 21 });
    expect(bestHour(slots, "UTC").hours).toEqual({ startHour: 13, endHour: 15 });
  });

  it("breaks a tie by the first hour, then by the latest event", () => {
    const slots = [
      slot("2030-01-10T08:00:00Z", 4),
      slot("2030-01-10T20:00:00Z", 4),
      slot("2030-01-20T08:00:00Z", 4),
    ];
    // 07:00–09:00 and 08:00–10:00 both hold the 8 morning events: the hours start when the customer does.
    expect(bestHour(slots, "UTC").hours).toEqual({ startHour: 8, endHour: 10 });
    // Mornings and evenings alike: the latest event decides.
    const evening = [slot("2030-01-10T08:00:00Z", 4), slot("2030-01-20T20:00:00Z", 4)];
    expect(bestHour(evening, "UTC").hours).toEqual({ startHour: 20, endHour: 22 });
    const morning = [slot("2030-01-20T08:00:00Z", 4), slot("2030-01-10T20:00:00Z", 4)];
    expect(bestHour(morning, "UTC").hours).toEqual({ startHour: 8, endHour: 10 });
  });

  it("has none with too few events, or events spread over the day", () => {
    const few = Array.from({ length: 7 }, (_, i) => slot(`2030-01-1${i}T19:00:00Z`));
    expect(bestHour(few, "UTC")).toEqual({
      hours: null,
      timeZone: "UTC",
      reason: "Too few events in the last 180 days (7; 8 needed): no best hour",
    });
    const spread = Array.from({ length: 12 }, (_, i) =>
      slot(`2030-01-10T${String(i * 2).padStart(2, "0")}:00:00Z`),
    );
    expect(bestHour(spread, "UTC")).toEqual({
      hours: null,
      timeZone: "UTC",
      reason:
        "Their 12 events in the last 180 days are spread over the day (at most 1 in any 2 hours, a quarter needed): no best hour",
    });
  });
});
