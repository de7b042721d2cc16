import type { SegmentSchedule } from "~/db/enums";

export const scheduleLabels: Record<SegmentSchedule, string> = {
  off: "Manual only",
  hourly: "Every hour",
  daily: "Every day",
};

export const scheduleOptions: { value: SegmentSchedule; label: string; hint: string }[] = [
  { value: "daily", label: scheduleLabels.daily, hint: "Members are recomputed once a day" },
  { value: "hourly", label: scheduleLabels.hourly, hint: "Members are recomputed every hour" },
  { value: "off", label: scheduleLabels.off, hint: "Only when someone presses “Refresh now”" },
];
