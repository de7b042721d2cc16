import { useId, useState, type ReactNode } from "react";
import { cx, inputClass } from "~/app/_components/ui";
import type { FieldIssue } from "./paths";

// Compact labelled inputs for the rows of the rule builder. Each shows the
// server's messages for its own field beside it, tied by aria-describedby.

const compactInput = inputClass.replace("block w-full ", "").replace("px-3 py-2", "px-2 py-1.5");

export interface FieldProps {
  label: string;
  /** Server issues for this field (already narrowed to it). */
  issues?: readonly FieldIssue[];
  /** Keep the label for screen readers only. */
  hideLabel?: boolean;
  className?: string;
}

function Messages({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p id={id} className="mt-1 max-w-xs text-xs text-red-700">
      {messages.join("; ")}
    </p>
  );
}

/** A label above a control, and the control's messages below it. */
function Labeled({
  id,
  label,
  hideLabel,
  className,
  messages,
  children,
}: {
  id: string;
  label: string;
  hideLabel?: boolean;
  className?: string;
  messages: string[];
  children: ReactNode;
}) {
  return (
    <div className={cx("flex min-w-0 flex-col", className)}>
      <label htmlFor={id} className={hideLabel ? "sr-only" : "mb-0.5 text-xs font-medium text-slate-600"}>
        {label}
      </label>
      {children}
      <Messages id={`${id}-msg`} messages={messages} />
    </div>
  );
}

function useControl(issues: readonly FieldIssue[] | undefined, local?: string) {
  const id = useId();
  const messages = [...(local ? [local] : []), ...(issues ?? []).map((issue) => issue.message)];
  return {
    id,
    messages,
    aria: {
      id,
      "aria-invalid": messages.length ? true : undefined,
      "aria-describedby": messages.length ? `${id}-msg` : undefined,
    },
  };
}

export function SelectField<T extends string>({
  value,
  options,
  onChange,
  width = "w-auto",
  focusKey,
  ...field
}: FieldProps & {
  /** Marks the control as the place focus goes when its row is added or changed (see rule-builder.tsx). */
  focusKey?: string;
  value: T;
  options: readonly { value: T; label: string; disabled?: boolean }[];
  onChange: (value: T) => void;
  width?: string;
}) {
  const { id, messages, aria } = useControl(field.issues);
  return (
    <Labeled id={id} messages={messages} {...field}>
      <select
        {...aria}
        data-rb-focus={focusKey}
        className={cx(compactInput, width, "pr-8")}
        value={value}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </Labeled>
  );
}

export function TextField({
  value,
  onChange,
  list,
  placeholder,
  width = "w-44",
  ...field
}: FieldProps & {
  value: string;
  onChange: (value: string) => void;
  list?: string;
  placeholder?: string;
  width?: string;
}) {
  const { id, messages, aria } = useControl(field.issues);
  return (
    <Labeled id={id} messages={messages} {...field}>
      <input
        {...aria}
        type="text"
        className={cx(compactInput, width)}
        value={value}
        list={list}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
      />
    </Labeled>
  );
}

