"use client";

import { useState } from "react";
import { Alert, Button, controlProps, Field, Options } from "~/app/_components/ui";
import { channels, type Channel } from "~/db/enums";
import { formatDesignPath, ownerTeams, ZTouchpoint, type Touchpoint } from "~/server/journeys/design";
import type { NewTouchpoint } from "~/server/journeys/edit";
import { channelLabels } from "../../../_components/channels";
import { formatHour, ownerTeamLabels } from "./describe";

// Every field of a touchpoint: the message, what starts its clock and how long
// after, when it may be sent, how often, and who owns it. The form keeps text
// as typed and checks it with the design's own schema on save, so the errors
// it shows beside the fields are the ones the server would give.

export const TOUCHPOINT_EVENTS_LIST = "journey-event-names";

const triggerKinds = [
  { value: "segmentEntry", label: "The customer enters the segment" },
  { value: "event", label: "The customer performs an event" },
  { value: "previous", label: "The previous step on the canvas is sent" },
] as const;

const hours = Array.from({ length: 24 }, (_, h) => h);

interface FormState {
  channel: Channel;
  title: string;
  content: string;
  link: string;
  triggerKind: Touchpoint["trigger"]["kind"];
  triggerEvent: string;
  triggerChannel: Channel | "";
  delayDays: string;
  delayHours: string;
  hasSendWindow: boolean;
  windowStart: number;
  windowEnd: number;
  respectQuietHours: boolean;
  hasCap: boolean;
  capMax: string;
  capPerDays: string;
  ownerTeam: Touchpoint["ownerTeam"];
  actionEvent: string;
}

function toForm(tp: NewTouchpoint): FormState {
  return {
    channel: tp.channel,
    title: tp.title,
    content: tp.content,
    link: tp.link ?? "",
    triggerKind: tp.trigger.kind,
    triggerEvent: tp.trigger.kind === "event" ? tp.trigger.event : "",
    triggerChannel: tp.trigger.kind === "event" ? (tp.trigger.channel ?? "") : "",
    delayDays: String(Math.floor(tp.delayHours / 24)),
    delayHours: String(tp.delayHours % 24),
    hasSendWindow: tp.sendWindow !== null,
    windowStart: tp.sendWindow?.startHour ?? 9,
    windowEnd: tp.sendWindow?.endHour ?? 18,
    respectQuietHours: tp.respectQuietHours,
    hasCap: tp.frequencyCap !== null,
    capMax: String(tp.frequencyCap?.max ?? 1),
    capPerDays: String(tp.frequencyCap?.perDays ?? 7),
    ownerTeam: tp.ownerTeam,
    actionEvent: tp.actionEvent ?? "",
  };
}

/** A whole number from a field, or NaN so that the schema names the field as wrong. */
function whole(text: string) {
  return text.trim() === "" ? Number.NaN : Number(text);
}

function fromForm(form: FormState) {
  const days = whole(form.delayDays);
  const extraHours = whole(form.delayHours);
  return {
    channel: form.channel,
    title: form.title,
    content: form.content,
    link: form.link.trim() === "" ? null : form.link.trim(),
    trigger:
      form.triggerKind === "event"
        ? {
            kind: "event" as const,
            event: form.triggerEvent,
            ...(form.triggerChannel ? { channel: form.triggerChannel } : {}),
          }
        : { kind: form.triggerKind },
    delayHours: extraHours > 23 ? Number.NaN : days * 24 + extraHours,
    sendWindow: form.hasSendWindow ? { startHour: form.windowStart, endHour: form.windowEnd } : null,
    respectQuietHours: form.respectQuietHours,
    frequencyCap: form.hasCap ? { max: whole(form.capMax), perDays: whole(form.capPerDays) } : null,
    ownerTeam: form.ownerTeam,
    actionEvent: form.actionEvent.trim() === "" ? null : form.actionEvent,
  };
}

export function blankTouchpoint(channel: Channel): NewTouchpoint {
  return {
    channel,
    title: "",
    content: "",
    link: null,
    trigger: { kind: "segmentEntry" },
    delayHours: 0,
    sendWindow: null,
    respectQuietHours: true,
    frequencyCap: null,
    ownerTeam: "marketing",
    actionEvent: null,
  };
}

