import { useWatch } from "react-hook-form";
import { controlProps, Field } from "~/app/_components/ui";
import { useTouchpointFields } from "./touchpoint-fields";
import { TOUCHPOINT_EVENTS_LIST } from "./touchpoint-events-list";

/** "Frequency and outcome": the cap on messages per channel and the event that shows a customer acted. */
export function TouchpointFrequencyFields() {
  const { register, error, control } = useTouchpointFields();
  const hasCap = useWatch({ control, name: "hasCap" });
  const capError = error("frequencyCap.max", "frequencyCap.perDays");
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">Frequency and outcome</legend>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" {...register("hasCap")} />
        Cap how often the customer gets messages on this channel
      </label>
      {hasCap && (
        <div className="grid grid-cols-2 gap-4">
          <Field id="tp-cap-max" label="At most (messages)" error={capError}>
            <input
              {...controlProps("tp-cap-max", { error: capError })}
              type="number"
              min={1}
              max={100}
              {...register("capMax")}
            />
          </Field>
          <Field id="tp-cap-days" label="Per (days)" error={capError}>
            <input
              {...controlProps("tp-cap-days", { error: capError })}
              type="number"
              min={1}
              max={365}
              {...register("capPerDays")}
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
          {...register("actionEvent")}
          maxLength={200}
          autoComplete="off"
        />
      </Field>
    </fieldset>
  );
}
