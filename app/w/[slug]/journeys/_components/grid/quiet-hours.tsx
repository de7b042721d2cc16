"use client";

import type { HourRange } from "~/server/journeys/design";
import { formatHour, formatHourRange } from "./describe";

const hours = Array.from({ length: 24 }, (_, h) => h);
const selectClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-brand-500 focus:ring-1 focus:ring-brand-500 focus:outline-none";

/** The journey's quiet hours: no message goes out in them unless a touchpoint opts out. */
export function QuietHours({
  value,
  onChange,
}: {
  value: HourRange | null;
  /** Absent: read-only. */
  onChange?: (value: HourRange | null) => void;
}) {
  if (!onChange) {
    return (
      <p className="text-sm text-slate-700">
        <span className="font-medium">Quiet hours:</span>{" "}
        {value ? `${formatHourRange(value)}, customer's local time` : "none"}
      </p>
    );
  }
  const range = value ?? { startHour: 21, endHour: 8 };
  const setHour = (key: keyof HourRange, hour: number) => {
    const next = { ...range, [key]: hour };
    // Start and end may not be equal: nudge the other end rather than refuse the choice.
    if (next.startHour === next.endHour) {
      if (key === "startHour") next.endHour = (hour + 1) % 24;
      else next.startHour = (hour + 23) % 24;
    }
    onChange(next);
  };
  return (
    <fieldset className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
      <legend className="sr-only">Quiet hours</legend>
      <label className="flex items-center gap-2 font-medium">
        <input
          type="checkbox"
          checked={value !== null}
          onChange={(e) => onChange(e.target.checked ? range : null)}
        />
        Quiet hours
      </label>
      {value && (
        <>
          <HourSelect
            id="quiet-start"
            label="from"
            hour={value.startHour}
            onChange={(h) => setHour("startHour", h)}
          />
          <HourSelect
            id="quiet-end"
            label="until"
            hour={value.endHour}
            onChange={(h) => setHour("endHour", h)}
          />
          <span className="text-slate-500">customer&apos;s local time</span>
        </>
      )}
    </fieldset>
  );
}

function HourSelect({
  id,
  label,
  hour,
  onChange,
}: {
  id: string;
  label: string;
  hour: number;
  onChange: (hour: number) => void;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={hour} onChange={(e) => onChange(Number(e.target.value))} className={selectClass}>
        {hours.map((h) => (
          <option key={h} value={h}>
            {formatHour(h)}
          </option>
        ))}
      </select>
    </>
  );
}
