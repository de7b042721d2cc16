import { controlProps } from "~/app/_components/ui";
import type { ImportKind } from "~/db/enums";
import type { TImportMapping } from "~/server/imports/mapping";
import type { ImportPreview } from "./mapping-preview";

/** "Other columns": those not mapped above, each kept under a name the person may change or clear. */
export function OtherColumns({
  kind,
  preview: data,
  mapping: currentMapping,
  update,
  fieldId,
}: {
  kind: ImportKind;
  preview: ImportPreview;
  mapping: TImportMapping;
  update: (patch: Partial<TImportMapping>) => void;
  fieldId: (name: string) => string;
}) {
  const columns = data.columns;
  const mapped = new Set(
    [
      currentMapping.customerId,
      currentMapping.timestamp,
      currentMapping.amount,
      currentMapping.email,
      currentMapping.phone,
      currentMapping.name,
      currentMapping.event && "column" in currentMapping.event ? currentMapping.event.column : null,
      currentMapping.channel && "column" in currentMapping.channel ? currentMapping.channel.column : null,
    ].filter(Boolean),
  );
  const others = columns.map((c, i) => ({ name: c, index: i })).filter((c) => !mapped.has(c.name));
  const sampleOf = (index: number) =>
    data.rows.find((r) => (r.fields[index] ?? "").trim() !== "")?.fields[index] ?? "";
  if (others.length === 0) return null;

  return (
    <>
      <hr className="border-slate-200" />
      <fieldset className="space-y-3">
        <legend className="text-base font-semibold text-slate-900">Other columns</legend>
        <p className="text-sm text-slate-600">
          These go into each {kind === "events" ? "event's properties" : "customer's traits"} under the name
          given. Clear a name to leave the column out.
        </p>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {others.map((c) => {
            const id = fieldId(`rename-${c.index}`);
            const sample = sampleOf(c.index);
            return (
              <div key={c.name} className="space-y-1">
                <label htmlFor={id} className="block text-sm font-medium text-slate-700">
                  {c.name}
                  {sample && (
                    <span className="font-normal text-slate-500"> (e.g. {sample.slice(0, 30)})</span>
                  )}
                </label>
                <input
                  {...controlProps(id)}
                  placeholder="Left out"
                  value={currentMapping.rename[c.name] ?? c.name}
                  onChange={(e) => update({ rename: { ...currentMapping.rename, [c.name]: e.target.value } })}
                />
              </div>
            );
          })}
        </div>
      </fieldset>
    </>
  );
}
