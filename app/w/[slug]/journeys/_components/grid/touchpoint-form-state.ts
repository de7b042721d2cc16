import { z } from "zod";
import type { Channel } from "~/db/enums";
import { ZTouchpoint, type Touchpoint } from "~/server/journeys/design";
import type { NewTouchpoint } from "~/server/journeys/edit";

// The touchpoint form's fields as typed, and the touchpoint they make. Text
// stays as typed; the design's own schema checks it on save.

const ZNewTouchpoint = ZTouchpoint.omit({ id: true });

export const triggerKinds = [
  { value: "segmentEntry", label: "The customer enters the segment" },
  { value: "event", label: "The customer performs an event" },
  { value: "previous", label: "The previous step on the canvas is sent" },
] as const;

/** How many channels the form offers after the first in a best-channel touchpoint's order. */
export const FALLBACK_FIELDS = 3;

export interface TouchpointFormState {
  channel: Channel;
  bestChannel: boolean;
  /** The order after `channel`; "" is an unused field. */
  fallbackChannels: (Channel | "")[];
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
  sendAtBestHour: boolean;
  hasCap: boolean;
  capMax: string;
  capPerDays: string;
  ownerTeam: Touchpoint["ownerTeam"];
  actionEvent: string;
}

export function toForm(tp: NewTouchpoint): TouchpointFormState {
  return {
    channel: tp.channel,
    bestChannel: tp.bestChannel !== undefined,
    fallbackChannels: Array.from(
      { length: Math.max(FALLBACK_FIELDS, tp.bestChannel?.fallback.length ?? 0) },
      (_, i) => tp.bestChannel?.fallback[i] ?? "",
    ),
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
    sendAtBestHour: tp.sendAtBestHour === true,
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

/** The touchpoint as the form's fields say; not yet checked. */
function fromForm(form: TouchpointFormState): z.input<typeof ZNewTouchpoint> {
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
    ...(form.bestChannel
      ? { bestChannel: { fallback: form.fallbackChannels.filter((c): c is Channel => c !== "") } }
      : {}),
    ...(form.sendAtBestHour ? { sendAtBestHour: true } : {}),
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
 * The form's fields made into a touchpoint and checked with the design's own
 * schema, so the problems shown beside the fields are the ones the server would give.
 */
export const touchpointFormSchema = z.custom<TouchpointFormState>().transform(fromForm).pipe(ZNewTouchpoint);