function parseNumber(text: string) {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

function formatNumber(value: number | undefined, scale: number) {
  if (value === undefined) return "";
  return String(Math.round(value * scale * 1e6) / 1e6);
}

/**
 * A number as typed: the text is kept while it is partial or empty. An empty
 * optional field clears the value; an empty required one, or one that is not
 * a number, keeps the last valid value in the rule and says so here.
 * `scale` shows fractions as percentages (0.5 ↔ 50).
 */
export function NumberField({
  value,
  onChange,
  optional,
  scale = 1,
  suffix,
  placeholder,
  width = "w-24",
  ...field
}: FieldProps & {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  optional?: boolean;
  scale?: number;
  suffix?: string;
  placeholder?: string;
  width?: string;
}) {
  const [draft, setDraft] = useState(() => formatNumber(value, scale));
  const [shown, setShown] = useState(value);
  // A change from outside (another row removed, a template applied) replaces the draft.
  if (value !== shown) {
    setShown(value);
    const parsed = parseNumber(draft);
    if (parsed === undefined ? value !== undefined : parsed / scale !== value)
      setDraft(formatNumber(value, scale));
  }
  const parsed = parseNumber(draft);
  const local =
    parsed === undefined
      ? optional
        ? undefined
        : value === undefined
          ? "Enter a number"
          : `Enter a number (the rule keeps ${formatNumber(value, scale)})`
      : Number.isNaN(parsed)
        ? "Not a number"
        : undefined;
  const { id, messages, aria } = useControl(field.issues, local);
  return (
    <Labeled id={id} messages={messages} {...field}>
      <span className="inline-flex items-center gap-1">
        <input
          {...aria}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          className={cx(compactInput, width)}
          value={draft}
          placeholder={placeholder}
          onChange={(event) => {
            const text = event.target.value;
            setDraft(text);
            const next = parseNumber(text);
            if (next === undefined) {
              if (optional) {
                setShown(undefined);
                onChange(undefined);
              }
            } else if (!Number.isNaN(next)) {
              const scaled = Math.round((next / scale) * 1e9) / 1e9;
              setShown(scaled);
              onChange(scaled);
            }
          }}
        />
        {suffix && <span className="text-sm text-slate-600">{suffix}</span>}
      </span>
    </Labeled>
  );
}

/** A calendar date (YYYY-MM-DD). Cleared: an optional date is dropped, a required one keeps its value. */
export function DateField({
  value,
  onChange,
  optional,
  ...field
}: FieldProps & {
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  optional?: boolean;
}) {
  const [cleared, setCleared] = useState(false);
  const local = cleared && !optional ? "Pick a date" : undefined;
  const { id, messages, aria } = useControl(field.issues, local);
  const shown = cleared ? "" : (value?.slice(0, 10) ?? "");
  return (
    <Labeled id={id} messages={messages} {...field}>
      <input
        {...aria}
        type="date"
        className={cx(compactInput, "w-40")}
        value={shown}
        onChange={(event) => {
          const text = event.target.value;
          if (text === "") {
            setCleared(!optional);
            if (optional) onChange(undefined);
          } else {
            setCleared(false);
            onChange(text);
          }
        }}
      />
    </Labeled>
  );
}

/** A list of text values: type and press Enter or a comma; a pasted "a, b, c" becomes three. */
export function ChipsField({
  values,
  onChange,
  ...field
}: FieldProps & { values: readonly string[]; onChange: (values: string[]) => void }) {
  const [text, setText] = useState("");
  const { id, messages, aria } = useControl(field.issues);
  const add = (raw: string) => {
    const items = raw
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s && !values.includes(s));
    if (items.length) onChange([...values, ...new Set(items)]);
  };
  return (
    <Labeled id={id} messages={messages} {...field}>
      <div className="flex flex-wrap items-center gap-1">
        <ul className="contents" aria-label={`${field.label}: chosen values`}>
          {values.map((value, index) => (
            <li
              key={value}
              className="inline-flex items-center rounded-full bg-slate-100 pl-2 text-sm text-slate-800"
            >
              {value}
              <button
                type="button"
                className="ml-0.5 rounded-full px-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900"
                aria-label={`Remove ${value}`}
                onClick={() => {
                  onChange(values.filter((_, i) => i !== index));
                  document.getElementById(id)?.focus();
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          {...aria}
          type="text"
          className={cx(compactInput, "w-40")}
          value={text}
          placeholder="Type, then Enter"
          onChange={(event) => {
            const next = event.target.value;
            if (next.includes(",")) {
              add(next);
              setText("");
            } else setText(next);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add(text);
              setText("");
            } else if (event.key === "Backspace" && text === "" && values.length) {
              onChange(values.slice(0, -1));
            }
          }}
          onBlur={() => {
            add(text);
            setText("");
          }}
        />
      </div>
    </Labeled>
  );
}
