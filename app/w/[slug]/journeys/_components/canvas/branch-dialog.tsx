"use client";

import { useId, useState, type FormEvent } from "react";
import { Alert, Button, controlProps, Field, Options } from "~/app/_components/ui";
import { channelLabels } from "~/app/w/[slug]/_components/channels";
import { channels, type Channel } from "~/db/enums";
import { newDesignId, ZSplit, type Split } from "~/server/journeys/design";
import { Modal } from "../modal";

type Kind = Split["kind"];
type Variant = { id: string; label: string; percent: string };

interface Draft {
  label: string;
  kind: Kind;
  event: string;
  channel: Channel | "";
  withinDays: string;
  segmentId: string;
  variants: Variant[];
}

const kindLabels: Record<Kind, string> = {
  event: "Did an event",
  segment: "Is in a segment",
  random: "Random (A/B test)",
};

function draftFrom(initial: { label: string; split: Split } | undefined, segmentId: string): Draft {
  const split = initial?.split;
  return {
    label: initial?.label ?? "",
    kind: split?.kind ?? "event",
    event: split?.kind === "event" ? split.event : "Order Completed",
    channel: split?.kind === "event" ? (split.channel ?? "") : "",
    withinDays: split?.kind === "event" ? String(split.withinDays) : "7",
    segmentId: split?.kind === "segment" ? split.segmentId : segmentId,
    variants:
      split?.kind === "random"
        ? split.variants.map((v) => ({ ...v, percent: String(v.percent) }))
        : [
            { id: newDesignId("variant"), label: "A", percent: "50" },
            { id: newDesignId("variant"), label: "B", percent: "50" },
          ],
  };
}

function splitOf(draft: Draft): unknown {
  switch (draft.kind) {
    case "event":
      return {
        kind: "event",
        event: draft.event,
        ...(draft.channel ? { channel: draft.channel } : {}),
        withinDays: Number(draft.withinDays),
      };
    case "segment":
      return { kind: "segment", segmentId: draft.segmentId };
    case "random":
      return {
        kind: "random",
        variants: draft.variants.map((v) => ({ id: v.id, label: v.label, percent: Number(v.percent) })),
      };
  }
}

/**
 * Adds or edits a branch: its label and how it splits customers. The split is
 * checked with the design's own schema, so the dialog refuses exactly what
 * the server would.
 */
export function BranchDialog({
  open,
  initial,
  segments,
  onSubmit,
  onClose,
}: {
  open: boolean;
  initial?: { label: string; split: Split };
  segments: readonly { id: string; name: string }[];
  /** Returns the refusal's message, or null when the branch was saved. */
  onSubmit: (label: string, split: Split) => string | null;
  onClose: () => void;
}) {
  return (
    <Modal
      open={open}
      wide
      title={initial ? "Edit branch" : "Add branch"}
      description="A branch sends each customer who reaches it one way or another. Connect each of its outputs to what comes next."
      onClose={onClose}
    >
      <BranchForm initial={initial} segments={segments} onSubmit={onSubmit} onClose={onClose} />
    </Modal>
  );
}

