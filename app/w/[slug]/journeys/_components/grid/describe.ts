import type { FrequencyCap, HourRange, Touchpoint } from "~/server/journeys/design";
import { channelLabels } from "../../../_components/channels";

// Short, plain words for a touchpoint's timing, shown on its card and in the form.

export const ownerTeamLabels = { marketing: "Marketing", it: "IT", service: "Service" } as const;

export const emotionLabels: Record<number, string> = {
  [-2]: "Very negative",
  [-1]: "Negative",
  0: "Neutral",
  1: "Positive",
  2: "Very positive",
};

/** 21 → "21:00". */
export function formatHour(hour: number) {
  return `${String(hour).padStart(2, "0")}:00`;
}

/** "21:00–08:00". */
export function formatHourRange(range: HourRange) {
  return `${formatHour(range.startHour)}–${formatHour(range.endHour)}`;
}

/** 50 → "2 d 2 h", 0 → "at once". */
export function formatDelay(hours: number) {
  if (hours === 0) return "at once";
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return [days > 0 ? `${days} d` : "", rest > 0 ? `${rest} h` : ""].filter(Boolean).join(" ");
}

export function describeTrigger(trigger: Touchpoint["trigger"]) {
  switch (trigger.kind) {
    case "segmentEntry":
      return "On entering the segment";
    case "previous":
      return "After the previous step";
    case "event":
      return `After “${trigger.event}”${trigger.channel ? ` on ${channelLabels[trigger.channel]}` : ""}`;
  }
}

/** "On entering the segment, after 2 d, 09:00–18:00". */
export function describeTiming(touchpoint: Pick<Touchpoint, "trigger" | "delayHours" | "sendWindow">) {
  const parts = [describeTrigger(touchpoint.trigger)];
  parts.push(touchpoint.delayHours === 0 ? "at once" : `after ${formatDelay(touchpoint.delayHours)}`);
  if (touchpoint.sendWindow) parts.push(`sent ${formatHourRange(touchpoint.sendWindow)}`);
  return parts.join(", ");
}

/** "At most 2 per 7 days". */
export function describeCap(cap: FrequencyCap) {
  return `At most ${cap.max} per ${cap.perDays === 1 ? "day" : `${cap.perDays} days`}`;
}
