import type { DateBound, Season, Window } from "~/server/segments/rules";
import { daysBeforeIso, todayIso } from "./defaults";
import { EditableList } from "./editable-list";
import { DateField, NumberField, SelectField, TextField } from "./fields";
import { issuesFor, subIssues, type FieldIssue } from "./paths";

// When something happened: a window (any time / last N days / between dates),
// days of every year (sale periods, holidays), and a single bound (N days ago /
// a date) for first and last events.

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

type SeasonMode = "any" | "inside" | "outside";

const MAX_PERIODS = 12;

/** Days of every year: in (or outside) periods of MM-DD to MM-DD. */
export function SeasonEditor({
  season,
  onChange,
  issues,
}: {
  season: Season | undefined;
  onChange: (season: Season | undefined) => void;
  /** Issues below the season ("periods[0].from", ""). */
  issues: readonly FieldIssue[];
}) {
  const mode: SeasonMode = !season ? "any" : season.outside ? "outside" : "inside";
  const periods = season?.periods ?? [];
  const setPeriods = (next: Season["periods"]) => season && onChange({ ...season, periods: next });
  const periodIssues = subIssues(issues, "periods");
  return (
    <>
      <SelectField
        label="Days of the year"
        value={mode}
        options={[
          { value: "any", label: "Every day" },
          { value: "inside", label: "In yearly periods" },
          { value: "outside", label: "Outside yearly periods" },
        ]}
        onChange={(next) =>
          onChange(
            next === "any"
              ? undefined
              : {
                  periods: periods.length ? periods : [{ from: "11-20", to: "12-31" }],
                  ...(next === "outside" ? { outside: true } : {}),
                },
          )
        }
        issues={issues.filter((i) => i.field === "").concat(periodIssues.filter((i) => i.field === ""))}
      />
      {season && (
        <EditableList
          items={periods}
          onChange={setPeriods}
          noun="yearly period"
          max={MAX_PERIODS}
          min={1}
          newItem={() => ({ from: "06-25", to: "07-31" })}
        >
          {(period, index) => {
            const own = subIssues(periodIssues, `[${index}]`);
            const set = (key: "from" | "to", value: string) =>
              setPeriods(periods.map((p, i) => (i === index ? { ...p, [key]: value.trim() } : p)));
            return (
              <>
                <TextField
                  label="From (MM-DD)"
                  placeholder="11-20"
                  width="w-24"
                  value={period.from}
                  onChange={(value) => set("from", value)}
                  issues={issuesFor(own, "from")}
                />
                <TextField
                  label="Through (MM-DD)"
                  placeholder="12-31"
                  width="w-24"
                  value={period.to}
                  onChange={(value) => set("to", value)}
                  issues={issuesFor(own, "to")}
                />
              </>
            );
          }}
        </EditableList>
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
