import { useWatch } from "react-hook-form";
import { controlProps, Field, Options } from "~/app/_components/ui";
import { channels } from "~/db/enums";
import { ownerTeams } from "~/server/journeys/design";
import { channelLabels } from "../../../_components/channels";
import { ownerTeamLabels } from "./describe";
import { useTouchpointFields } from "./touchpoint-fields";
import { FALLBACK_FIELDS } from "./touchpoint-form-state";

const fallbackSlots = Array.from({ length: FALLBACK_FIELDS }, (_, i) => i);

/** The touchpoint's channel and owner, and its message: title, text and link. */
export function TouchpointMessageFields() {
  const { register, error, control } = useTouchpointFields();
  const bestChannel = useWatch({ control, name: "bestChannel" });
  const orderError = error("bestChannel.fallback", "bestChannel");
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="tp-channel" label={bestChannel ? "First channel" : "Channel"} error={error("channel")}>
          <select {...controlProps("tp-channel", { error: error("channel") })} {...register("channel")}>
            <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
          </select>
        </Field>
        <Field id="tp-owner" label="Owner team" error={error("ownerTeam")}>
          <select {...controlProps("tp-owner", { error: error("ownerTeam") })} {...register("ownerTeam")}>
            <Options items={ownerTeams} value={(t) => t} label={(t) => ownerTeamLabels[t]} />
          </select>
        </Field>
      </div>
      <div className="flex items-start gap-2 text-sm text-slate-800">
        <input
          id="tp-best-channel"
          type="checkbox"
          className="mt-1"
          aria-describedby="tp-best-channel-hint"
          {...register("bestChannel")}
        />
        <div>
          <label htmlFor="tp-best-channel">Send on the customer&apos;s best channel</label>
          <p id="tp-best-channel-hint" className="text-xs text-slate-500">
            Their preferred channel when it is in this order and reaches them; else the first channel of the
            order that does.
          </p>
        </div>
      </div>
      {bestChannel && (
        <fieldset className="space-y-2">
          <legend className="text-sm text-slate-700">Then, in this order</legend>
          <div className="grid gap-3 sm:grid-cols-3">
            {fallbackSlots.map((i) => (
              <Field key={i} id={`tp-fallback-${i}`} label={`Fallback ${i + 1}`} error={orderError}>
                <select
                  {...controlProps(`tp-fallback-${i}`, { error: orderError })}
                  {...register(`fallbackChannels.${i}`)}
                >
                  <option value="">None</option>
                  <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
                </select>
              </Field>
            ))}
          </div>
        </fieldset>
      )}
      <Field id="tp-title" label="Title" error={error("title")}>
        <input
          {...controlProps("tp-title", { error: error("title") })}
          {...register("title")}
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
          {...register("content")}
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
          {...register("link")}
          placeholder="https://"
          autoComplete="off"
        />
      </Field>
    </>
  );
}