function BranchForm({
  initial,
  segments,
  onSubmit,
  onClose,
}: {
  initial?: { label: string; split: Split };
  segments: readonly { id: string; name: string }[];
  onSubmit: (label: string, split: Split) => string | null;
  onClose: () => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(() => draftFrom(initial, segments[0]?.id ?? ""));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setVariant = (index: number, patch: Partial<Variant>) =>
    set({ variants: draft.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)) });
  const total = draft.variants.reduce((sum, v) => sum + (Number(v.percent) || 0), 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const label = draft.label.trim();
    if (!label) found.label = "Give the branch a label.";
    else if (label.length > 80) found.label = "The label must be at most 80 characters.";
    const parsed = ZSplit.safeParse(splitOf(draft));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // "variants.0.percent" → "variants.0.percent"; the first message per field is shown.
        const key = issue.path.map(String).join(".") || "split";
        found[key] ??= issue.message;
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || !parsed.success) return;
    const message = onSubmit(label, parsed.data);
    if (message) setRefused(message);
    else onClose();
  }

  const error = (key: string) => errors[key];
  const variantsError = errors.variants ?? errors.split;

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Field
        id={`${id}-label`}
        label="Label"
        hint='What the branch asks, e.g. "Bought within a week?"'
        error={error("label")}
      >
        <input
          {...controlProps(`${id}-label`, { error: error("label"), hasHint: true })}
          value={draft.label}
          onChange={(e) => set({ label: e.target.value })}
          maxLength={80}
        />
      </Field>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Split by</legend>
        <div className="flex flex-wrap gap-4">
          {(Object.keys(kindLabels) as Kind[]).map((kind) => (
            <label key={kind} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="radio"
                name={`${id}-kind`}
                value={kind}
                checked={draft.kind === kind}
                onChange={() => set({ kind })}
              />
              {kindLabels[kind]}
            </label>
          ))}
        </div>
      </fieldset>

      {draft.kind === "event" && (
        <div className="grid gap-3 sm:grid-cols-3">
          <div className="sm:col-span-3">
            <Field id={`${id}-event`} label="Event" error={error("event")}>
              <input
                {...controlProps(`${id}-event`, { error: error("event") })}
                value={draft.event}
                onChange={(e) => set({ event: e.target.value })}
              />
            </Field>
          </div>
          <div className="sm:col-span-2">
            <Field id={`${id}-channel`} label="On channel" error={error("channel")}>
              <select
                {...controlProps(`${id}-channel`, { error: error("channel") })}
                value={draft.channel}
                onChange={(e) => set({ channel: e.target.value as Channel | "" })}
              >
                <option value="">Any channel</option>
                <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
              </select>
            </Field>
          </div>
          <Field id={`${id}-days`} label="Within days" error={error("withinDays")}>
            <input
              {...controlProps(`${id}-days`, { error: error("withinDays") })}
              type="number"
              min={1}
              max={365}
              value={draft.withinDays}
              onChange={(e) => set({ withinDays: e.target.value })}
            />
          </Field>
          <p className="text-xs text-slate-500 sm:col-span-3">
            Customers who do the event within that many days of reaching the branch go “Yes”, the others “No”.
          </p>
        </div>
      )}

      {draft.kind === "segment" &&
        (segments.length === 0 ? (
          <Alert tone="info">There are no segments to split by yet.</Alert>
        ) : (
          <Field
            id={`${id}-segment`}
            label="Segment"
            hint="Members of the segment go “Yes”, the others “No”."
            error={error("segmentId")}
          >
            <select
              {...controlProps(`${id}-segment`, { error: error("segmentId"), hasHint: true })}
              value={draft.segmentId}
              onChange={(e) => set({ segmentId: e.target.value })}
            >
              <Options items={segments} value={(s) => s.id} label={(s) => s.name} />
            </select>
          </Field>
        ))}

      {draft.kind === "random" && (
        <fieldset className="space-y-2" aria-describedby={`${id}-total`}>
          <legend className="text-sm font-medium text-slate-700">Variants</legend>
          {draft.variants.map((variant, i) => (
            <div key={variant.id} className="flex items-end gap-2">
              <div className="flex-1">
                <Field
                  id={`${id}-variant-${i}`}
                  label={`Variant ${i + 1} label`}
                  error={error(`variants.${i}.label`)}
                >
                  <input
                    {...controlProps(`${id}-variant-${i}`, { error: error(`variants.${i}.label`) })}
                    value={variant.label}
                    maxLength={40}
                    onChange={(e) => setVariant(i, { label: e.target.value })}
                  />
                </Field>
              </div>
              <div className="w-28">
                <Field
                  id={`${id}-percent-${i}`}
                  label={`Variant ${i + 1} share %`}
                  error={error(`variants.${i}.percent`)}
                >
                  <input
                    {...controlProps(`${id}-percent-${i}`, { error: error(`variants.${i}.percent`) })}
                    type="number"
                    min={1}
                    max={99}
                    value={variant.percent}
                    onChange={(e) => setVariant(i, { percent: e.target.value })}
                  />
                </Field>
              </div>
              <Button
                variant="ghost"
                disabled={draft.variants.length <= 2}
                aria-label={`Remove variant ${i + 1}`}
                onClick={() => set({ variants: draft.variants.filter((_, j) => j !== i) })}
              >
                Remove
              </Button>
            </div>
          ))}
          <div className="flex items-center justify-between gap-2">
            <p
              id={`${id}-total`}
              aria-live="polite"
              className={total === 100 ? "text-sm text-slate-600" : "text-sm font-medium text-red-700"}
            >
              Total: {total}%{total === 100 ? "" : " — the shares must add up to 100%"}
            </p>
            <Button
              variant="secondary"
              disabled={draft.variants.length >= 5}
              onClick={() =>
                set({
                  variants: [
                    ...draft.variants,
                    {
                      id: newDesignId("variant"),
                      label: String.fromCharCode(65 + draft.variants.length),
                      percent: "0",
                    },
                  ],
                })
              }
            >
              Add variant
            </Button>
          </div>
          {variantsError && <Alert>{variantsError}</Alert>}
        </fieldset>
      )}

      {errors.split && draft.kind !== "random" && <Alert>{errors.split}</Alert>}
      {refused && <Alert>{refused}</Alert>}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit">Save branch</Button>
      </div>
    </form>
  );
}
