"use client";

import { useId, useMemo, useState } from "react";
import { Button, controlProps, Field, inputClass } from "~/app/_components/ui";
import { DEFAULT_HOLDOUT_PERCENT, MAX_HOLDOUT_PERCENT } from "~/server/journeys/impact/holdout-limits";

// The settings a journey goes live with (and a dry run uses): who may enter
// again, whether leaving the segment ends the way through, what a new version
// does to those on their way, and the time zone for customers whose own is unknown.

export interface RunSettings {
  reentryDays: number | null;
  exitOnSegmentLeave: boolean;
  moveToNewVersion: boolean;
  timezone: string;
  holdoutPercent: number;
}

/** The form's input look, as a short inline box. */
const dayInputClass = inputClass.replace("block w-full", "inline-block w-20");

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function GoLiveForm({
  version,
  pending,
  onDryRun,
  onGoLive,
}: {
  version: number;
  pending: boolean;
  onDryRun: (settings: RunSettings) => void;
  onGoLive: (settings: RunSettings) => void;
}) {
  const id = useId();
  // The runtime's list leaves out UTC (an alias), which is what a server or a headless browser reports.
  const zones = useMemo(() => ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")], []);
  const [reentry, setReentry] = useState<"once" | "again">("once");
  const [days, setDays] = useState("30");
  const [exitOnSegmentLeave, setExitOnSegmentLeave] = useState(false);
  const [moveToNewVersion, setMoveToNewVersion] = useState(false);
  const [timezone, setTimezone] = useState(browserZone);
  const [holdout, setHoldout] = useState(String(DEFAULT_HOLDOUT_PERCENT));
  const holdoutValue = Number(holdout);
  const holdoutError =
    holdout.trim() === "" ||
    !Number.isInteger(holdoutValue) ||
    holdoutValue < 0 ||
    holdoutValue > MAX_HOLDOUT_PERCENT
      ? `Give a whole percentage from 0 to ${MAX_HOLDOUT_PERCENT}`
      : undefined;
  const daysValue = Number(days);
  const daysError =
    reentry === "again" && (!Number.isInteger(daysValue) || daysValue < 0 || daysValue > 3650)
      ? "Give a whole number of days from 0 to 3,650"
      : undefined;
  const invalid = Boolean(daysError || holdoutError);
  const settings = (): RunSettings => ({
    reentryDays: reentry === "once" ? null : daysValue,
    exitOnSegmentLeave,
    moveToNewVersion,
    timezone,
    holdoutPercent: holdoutValue,
  });

  return (
    <form
      className="max-w-2xl space-y-4"
      aria-label="Go live"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid) onGoLive(settings());
      }}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Who enters</legend>
        <p className="text-sm text-slate-600">
          The segment&apos;s members when it goes live, then everyone who enters the segment, and anyone in it
          who does the event of a touchpoint that starts on its own.
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name={`${id}-reentry`}
            checked={reentry === "once"}
            onChange={() => setReentry("once")}
          />
          Each customer once
        </label>
        <label className="flex flex-wrap items-center gap-2 text-sm">
          <input
            type="radio"
            name={`${id}-reentry`}
            checked={reentry === "again"}
            onChange={() => setReentry("again")}
          />
          Again, once they have left, after
          <input
            aria-label="Days before a customer may enter again"
            className={dayInputClass}
            inputMode="numeric"
            value={days}
            disabled={reentry !== "again"}
            aria-invalid={Boolean(daysError)}
            onChange={(event) => setDays(event.target.value)}
          />
          days
        </label>
        {daysError && <p className="text-xs text-red-700">{daysError}</p>}
      </fieldset>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-1"
          checked={exitOnSegmentLeave}
          onChange={(event) => setExitOnSegmentLeave(event.target.checked)}
        />
        Customers who leave the segment leave the journey
      </label>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-1"
          checked={moveToNewVersion}
          onChange={(event) => setMoveToNewVersion(event.target.checked)}
        />
        When a new version is published, customers on their way move to it (otherwise they finish on theirs;
        new entrants always take the newest)
      </label>
      <Field
        id={`${id}-holdout`}
        label="Control group (holdout), % of entrants"
        hint={`Held-out customers go through every step like the others but are sent nothing, so the Impact tab can show what the journey adds. 0 to ${MAX_HOLDOUT_PERCENT} %; 10 % is usual.`}
        error={holdoutError}
      >
        <input
          {...controlProps(`${id}-holdout`, { hasHint: true, error: holdoutError })}
          className={dayInputClass}
          inputMode="numeric"
          value={holdout}
          onChange={(event) => setHoldout(event.target.value)}
        />
      </Field>
      <Field
        id={`${id}-zone`}
        label="Time zone for customers whose own is unknown"
        hint="A customer's timezone trait, else the time zone their latest event reported, decides their send windows and quiet hours."
      >
        <select
          {...controlProps(`${id}-zone`, { hasHint: true })}
          value={timezone}
          onChange={(e) => setTimezone(e.target.value)}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="secondary"
          disabled={pending || invalid}
          onClick={() => onDryRun(settings())}
        >
          Dry run
        </Button>
        <Button type="submit" disabled={pending || invalid}>
          {pending ? "Going live…" : `Go live with version ${version}`}
        </Button>
      </div>
    </form>
  );
}
