import type { BehaviourCondition, EventTimeCondition } from "~/server/segments/rules";
import { channels, eventTypes, type Channel, type EventType } from "~/db/enums";
import { NumberField, SelectField, TextField } from "./fields";
import { channelLabels, eventTypeLabels } from "./labels";
import { issuesFor, subIssues, type FieldIssue } from "./paths";
import { PropertyFilters } from "./test-editor";
import { DateBoundEditor, SeasonEditor, WindowEditor } from "./window-editor";

// Behaviour (performed / did not perform, how often, when) and the time of
// the first or last event; both filter events the same way.

export const EVENT_NAMES_LIST = "rule-builder-event-names";

type Filter = Pick<BehaviourCondition, "event" | "eventType" | "channel" | "properties">;

function EventFilterFields<T extends Filter>({
  rule,
  onChange,
  issues,
}: {
  rule: T;
  onChange: (rule: T) => void;
  issues: readonly FieldIssue[];
}) {
  return (
    <>
      <TextField
        label="Event"
        placeholder="Any event"
        list={EVENT_NAMES_LIST}
        value={rule.event ?? ""}
        // Empty means any event: the field is left out rather than sent empty.
        onChange={(event) => onChange({ ...rule, event: event === "" ? undefined : event })}
        issues={issuesFor(issues, "event")}
      />
      <SelectField
        label="Event type"
        value={rule.eventType ?? ""}
        options={[
          { value: "", label: "Any type" },
          ...eventTypes.map((t) => ({ value: t, label: eventTypeLabels[t] })),
        ]}
        onChange={(eventType) =>
          onChange({ ...rule, eventType: (eventType || undefined) as EventType | undefined })
        }
        issues={issuesFor(issues, "eventType")}
      />
      <SelectField
        label="Channel"
        value={rule.channel ?? ""}
        options={[
          { value: "", label: "Any channel" },
          ...channels.map((c) => ({ value: c, label: channelLabels[c] })),
        ]}
        onChange={(channel) => onChange({ ...rule, channel: (channel || undefined) as Channel | undefined })}
        issues={issuesFor(issues, "channel")}
      />
    </>
  );
}

function Range({
  range,
  onChange,
  issues,
  unit,
  what,
}: {
  range: { atLeast?: number; atMost?: number } | undefined;
  onChange: (range: { atLeast?: number; atMost?: number } | undefined) => void;
  issues: readonly FieldIssue[];
  unit: string;
  what: string;
}) {
  const set = (key: "atLeast" | "atMost", value: number | undefined) => {
    const next = { ...range, [key]: value };
    if (value === undefined) delete next[key];
    onChange(next.atLeast === undefined && next.atMost === undefined ? undefined : next);
  };
  return (
    <fieldset className="min-w-0 rounded-md border border-slate-200 px-2 pt-0.5 pb-1.5">
      <legend className="px-1 text-xs font-medium text-slate-600">{what}</legend>
      <div className="flex flex-wrap items-start gap-2">
        <NumberField
          label="at least"
          optional
          placeholder="any"
          width="w-16"
          value={range?.atLeast}
          onChange={(value) => set("atLeast", value)}
          issues={issuesFor(issues, "atLeast").concat(issues.filter((i) => i.field === ""))}
        />
        <NumberField
          label="at most"
          optional
          placeholder="any"
          suffix={unit}
          width="w-16"
          value={range?.atMost}
          onChange={(value) => set("atMost", value)}
          issues={issuesFor(issues, "atMost")}
        />
      </div>
    </fieldset>
  );
}

export function BehaviourEditor({
  rule,
  onChange,
  issues,
}: {
  rule: BehaviourCondition;
  onChange: (rule: BehaviourCondition) => void;
  issues: readonly FieldIssue[];
}) {
  return (
    <>
      <SelectField
        label="Did"
        value={rule.performed ? "yes" : "no"}
        options={[
          { value: "yes", label: "Performed" },
          { value: "no", label: "Did not perform" },
        ]}
        onChange={(value) => {
          if (value === "yes") return onChange({ ...rule, performed: true });
          // How often applies only to performed events.
          const { times: _times, weeks: _weeks, ...rest } = rule;
          onChange({ ...rest, performed: false });
        }}
        issues={issuesFor(issues, "performed")}
      />
      <EventFilterFields rule={rule} onChange={onChange} issues={issues} />
      <WindowEditor
        window={rule.window}
        onChange={(window) => onChange({ ...rule, window })}
        issues={subIssues(issues, "window")}
      />
      <SeasonEditor
        season={rule.season}
        onChange={(season) => onChange({ ...rule, season })}
        issues={subIssues(issues, "season")}
      />
      {rule.performed && (
        <>
          <Range
            what="How many times"
            unit="times"
            range={rule.times}
            onChange={(times) => onChange({ ...rule, times })}
            issues={subIssues(issues, "times")}
          />
          <Range
            what="In distinct weeks"
            unit="weeks"
            range={rule.weeks}
            onChange={(weeks) => onChange({ ...rule, weeks })}
            issues={subIssues(issues, "weeks")}
          />
        </>
      )}
      <PropertyFilters
        filters={rule.properties}
        onChange={(properties) => onChange({ ...rule, properties })}
        issues={subIssues(issues, "properties")}
      />
    </>
  );
}

export function EventTimeEditor({
  rule,
  onChange,
  issues,
}: {
  rule: EventTimeCondition;
  onChange: (rule: EventTimeCondition) => void;
  issues: readonly FieldIssue[];
}) {
  return (
    <>
      <SelectField
        label="Which"
        value={rule.which}
        options={[
          { value: "first", label: "First" },
          { value: "last", label: "Last" },
        ]}
        onChange={(which) => onChange({ ...rule, which })}
        issues={issuesFor(issues, "which")}
      />
      <EventFilterFields rule={rule} onChange={onChange} issues={issues} />
      <DateBoundEditor
        side="after"
        bound={rule.after}
        onChange={(after) => onChange({ ...rule, after })}
        issues={subIssues(issues, "after")}
      />
      <DateBoundEditor
        side="before"
        bound={rule.before}
        onChange={(before) => onChange({ ...rule, before })}
        issues={subIssues(issues, "before")}
      />
      <PropertyFilters
        filters={rule.properties}
        onChange={(properties) => onChange({ ...rule, properties })}
        issues={subIssues(issues, "properties")}
      />
    </>
  );
}
