import { controlProps } from "~/app/_components/ui";
import { channels, type ImportKind } from "~/db/enums";
import type { TImportMapping } from "~/server/imports/mapping";
import { column, ColumnOptions, FIXED, NONE, SelectField } from "./mapping-controls";

/** "Which column holds what": the customer id, and the event's date, name, channel and amount or the profile's fields. */
export function ColumnMapping({
  kind,
  columns,
  mapping: currentMapping,
  update,
  fieldId,
}: {
  kind: ImportKind;
  columns: string[];
  mapping: TImportMapping;
  update: (patch: Partial<TImportMapping>) => void;
  fieldId: (name: string) => string;
}) {
  const eventValue = !currentMapping.event
    ? NONE
    : "column" in currentMapping.event
      ? `col:${currentMapping.event.column}`
      : FIXED;
  const channelValue = !currentMapping.channel
    ? NONE
    : "column" in currentMapping.channel
      ? `col:${currentMapping.channel.column}`
      : `fixed:${currentMapping.channel.value}`;

  return (
    <fieldset className="space-y-3">
      <legend className="text-base font-semibold text-slate-900">Which column holds what</legend>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField
          id={fieldId("customer-id")}
          label="Customer id"
          required
          hint="Your own id for the customer; it becomes their user id."
          value={`col:${currentMapping.customerId}`}
          onChange={(v) => update({ customerId: column(v) ?? "" })}
        >
          <ColumnOptions columns={columns} />
        </SelectField>
        {kind === "events" ? (
          <>
            <SelectField
              id={fieldId("timestamp")}
              label="Date (timestamp)"
              required
              value={currentMapping.timestamp ? `col:${currentMapping.timestamp}` : NONE}
              onChange={(v) => update({ timestamp: column(v) })}
            >
              <option value={NONE}>Choose a column</option>
              <ColumnOptions columns={columns} />
            </SelectField>
            <div className="space-y-2">
              <SelectField
                id={fieldId("event")}
                label="Event name"
                required
                value={eventValue}
                onChange={(v) =>
                  update({
                    event:
                      v === FIXED
                        ? {
                            value:
                              currentMapping.event && "value" in currentMapping.event
                                ? currentMapping.event.value
                                : "Order Completed",
                          }
                        : v === NONE
                          ? null
                          : { column: column(v)! },
                  })
                }
              >
                <option value={FIXED}>The same for every row…</option>
                <ColumnOptions columns={columns} />
              </SelectField>
              {currentMapping.event && "value" in currentMapping.event && (
                <div className="space-y-1">
                  <label htmlFor={fieldId("event-name")} className="block text-sm text-slate-700">
                    Event name for every row
                  </label>
                  <input
                    {...controlProps(fieldId("event-name"))}
                    value={currentMapping.event.value}
                    onChange={(e) => update({ event: { value: e.target.value } })}
                  />
                </div>
              )}
            </div>
            <SelectField
              id={fieldId("channel")}
              label="Channel"
              hint="Without one, the channel is worked out from the event (usually “other”)."
              value={channelValue}
              onChange={(v) =>
                update({
                  channel:
                    v === NONE
                      ? null
                      : v.startsWith("fixed:")
                        ? { value: v.slice(6) }
                        : { column: column(v)! },
                })
              }
            >
              <option value={NONE}>Work it out from the event</option>
              <optgroup label="The same for every row">
                {channels.map((c) => (
                  <option key={c} value={`fixed:${c}`}>
                    Always {c.replace("_", " ")}
                  </option>
                ))}
              </optgroup>
              <optgroup label="From a column">
                <ColumnOptions columns={columns} />
              </optgroup>
            </SelectField>
            <SelectField
              id={fieldId("amount")}
              label="Amount (revenue)"
              hint="A row with an amount counts as a purchase."
              value={currentMapping.amount ? `col:${currentMapping.amount}` : NONE}
              onChange={(v) => update({ amount: column(v) })}
            >
              <option value={NONE}>No amount</option>
              <ColumnOptions columns={columns} />
            </SelectField>
          </>
        ) : (
          (["email", "phone", "name"] as const).map((field) => (
            <SelectField
              key={field}
              id={fieldId(field)}
              label={{ email: "Email", phone: "Phone", name: "Name" }[field]}
              value={currentMapping[field] ? `col:${currentMapping[field]}` : NONE}
              onChange={(v) => update({ [field]: column(v) })}
            >
              <option value={NONE}>Not in the file</option>
              <ColumnOptions columns={columns} />
            </SelectField>
          ))
        )}
      </div>
    </fieldset>
  );
}
