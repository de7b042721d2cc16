import { useId } from "react";
import type {
  ChannelCountCondition,
  ChannelShareCondition,
  EventCountCondition,
  RfmGroupCondition,
  SegmentCondition,
  SpendCondition,
  ValueCondition,
} from "~/server/segments/rules";
import { channels } from "~/db/enums";
import { NumberField, SelectField } from "./fields";
import {
  channelLabels,
  comparisonLabels,
  measureLabels,
  rfmGroupInfo,
  rfmGroups,
  valueOpLabels,
} from "./labels";
import { issuesFor, subIssues, type FieldIssue } from "./paths";
import { WindowEditor } from "./window-editor";

// Channel habits, value and membership: one comparison each.

interface EditorProps<T> {
  rule: T;
  onChange: (rule: T) => void;
  issues: readonly FieldIssue[];
}

const atLeastAtMost = [
  { value: "gte", label: comparisonLabels.gte },
  { value: "lte", label: comparisonLabels.lte },
] as const;

const withExactly = [...atLeastAtMost, { value: "equals", label: comparisonLabels.equals }] as const;

export function ChannelShareEditor({ rule, onChange, issues }: EditorProps<ChannelShareCondition>) {
  return (
    <>
      <SelectField
        label="Share of events"
        value={rule.op}
        options={atLeastAtMost}
        onChange={(op) => onChange({ ...rule, op })}
        issues={issuesFor(issues, "op")}
      />
      <NumberField
        label="Percent"
        scale={100}
        suffix="%"
        width="w-20"
        value={rule.value}
        onChange={(value) => value !== undefined && onChange({ ...rule, value })}
        issues={issuesFor(issues, "value")}
      />
      <SelectField
        label="On channel"
        value={rule.channel}
        options={channels.map((c) => ({ value: c, label: channelLabels[c] }))}
        onChange={(channel) => onChange({ ...rule, channel })}
        issues={issuesFor(issues, "channel")}
      />
    </>
  );
}

export function CountEditor<T extends ChannelCountCondition | EventCountCondition>({
  rule,
  onChange,
  issues,
}: EditorProps<T>) {
  const unit = rule.type === "channelCount" ? "channels" : "events";
  return (
    <>
      <SelectField
        label={rule.type === "channelCount" ? "Channels used" : "Events in total"}
        value={rule.op}
        options={withExactly}
        onChange={(op) => onChange({ ...rule, op })}
        issues={issuesFor(issues, "op")}
      />
      <NumberField
        label="Number"
        suffix={unit}
        width="w-20"
        value={rule.value}
        onChange={(value) => value !== undefined && onChange({ ...rule, value })}
        issues={issuesFor(issues, "value")}
      />
    </>
  );
}

export function RfmGroupEditor({ rule, onChange, issues }: EditorProps<RfmGroupCondition>) {
  const id = useId();
  const messages = issuesFor(issues, "groups").map((i) => i.message);
  return (
    <fieldset
      className="min-w-0"
      aria-invalid={messages.length ? true : undefined}
      aria-describedby={messages.length ? `${id}-msg` : undefined}
    >
      <legend className="mb-1 text-xs font-medium text-slate-600">RFM group is any of</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {rfmGroups.map((group) => (
          <label key={group} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
            <input
              type="checkbox"
              className="text-brand-600 focus:ring-brand-500 size-4 rounded border-slate-300"
              checked={rule.groups.includes(group)}
              onChange={(event) =>
                onChange({
                  ...rule,
                  // Kept in the list's order so the summary reads the same whatever the clicks.
                  groups: rfmGroups.filter((g) =>
                    g === group ? event.target.checked : rule.groups.includes(g),
                  ),
                })
              }
            />
            <span title={rfmGroupInfo[group].description}>{rfmGroupInfo[group].label}</span>
          </label>
        ))}
      </div>
      {messages.length > 0 && (
        <p id={`${id}-msg`} className="mt-1 text-xs text-red-700">
          {messages.join("; ")}
        </p>
      )}
      {rule.groups.length === 0 && messages.length === 0 && (
        <p className="mt-1 text-xs text-amber-800">Choose at least one group.</p>
      )}
    </fieldset>
  );
}

