import { Options } from "~/app/_components/ui";
import type { ImportKind } from "~/db/enums";
import type { TImportOptions } from "~/server/imports/mapping";
import {
  delimiterLabels,
  delimiters,
  encodingLabels,
  encodings,
  type Delimiter,
  type Encoding,
} from "~/server/imports/options";
import { dateFormatLabels, dateFormats, type DateFormat } from "~/server/imports/values";
import { SelectField } from "./mapping-controls";

/**
 * "Reading the file": the text encoding, the delimiter, the date format (events only) and whether the
 * first row is a header; the preview detects each and a person corrects it here.
 */
export function ReadingOptions({
  kind,
  options: currentOptions,
  setOption,
  fieldId,
}: {
  kind: ImportKind;
  options: TImportOptions;
  setOption: <K extends keyof TImportOptions>(key: K, value: TImportOptions[K]) => void;
  fieldId: (name: string) => string;
}) {
  return (
    <fieldset className="space-y-3">
      <legend className="text-base font-semibold text-slate-900">Reading the file</legend>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField
          id={fieldId("encoding")}
          label="Text encoding"
          hint="Names with accents look wrong in the preview? Try another."
          value={currentOptions.encoding}
          onChange={(v) => setOption("encoding", v as Encoding)}
        >
          <Options items={encodings} value={(e) => e} label={(e) => encodingLabels[e]} />
        </SelectField>
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
  );
}
