import { useId } from "react";
import { Button } from "~/app/_components/ui";
import { BehaviourEditor, EventTimeEditor } from "./behaviour-editor";
import { defaultCondition } from "./defaults";
import { describeCondition } from "./describe";
import { SelectField } from "./fields";
import { conditionTypeLabels, conditionTypes, type Condition, type ConditionType } from "./labels";
import {
  ChannelShareEditor,
  CountEditor,
  RfmGroupEditor,
  SegmentEditor,
  SpendEditor,
  ValueEditor,
} from "./measure-editors";
import type { FieldIssue } from "./paths";
import { TraitEditor } from "./test-editor";

// One condition: its sentence, its type, the editor for that type, and the
// row's own actions. Issues the editors do not place are listed under the row.

const fieldsOf: Record<ConditionType, string[]> = {
  trait: ["field", "test"],
  behaviour: ["performed", "event", "eventType", "channel", "properties", "window", "times", "weeks"],
  eventTime: ["which", "event", "eventType", "channel", "properties", "before", "after"],
  channelShare: ["channel", "op", "value"],
  channelCount: ["op", "value"],
  eventCount: ["op", "value"],
  rfmGroup: ["groups"],
  value: ["measure", "op", "value"],
  spend: ["window", "op", "value"],
  segment: ["segmentId", "member"],
};

/** Placed by an editor beside a field (value and behaviour refinements land on their first field). */
function placed(type: ConditionType, issue: FieldIssue) {
  const top = /^[^.[]*/.exec(issue.field)?.[0] ?? "";
  if (issue.field === "") return type === "value";
  return fieldsOf[type].includes(top);
}

/** Optional keys set to undefined are dropped, so the rule stays as the server would echo it. */
function compact<T extends object>(rule: T): T {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as T;
}

export interface RowActions {
  /** Wrap in NOT: undefined when it is not offered, a string when disabled (the reason). */
  wrap?: { onClick: () => void; disabledReason?: string };
  remove?: () => void;
}

export function ConditionRow({
  rule,
  onChange,
  issues,
  segments,
  readOnly,
  focusKey,
  actions,
}: {
  rule: Condition;
  onChange: (rule: Condition) => void;
  issues: readonly FieldIssue[];
  segments: readonly { id: string; name: string }[];
  readOnly?: boolean;
  focusKey: string;
  actions: RowActions;
}) {
  const id = useId();
  const summary = describeCondition(rule, { segmentName: (sid) => segments.find((s) => s.id === sid)?.name });
  const rowIssues = issues.filter((issue) => readOnly || !placed(rule.type, issue));
  const change = (next: Condition) => onChange(compact(next));
  const editorProps = { issues, onChange: change };

  return (
    <div
      role="group"
      aria-labelledby={`${id}-summary`}
      className="rounded-md border border-slate-200 bg-white p-3 shadow-xs"
    >
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <p
          id={`${id}-summary`}
          className="w-full min-w-0 text-sm font-medium break-words text-slate-900 sm:w-auto sm:flex-1"
        >
          {summary}
        </p>
        {!readOnly && (
          <div className="flex flex-wrap gap-1">
            {actions.wrap && (
              <Button
                variant="ghost"
                className="px-2 py-1 text-xs disabled:text-slate-400 disabled:hover:bg-transparent"
                onClick={actions.wrap.onClick}
                disabled={Boolean(actions.wrap.disabledReason)}
                title={actions.wrap.disabledReason}
              >
                Wrap in NOT<span className="sr-only">: {summary}</span>
              </Button>
            )}
            {actions.remove && (
              <Button variant="ghost" className="px-2 py-1 text-xs text-red-700" onClick={actions.remove}>
                Remove<span className="sr-only"> condition: {summary}</span>
              </Button>
            )}
          </div>
        )}
      </div>
      {!readOnly && (
        <div className="mt-2 flex flex-wrap items-start gap-x-3 gap-y-2">
          <SelectField
            label="Condition on"
            focusKey={focusKey}
            value={rule.type}
            options={conditionTypes.map((type) => ({
              value: type,
              label:
                type === "segment" && segments.length === 0
                  ? `${conditionTypeLabels[type]} (no segments yet)`
                  : conditionTypeLabels[type],
              disabled: type === "segment" && segments.length === 0 && rule.type !== "segment",
            }))}
            onChange={(type) => type !== rule.type && change(defaultCondition(type, { segments }))}
            issues={issues.filter((i) => i.field === "type")}
          />
          {rule.type === "trait" && <TraitEditor rule={rule} {...editorProps} />}
          {rule.type === "behaviour" && <BehaviourEditor rule={rule} {...editorProps} />}
          {rule.type === "eventTime" && <EventTimeEditor rule={rule} {...editorProps} />}
          {rule.type === "channelShare" && <ChannelShareEditor rule={rule} {...editorProps} />}
          {(rule.type === "channelCount" || rule.type === "eventCount") && (
            <CountEditor rule={rule} {...editorProps} />
          )}
          {rule.type === "rfmGroup" && <RfmGroupEditor rule={rule} {...editorProps} />}
          {rule.type === "value" && <ValueEditor rule={rule} {...editorProps} />}
          {rule.type === "spend" && <SpendEditor rule={rule} {...editorProps} />}
          {rule.type === "segment" && <SegmentEditor rule={rule} segments={segments} {...editorProps} />}
        </div>
      )}
      {rowIssues.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-xs text-red-700">
          {rowIssues.map((issue, i) => (
            <li key={i}>
              {issue.field && <span className="font-mono">{issue.field}: </span>}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
