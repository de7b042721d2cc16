import type { inferRouterOutputs } from "@trpc/server";
import { Alert, cx, DataTable } from "~/app/_components/ui";
import type { ImportKind } from "~/db/enums";
import type { AppRouter } from "~/server/root";

export type ImportPreview = inferRouterOutputs<AppRouter>["import"]["preview"];
type PreviewedRow = ImportPreview["rows"][number];

function formatValue(value: unknown) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const timestampFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/**
 * How the first rows of the file will be read with the mapping as it stands,
 * and what is wrong with the mapping. `stale` while a newer preview loads.
 */
export function MappingPreview({
  kind,
  preview: data,
  stale,
  headingId,
}: {
  kind: ImportKind;
  preview: ImportPreview;
  stale: boolean;
  headingId: string;
}) {
  const problems = data.mappingProblems;
  const badRows = data.rows.filter((r) => r.problem).length;
  const dataLabel = kind === "events" ? "Properties" : "Traits";

  return (
    <section aria-labelledby={headingId} className="space-y-3 border-t border-slate-200 pt-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={headingId} className="text-base font-semibold text-slate-900">
          Preview of the first {data.rows.length} rows
        </h3>
        <p className="text-sm text-slate-600" aria-live="polite">
          {stale
            ? "Updating…"
            : badRows > 0
              ? `${badRows} of these rows cannot be imported`
              : "Every row reads well"}
        </p>
      </div>
      {problems.length > 0 && (
        <Alert>
          <p className="font-medium">Fix the mapping first:</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {data.rows.length === 0 ? (
        <p className="text-sm text-slate-600">The file has no data rows.</p>
      ) : (
        <DataTable
          variant="boxed"
          boxClassName={cx(stale && "opacity-60")}
          caption="How the first rows of the file will be read"
          columns={[
            { label: "Line" },
            { label: "Customer" },
            ...(kind === "events"
              ? [
                  { label: "Date (UTC)" },
                  { label: "Event" },
                  { label: "Channel" },
                  { label: "Amount", align: "right" as const },
                ]
              : []),
            { label: dataLabel },
          ]}
        >
          <tbody>
            {data.rows.map((row) => (
              <PreviewRow key={row.line} row={row} kind={kind} />
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

/** One row of the file as it will be stored, or why it will be skipped. */
function PreviewRow({ row, kind }: { row: PreviewedRow; kind: ImportKind }) {
  return row.read ? (
    <tr className="border-t border-slate-100 align-top">
      <td className="px-3 py-2 text-slate-500 tabular-nums">{row.line}</td>
      <td className="px-3 py-2 font-medium text-slate-900">{row.read.customerId}</td>
      {kind === "events" && (
        <>
          <td className="px-3 py-2 whitespace-nowrap">
            {row.read.timestamp ? timestampFormat.format(row.read.timestamp) : ""}
          </td>
          <td className="px-3 py-2">{row.read.event}</td>
          <td className="px-3 py-2">{row.read.channel?.replace("_", " ")}</td>
          <td className="px-3 py-2 text-right tabular-nums">
            {row.read.amount === null ? "—" : row.read.amount.toFixed(2)}
          </td>
        </>
      )}
      <td className="px-3 py-2 font-mono text-xs break-all text-slate-700">
        {Object.entries(row.read.data)
          .map(([k, v]) => `${k}: ${formatValue(v)}`)
          .join(", ")}
      </td>
    </tr>
  ) : (
    <tr className="border-t border-slate-100 bg-red-50 align-top">
      <td className="px-3 py-2 text-slate-500 tabular-nums">{row.line}</td>
      <td colSpan={kind === "events" ? 6 : 2} className="px-3 py-2 text-red-800">
        {row.problem ? (
          <>
            <span className="font-medium">Will be skipped:</span> {row.problem}
            <span className="mt-0.5 block font-mono text-xs break-all text-red-700/80">
              {row.fields.join(" | ")}
            </span>
          </>
        ) : (
          <span className="font-mono text-xs break-all">{row.fields.join(" | ")}</span>
        )}
      </td>
    </tr>
  );
}