export function ValueEditor({ rule, onChange, issues }: EditorProps<ValueCondition>) {
  const percentOp = rule.op === "topPercent" || rule.op === "bottomPercent";
  const probability = rule.measure === "pAlive" && !percentOp;
  return (
    <>
      <SelectField
        label="Measure"
        value={rule.measure}
        options={Object.entries(measureLabels).map(([value, label]) => ({
          value: value as ValueCondition["measure"],
          label,
        }))}
        onChange={(measure) => {
          // P(alive) is a fraction: a value from another measure rarely fits it.
          const value =
            measure === "pAlive" && !percentOp && (rule.value < 0 || rule.value > 1) ? 0.5 : rule.value;
          onChange({ ...rule, measure, value });
        }}
        issues={issuesFor(issues, "measure")}
      />
      <SelectField
        label="Comparison"
        value={rule.op}
        options={Object.entries(valueOpLabels).map(([value, label]) => ({
          value: value as ValueCondition["op"],
          label: value.endsWith("Percent") ? `${label} N %` : label,
        }))}
        onChange={(op) => {
          const toPercent = op === "topPercent" || op === "bottomPercent";
          let value = rule.value;
          if (toPercent && !percentOp) value = 20;
          if (!toPercent && percentOp) value = rule.measure === "pAlive" ? 0.5 : 0;
          onChange({ ...rule, op, value });
        }}
        issues={issuesFor(issues, "op")}
      />
      <NumberField
        label={percentOp ? "Percent of customers" : probability ? "Probability" : "Value"}
        scale={probability ? 100 : 1}
        suffix={percentOp || probability ? "%" : undefined}
        width="w-24"
        value={rule.value}
        onChange={(value) => value !== undefined && onChange({ ...rule, value })}
        issues={issuesFor(issues, "value").concat(issues.filter((i) => i.field === ""))}
      />
    </>
  );
}

export function SpendEditor({ rule, onChange, issues }: EditorProps<SpendCondition>) {
  return (
    <>
      <SelectField
        label="Spent"
        value={rule.op}
        options={atLeastAtMost}
        onChange={(op) => onChange({ ...rule, op })}
        issues={issuesFor(issues, "op")}
      />
      <NumberField
        label="Amount"
        width="w-28"
        value={rule.value}
        onChange={(value) => value !== undefined && onChange({ ...rule, value })}
        issues={issuesFor(issues, "value")}
      />
      <WindowEditor
        window={rule.window}
        onChange={(window) => onChange({ ...rule, window })}
        issues={subIssues(issues, "window")}
      />
    </>
  );
}

export function SegmentEditor({
  rule,
  onChange,
  issues,
  segments,
}: EditorProps<SegmentCondition> & { segments: readonly { id: string; name: string }[] }) {
  const known = segments.some((s) => s.id === rule.segmentId);
  return (
    <>
      <SelectField
        label="Membership"
        value={rule.member ? "member" : "notMember"}
        options={[
          { value: "member", label: "Is a member of" },
          { value: "notMember", label: "Is not a member of" },
        ]}
        onChange={(value) => onChange({ ...rule, member: value === "member" })}
        issues={issuesFor(issues, "member")}
      />
      <SelectField
        label="Segment"
        width="w-56"
        value={rule.segmentId}
        options={[
          ...(known
            ? []
            : [
                {
                  value: rule.segmentId,
                  label: rule.segmentId ? "(unknown segment)" : "Choose a segment",
                  disabled: true,
                },
              ]),
          ...segments.map((s) => ({ value: s.id, label: s.name })),
        ]}
        onChange={(segmentId) => onChange({ ...rule, segmentId })}
        issues={issuesFor(issues, "segmentId")}
      />
    </>
  );
}
