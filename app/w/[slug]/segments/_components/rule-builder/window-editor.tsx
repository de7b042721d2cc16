import type { DateBound, Window } from "~/server/segments/rules";
import { daysBeforeIso, todayIso } from "./defaults";
import { DateField, NumberField, SelectField } from "./fields";
import { issuesFor, type FieldIssue } from "./paths";

// When something happened: a window (any time / last N days / between dates)
// and a single bound (N days ago / a date) for first and last events.

type WindowMode = "any" | "last" | "between";

const windowModes = [
  { value: "any", label: "Any time" },
  { value: "last", label: "In the last N days" },
  { value: "between", label: "Between dates" },
] as const;

export function WindowEditor({
  window,
  onChange,
  issues,
  label = "When",
}: {
  window: Window | undefined;
  onChange: (window: Window | undefined) => void;
  /** Issues below the window ("lastDays", "from", ""). */
  issues: readonly FieldIssue[];
  label?: string;
}) {
  const mode: WindowMode = !window ? "any" : "lastDays" in window ? "last" : "between";
  return (
    <>
      <SelectField
        label={label}
        value={mode}
        options={windowModes}
        onChange={(next) =>
          onChange(
            next === "any"
              ? undefined
              : next === "last"
                ? { lastDays: 90 }
                : { from: daysBeforeIso(90), to: todayIso() },
          )
        }
        issues={issues.filter((i) => i.field === "")}
      />
      {window && "lastDays" in window && (
        <NumberField
          label="Days"
          value={window.lastDays}
          suffix="days"
          width="w-20"
          onChange={(lastDays) => lastDays !== undefined && onChange({ lastDays })}
          issues={issuesFor(issues, "lastDays")}
        />
      )}
      {window && !("lastDays" in window) && (
        <>
          <DateField
            label="From"
            optional
            value={window.from}
            onChange={(from) => onChange({ ...window, from })}
            issues={issuesFor(issues, "from")}
          />
          <DateField
            label="To (through)"
            optional
            value={window.to}
            onChange={(to) => onChange({ ...window, to })}
            issues={issuesFor(issues, "to")}
          />
        </>
      )}
    </>
  );
}

type BoundMode = "none" | "daysAgo" | "date";

export function DateBoundEditor({
  bound,
  onChange,
  issues,
  side,
}: {
  bound: DateBound | undefined;
  onChange: (bound: DateBound | undefined) => void;
  issues: readonly FieldIssue[];
  side: "before" | "after";
}) {
  const mode: BoundMode = !bound ? "none" : "date" in bound ? "date" : "daysAgo";
  const title = side === "before" ? "Before" : "After";
  return (
    <>
      <SelectField
        label={title}
        value={mode}
        options={[
          { value: "none", label: side === "before" ? "No upper bound" : "No lower bound" },
          { value: "daysAgo", label: "N days ago" },
          { value: "date", label: "A date" },
        ]}
        onChange={(next) =>
          onChange(next === "none" ? undefined : next === "daysAgo" ? { daysAgo: 30 } : { date: todayIso() })
        }
        issues={issues.filter((i) => i.field === "")}
      />
      {bound && "daysAgo" in bound && (
        <NumberField
          label={`${title}: days ago`}
          value={bound.daysAgo}
          suffix="days ago"
          width="w-20"
          onChange={(daysAgo) => daysAgo !== undefined && onChange({ daysAgo })}
          issues={issuesFor(issues, "daysAgo")}
        />
      )}
      {bound && "date" in bound && (
        <DateField
          label={`${title}: date`}
          value={bound.date}
          onChange={(date) => date && onChange({ date })}
          issues={issuesFor(issues, "date")}
        />
      )}
    </>
  );
}
