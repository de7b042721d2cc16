"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import {
  Alert,
  Button,
  LoadError,
  LoadingRows,
  SectionCard,
  controlProps,
  cx,
  Options,
  DataTable,
} from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { channels } from "~/db/enums";
import type { TImportMapping, TImportOptions } from "~/server/imports/mapping";
import { delimiterLabels, delimiters, type Delimiter } from "~/server/imports/options";
import { dateFormatLabels, dateFormats, type DateFormat } from "~/server/imports/values";
import { useWorkspace } from "../../../_components/workspace-context";

/** The value after the person stops typing for a moment, so the preview is not asked for at every key. */
function useSettled<T>(value: T, ms = 300) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const FIXED = "__fixed__";
const NONE = "";

function SelectField({
  id,
  label,
  hint,
  required,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
  value: string;
  onChange: (value: string) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
        {required && <span className="text-red-700"> *</span>}
      </label>
      <select
        {...controlProps(id, { hasHint: Boolean(hint) })}
        required={required}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        {children}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

function ColumnOptions({ columns }: { columns: string[] }) {
  return (
    <>
      <Options items={columns} value={(c) => `col:${c}`} label={(c) => c} />
    </>
  );
}

const column = (value: string) => (value.startsWith("col:") ? value.slice(4) : null);

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

export function MappingStep({
  importId,
  onCancel,
  onStarted,
}: {
  importId: string;
  onCancel: () => void;
  onStarted: (fileName: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const ids = useId();
  const heading = useRef<HTMLDivElement>(null);
  const details = useQuery(trpc.import.get.queryOptions({ workspaceId, importId }));
  const [options, setOptions] = useState<TImportOptions>();
  const [mapping, setMapping] = useState<TImportMapping>();
  const input = { options: useSettled(options), mapping: useSettled(mapping) };
  const preview = useQuery({
    ...trpc.import.preview.queryOptions({ workspaceId, importId, ...input }),
    placeholderData: keepPreviousData,
  });
  const start = useMutation(
    trpc.import.start.mutationOptions({
      onSuccess: async (started) => {
        await queryClient.invalidateQueries({ queryKey: trpc.import.list.queryKey() });
        onStarted(started.fileName);
      },
    }),
  );

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const kind = details.data?.kind;
  const data = preview.data;
  const currentOptions = options ?? data?.options;
  const currentMapping = mapping ?? data?.mapping;

  if (preview.isPending || details.isPending) {
    return (
      <SectionCard id="map-import" title="Map the columns">
        <LoadingRows rows={4} label="Reading the first rows of the file" />
      </SectionCard>
    );
  }
  if (!data || !details.data || !currentOptions || !currentMapping || !kind) {
    return (
      <SectionCard id="map-import" title="Map the columns">
        <LoadError
          what="the preview"
          error={errorMessage(preview.error ?? details.error)}
          onRetry={() => {
            void preview.refetch();
            void details.refetch();
          }}
        />
        <Button variant="secondary" onClick={onCancel}>
          Back
        </Button>
      </SectionCard>
    );
  }

  const columns = data.columns;
  const setOption = <K extends keyof TImportOptions>(key: K, value: TImportOptions[K]) => {
    setOptions({ ...currentOptions, [key]: value });
    // Other columns: let the server suggest a mapping for them.
    if (key !== "dateFormat") setMapping(undefined);
  };
  const update = (patch: Partial<TImportMapping>) => setMapping({ ...currentMapping, ...patch });
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
  const problems = data.mappingProblems;
  const badRows = data.rows.filter((r) => r.problem).length;
  const stale = preview.isFetching || input.options !== options || input.mapping !== mapping;
  const dataLabel = kind === "events" ? "Properties" : "Traits";
  const fieldId = (name: string) => `${ids}-${name}`;

  return (
    <SectionCard
      id="map-import"
      title={`Map the columns of “${details.data.fileName}”`}
      description={`Step 2 of 2: say how to read the file and which column holds what. Rows become ${kind === "events" ? "events (track calls)" : "customer profiles (identify calls)"}; the preview below shows how the first rows will be read.`}
    >
      <div ref={heading} tabIndex={-1} className="sr-only">
        Map the columns of {details.data.fileName}
      </div>
      <fieldset className="space-y-3">
        <legend className="text-base font-semibold text-slate-900">Reading the file</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            id={fieldId("delimiter")}
            label="Columns separated by"
            value={currentOptions.delimiter}
            onChange={(v) => setOption("delimiter", v as Delimiter)}
          >
            <Options items={delimiters} value={(d) => d} label={(d) => delimiterLabels[d]} />
          </SelectField>
          {kind === "events" && (
            <SelectField
              id={fieldId("date-format")}
              label="Dates written as"
              hint="A time may follow the date (14:05, T14:05:00Z); without a time zone it is UTC."
              value={currentOptions.dateFormat}
              onChange={(v) => setOption("dateFormat", v as DateFormat)}
            >
              <Options items={dateFormats} value={(f) => f} label={(f) => dateFormatLabels[f]} />
            </SelectField>
          )}
          <div className="flex items-center gap-2 pt-6">
            <input
              id={fieldId("header")}
              type="checkbox"
              checked={currentOptions.header}
              onChange={(e) => setOption("header", e.target.checked)}
              className="size-4 rounded border-slate-300"
            />
            <label htmlFor={fieldId("header")} className="text-sm text-slate-700">
              The first row names the columns
            </label>
          </div>
        </div>
      </fieldset>

      <hr className="border-slate-200" />
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

      {others.length > 0 && (
        <>
          <hr className="border-slate-200" />
          <fieldset className="space-y-3">
            <legend className="text-base font-semibold text-slate-900">Other columns</legend>
            <p className="text-sm text-slate-600">
              These go into each {kind === "events" ? "event's properties" : "customer's traits"} under the
              name given. Clear a name to leave the column out.
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
                      onChange={(e) =>
                        update({ rename: { ...currentMapping.rename, [c.name]: e.target.value } })
                      }
                    />
                  </div>
                );
              })}
            </div>
          </fieldset>
        </>
      )}

      <section aria-labelledby={`${ids}-preview`} className="space-y-3 border-t border-slate-200 pt-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 id={`${ids}-preview`} className="text-base font-semibold text-slate-900">
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
              {data.rows.map((row) =>
                row.read ? (
                  <tr key={row.line} className="border-t border-slate-100 align-top">
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
                  <tr key={row.line} className="border-t border-slate-100 bg-red-50 align-top">
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
                ),
              )}
            </tbody>
          </DataTable>
        )}
      </section>

      {start.error && <Alert>Could not start the import: {errorMessage(start.error)}</Alert>}
      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
        <Button
          disabled={problems.length > 0 || stale || start.isPending}
          onClick={() =>
            start.mutate({ workspaceId, importId, options: currentOptions, mapping: currentMapping })
          }
        >
          {start.isPending ? "Starting…" : "Start import"}
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={start.isPending}>
          Back
        </Button>
        {details.data.sameFileAs && (
          <p className="self-center text-sm text-slate-600">
            This file was uploaded before; rows already stored from it are skipped as duplicates.
          </p>
        )}
      </div>
    </SectionCard>
  );
}