/**
 * The touchpoint form of the grid's dialog. `onSave` gets a valid touchpoint
 * (without its id); `onRemove` is offered for an existing one. Read-only shows
 * every field without the buttons that change anything.
 */
export function TouchpointForm({
  initial,
  stageName,
  readOnly,
  onSave,
  onRemove,
  onCancel,
}: {
  initial: NewTouchpoint;
  stageName: string;
  readOnly: boolean;
  onSave: (touchpoint: NewTouchpoint) => void;
  onRemove?: () => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(() => toForm(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirmRemove, setConfirmRemove] = useState(false);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (readOnly) return;
    const result = ZTouchpoint.omit({ id: true }).safeParse(fromForm(form));
    if (result.success) {
      onSave(result.data);
      return;
    }
    const found: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const path = formatDesignPath(issue.path);
      found[path] ??= issue.message;
    }
    setErrors(found);
  };

  const error = (...paths: string[]) => paths.map((p) => errors[p]).find(Boolean);
  const delayError = error("delayHours") ? "must be whole days, and 0-23 hours, up to a year" : undefined;
  const capError = error("frequencyCap.max", "frequencyCap.perDays");
  const windowError = error("sendWindow.endHour", "sendWindow");
  const unknown = Object.keys(errors).length > 0;

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="text-sm text-slate-600">In the stage “{stageName}”.</p>
      <fieldset disabled={readOnly} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="tp-channel" label="Channel" error={error("channel")}>
            <select
              {...controlProps("tp-channel", { error: error("channel") })}
              value={form.channel}
              onChange={(e) => set("channel", e.target.value as Channel)}
            >
              <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
            </select>
          </Field>
          <Field id="tp-owner" label="Owner team" error={error("ownerTeam")}>
            <select
              {...controlProps("tp-owner", { error: error("ownerTeam") })}
              value={form.ownerTeam}
              onChange={(e) => set("ownerTeam", e.target.value as Touchpoint["ownerTeam"])}
            >
              <Options items={ownerTeams} value={(t) => t} label={(t) => ownerTeamLabels[t]} />
            </select>
          </Field>
        </div>
        <Field id="tp-title" label="Title" error={error("title")}>
          <input
            {...controlProps("tp-title", { error: error("title") })}
            value={form.title}
            onChange={(e) => set("title", e.target.value)}
            maxLength={200}
            autoComplete="off"
            required
          />
        </Field>
        <Field
          id="tp-content"
          label="Message"
          hint="What the customer reads or hears (optional)"
          error={error("content")}
        >
          <textarea
            {...controlProps("tp-content", { error: error("content"), hasHint: true })}
            rows={3}
            value={form.content}
            onChange={(e) => set("content", e.target.value)}
            maxLength={2000}
          />
        </Field>
        <Field
          id="tp-link"
          label="Link to the content"
          hint="An http(s) address (optional)"
          error={error("link")}
        >
          <input
            {...controlProps("tp-link", { error: error("link"), hasHint: true })}
            type="url"
            value={form.link}
            onChange={(e) => set("link", e.target.value)}
            placeholder="https://"
            autoComplete="off"
          />
        </Field>

        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-800">Timing</legend>
          <Field id="tp-trigger" label="Starts when" error={error("trigger")}>
            <select
              {...controlProps("tp-trigger", { error: error("trigger") })}
              value={form.triggerKind}
              onChange={(e) => set("triggerKind", e.target.value as FormState["triggerKind"])}
            >
              <Options items={triggerKinds} value={(k) => k.value} label={(k) => k.label} />
            </select>
          </Field>
          {form.triggerKind === "event" && (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="tp-trigger-event" label="Event" error={error("trigger.event")}>
                <input
                  {...controlProps("tp-trigger-event", { error: error("trigger.event") })}
                  list={TOUCHPOINT_EVENTS_LIST}
                  value={form.triggerEvent}
                  onChange={(e) => set("triggerEvent", e.target.value)}
                  maxLength={200}
                  autoComplete="off"
                />
              </Field>
              <Field id="tp-trigger-channel" label="On channel" error={error("trigger.channel")}>
                <select
                  {...controlProps("tp-trigger-channel", { error: error("trigger.channel") })}
                  value={form.triggerChannel}
                  onChange={(e) => set("triggerChannel", e.target.value as Channel | "")}
                >
                  <option value="">Any channel</option>
                  <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
                </select>
              </Field>
            </div>
          )}
          <div className="grid grid-cols-2 gap-4">
            <Field id="tp-delay-days" label="Delay: days" error={delayError}>
              <input
                {...controlProps("tp-delay-days", { error: delayError })}
                type="number"
                min={0}
                max={365}
                value={form.delayDays}
                onChange={(e) => set("delayDays", e.target.value)}
              />
            </Field>
            <Field id="tp-delay-hours" label="Delay: hours" error={delayError}>
              <input
                {...controlProps("tp-delay-hours", { error: delayError })}
                type="number"
                min={0}
                max={23}
                value={form.delayHours}
                onChange={(e) => set("delayHours", e.target.value)}
              />
            </Field>
          </div>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={form.hasSendWindow}
              onChange={(e) => set("hasSendWindow", e.target.checked)}
            />
            Send only between certain hours (customer&apos;s local time)
          </label>
          {form.hasSendWindow && (
            <div className="grid grid-cols-2 gap-4">
              <Field id="tp-window-start" label="From" error={windowError}>
                <select
                  {...controlProps("tp-window-start", { error: windowError })}
                  value={form.windowStart}
                  onChange={(e) => set("windowStart", Number(e.target.value))}
                >
                  <Options items={hours} value={String} label={formatHour} />
                </select>
              </Field>
              <Field id="tp-window-end" label="Until" error={windowError}>
                <select
                  {...controlProps("tp-window-end", { error: windowError })}
                  value={form.windowEnd}
                  onChange={(e) => set("windowEnd", Number(e.target.value))}
                >
                  <Options items={hours} value={String} label={formatHour} />
                </select>
              </Field>
            </div>
          )}
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={form.respectQuietHours}
              onChange={(e) => set("respectQuietHours", e.target.checked)}
            />
            Hold back during the journey&apos;s quiet hours
          </label>
        </fieldset>

        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-800">Frequency and outcome</legend>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" checked={form.hasCap} onChange={(e) => set("hasCap", e.target.checked)} />
            Cap how often the customer gets messages on this channel
          </label>
          {form.hasCap && (
            <div className="grid grid-cols-2 gap-4">
              <Field id="tp-cap-max" label="At most (messages)" error={capError}>
                <input
                  {...controlProps("tp-cap-max", { error: capError })}
                  type="number"
                  min={1}
                  max={100}
                  value={form.capMax}
                  onChange={(e) => set("capMax", e.target.value)}
                />
              </Field>
              <Field id="tp-cap-days" label="Per (days)" error={capError}>
                <input
                  {...controlProps("tp-cap-days", { error: capError })}
                  type="number"
                  min={1}
                  max={365}
                  value={form.capPerDays}
                  onChange={(e) => set("capPerDays", e.target.value)}
                />
              </Field>
            </div>
          )}
          <Field
            id="tp-action"
            label="Action event"
            hint="The event that shows a customer acted on it; empty means the stage's goal"
            error={error("actionEvent")}
          >
            <input
              {...controlProps("tp-action", { error: error("actionEvent"), hasHint: true })}
              list={TOUCHPOINT_EVENTS_LIST}
              value={form.actionEvent}
              onChange={(e) => set("actionEvent", e.target.value)}
              maxLength={200}
              autoComplete="off"
            />
          </Field>
        </fieldset>
      </fieldset>

      {unknown && <Alert>Check the fields marked above.</Alert>}
      {confirmRemove && onRemove ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <p>
            Remove “{initial.title}”? It leaves the grid and the canvas; arrows into it lead to what followed
            it.
          </p>
          <div className="mt-2 flex gap-2">
            <Button variant="danger" onClick={onRemove} autoFocus>
              Remove touchpoint
            </Button>
            <Button variant="secondary" onClick={() => setConfirmRemove(false)}>
              Keep it
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap justify-between gap-2">
          <div className="flex gap-2">
            {!readOnly && <Button type="submit">Save touchpoint</Button>}
            <Button variant="secondary" onClick={onCancel}>
              {readOnly ? "Close" : "Cancel"}
            </Button>
          </div>
          {!readOnly && onRemove && (
            <Button variant="danger" onClick={() => setConfirmRemove(true)}>
              Remove…
            </Button>
          )}
        </div>
      )}
    </form>
  );
}
