"use client";

import { useState } from "react";
import { channels, type Channel } from "~/db/enums";
import type { StageGoal } from "~/server/journeys/design";
import { channelLabels } from "../../../_components/channels";
import { TOUCHPOINT_EVENTS_LIST } from "./touchpoint-events-list";

// The journey-mapping staples in one stage's cell of the grid. Each edits one
// field of the stage; read-only they show the text.

const fieldClass =
  "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm placeholder:text-slate-400 focus:border-brand-500 focus:ring-1 focus:ring-brand-500 focus:outline-none";

/**
 * A text input that commits on Enter or when it loses focus, and goes back to
 * the saved text when left empty: for values that must not be blank (a stage name).
 */
export function CommitInput({
  id,
  label,
  value,
  maxLength,
  onCommit,
  className = fieldClass,
}: {
  id: string;
  label: string;
  value: string;
  maxLength: number;
  onCommit: (value: string) => void;
  className?: string;
}) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  // Follows changes made elsewhere (a restore, the canvas) while not being typed in.
  if (seen !== value) {
    setSeen(value);
    setText(value);
  }
  const commit = () => {
    const trimmed = text.trim();
    if (trimmed && trimmed !== value) onCommit(trimmed);
    else setText(value);
  };
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        value={text}
        maxLength={maxLength}
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            commit();
          } else if (event.key === "Escape") {
            setText(value);
          }
        }}
        className={className}
      />
    </>
  );
}

export function GoalField({
  stageId,
  stageName,
  goal,
  onChange,
}: {
  stageId: string;
  stageName: string;
  goal: StageGoal | null;
  onChange?: (goal: StageGoal | null) => void;
}) {
  if (!onChange) {
    return goal ? (
      <p className="text-sm text-slate-800">
        {goal.event}
        {goal.channel && <span className="text-slate-500"> on {channelLabels[goal.channel]}</span>}
      </p>
    ) : (
      <p className="text-sm text-slate-500">No goal</p>
    );
  }
  return (
    <div className="space-y-1">
      <label htmlFor={`goal-event-${stageId}`} className="sr-only">
        Goal event of {stageName}
      </label>
      <input
        id={`goal-event-${stageId}`}
        list={TOUCHPOINT_EVENTS_LIST}
        value={goal?.event ?? ""}
        placeholder="Event, e.g. Order Completed"
        maxLength={200}
        autoComplete="off"
        onChange={(event) => {
          const text = event.target.value;
          onChange(
            text.trim() === "" ? null : { event: text, ...(goal?.channel ? { channel: goal.channel } : {}) },
          );
        }}
        className={fieldClass}
      />
      <label htmlFor={`goal-channel-${stageId}`} className="sr-only">
        Goal channel of {stageName}
      </label>
      <select
        id={`goal-channel-${stageId}`}
        value={goal?.channel ?? ""}
        disabled={!goal}
        onChange={(event) => {
          if (!goal) return;
          const channel = event.target.value as Channel | "";
          onChange(channel ? { event: goal.event, channel } : { event: goal.event });
        }}
        className={`${fieldClass} text-xs disabled:bg-slate-50 disabled:text-slate-400`}
      >
        <option value="">On any channel</option>
        {channels.map((c) => (
          <option key={c} value={c}>
            On {channelLabels[c]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function NoteField({
  id,
  label,
  value,
  placeholder,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  onChange?: (value: string) => void;
}) {
  if (!onChange) {
    return value ? (
      <p className="text-sm whitespace-pre-wrap text-slate-800">{value}</p>
    ) : (
      <p className="text-sm text-slate-400">—</p>
    );
  }
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        rows={2}
        value={value}
        placeholder={placeholder}
        maxLength={2000}
        onChange={(event) => onChange(event.target.value)}
        className={`${fieldClass} resize-y`}
      />
    </>
  );
}

/** Pain points or opportunities: a short list with add and remove. */
export function ListField({
  id,
  noun,
  stageName,
  items,
  max,
  onChange,
}: {
  id: string;
  /** What one item is ("pain point") and the stage it is at: they name the add field and each remove button. */
  noun: string;
  stageName: string;
  items: readonly string[];
  max: number;
  onChange?: (items: string[]) => void;
}) {
  const [text, setText] = useState("");
  const add = () => {
    const trimmed = text.trim();
    if (!onChange || !trimmed || items.length >= max) return;
    onChange([...items, trimmed]);
    setText("");
  };
  return (
    <div className="space-y-1.5">
      {items.length > 0 ? (
        <ul className="space-y-1">
          {items.map((item, i) => (
            <li
              key={`${i}-${item}`}
              className="flex items-start gap-1 rounded bg-slate-50 px-2 py-1 text-sm text-slate-800"
            >
              <span className="min-w-0 flex-1 break-words">{item}</span>
              {onChange && (
                <button
                  type="button"
                  aria-label={`Remove the ${noun} “${item}” at ${stageName}`}
                  onClick={() => onChange(items.filter((_, j) => j !== i))}
                  className="shrink-0 rounded px-1 text-slate-400 hover:bg-slate-200 hover:text-slate-700"
                >
                  <span aria-hidden="true">×</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        !onChange && <p className="text-sm text-slate-400">—</p>
      )}
      {onChange && items.length < max && (
        <div className="flex gap-1">
          <label htmlFor={id} className="sr-only">
            New {noun} at {stageName}
          </label>
          <input
            id={id}
            value={text}
            maxLength={500}
            placeholder="Add…"
            autoComplete="off"
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                add();
              }
            }}
            className={fieldClass}
          />
          <button
            type="button"
            onClick={add}
            disabled={!text.trim()}
            aria-label={`Add ${noun} at ${stageName}`}
            className="shrink-0 rounded-md border border-slate-300 px-2 text-sm text-slate-700 hover:bg-slate-50 disabled:text-slate-300"
          >
            +
          </button>
        </div>
      )}
    </div>
  );
}
