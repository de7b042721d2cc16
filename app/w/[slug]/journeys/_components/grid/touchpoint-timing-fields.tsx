import { useWatch } from "react-hook-form";
import { controlProps, Field, Options } from "~/app/_components/ui";
import { channels } from "~/db/enums";
import { channelLabels } from "../../../_components/channels";
import { formatHour } from "./describe";
import { useTouchpointFields } from "./touchpoint-fields";
import { triggerKinds } from "./touchpoint-form-state";
import { TOUCHPOINT_EVENTS_LIST } from "./touchpoint-events-list";

const hours = Array.from({ length: 24 }, (_, h) => h);

/** "Timing": what starts the touchpoint's clock and how long after, the hours it may be sent, and quiet hours. */
export function TouchpointTimingFields() {
  const { register, error, control } = useTouchpointFields();
  const [triggerKind, hasSendWindow] = useWatch({ control, name: ["triggerKind", "hasSendWindow"] });
  const delayError = error("delayHours") ? "must be whole days, and 0-23 hours, up to a year" : undefined;
  const windowError = error("sendWindow.endHour", "sendWindow");
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">Timing</legend>
      <Field id="tp-trigger" label="Starts when" error={error("trigger")}>
        <select {...controlProps("tp-trigger", { error: error("trigger") })} {...register("triggerKind")}>
          <Options items={triggerKinds} value={(k) => k.value} label={(k) => k.label} />
        </select>
      </Field>
      {triggerKind === "event" && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="tp-trigger-event" label="Event" error={error("trigger.event")}>
            <input
              {...controlProps("tp-trigger-event", { error: error("trigger.event") })}
              list={TOUCHPOINT_EVENTS_LIST}
              {...register("triggerEvent")}
              maxLength={200}
              autoComplete="off"
            />
          </Field>
          <Field id="tp-trigger-channel" label="On channel" error={error("trigger.channel")}>
            <select
              {...controlProps("tp-trigger-channel", { error: error("trigger.channel") })}
              {...register("triggerChannel")}
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
            {...register("delayDays")}
          />
        </Field>
        <Field id="tp-delay-hours" label="Delay: hours" error={delayError}>
          <input
            {...controlProps("tp-delay-hours", { error: delayError })}
            type="number"
            min={0}
            max={23}
            {...register("delayHours")}
          />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" {...register("hasSendWindow")} />
        Send only between certain hours (customer&apos;s local time)
      </label>
      {hasSendWindow && (
        <div className="grid grid-cols-2 gap-4">
          <Field id="tp-window-start" label="From" error={windowError}>
            <select
              {...controlProps("tp-window-start", { error: windowError })}
              {...register("windowStart", { valueAsNumber: true })}
            >
              <Options items={hours} value={String} label={formatHour} />
            </select>
          </Field>
          <Field id="tp-window-end" label="Until" error={windowError}>
            <select
              {...controlProps("tp-window-end", { error: windowError })}
              {...register("windowEnd", { valueAsNumber: true })}
            >
              <Options items={hours} value={String} label={formatHour} />
            </select>
          </Field>
        </div>
      )}
      <div className="flex items-start gap-2 text-sm text-slate-800">
        <input
          id="tp-best-hour"
          type="checkbox"
          className="mt-1"
          aria-describedby="tp-best-hour-hint"
          {...register("sendAtBestHour")}
        />
        <div>
          <label htmlFor="tp-best-hour">Send at the customer&apos;s best hour</label>
          <p id="tp-best-hour-hint" className="text-xs text-slate-500">
            Inside their usual active hours when those are in the send window and outside the quiet hours;
            else at the timing above.
          </p>
        </div>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" {...register("respectQuietHours")} />
        Hold back during the journey&apos;s quiet hours
      </label>
    </fieldset>
  );
}
