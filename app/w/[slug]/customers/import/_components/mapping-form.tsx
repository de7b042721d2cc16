"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { Alert, Button } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { ImportKind } from "~/db/enums";
import {
  mappingProblems,
  ZImportMapping,
  ZImportOptions,
  type TImportMapping,
  type TImportOptions,
} from "~/server/imports/mapping-input";
import { useSettled } from "../../../_components/use-settled";
import { useWorkspace } from "../../../_components/workspace-context";
import { ColumnMapping } from "./column-mapping";
import { MappingPreview, type ImportPreview } from "./mapping-preview";
import { OtherColumns } from "./other-columns";
import { ReadingOptions } from "./reading-options";

interface MappingFormState {
  options: TImportOptions;
  /** null: the mapping the server suggests for these options (asked for again when they change). */
  mapping: TImportMapping | null;
}

// Checked on start with the schemas import.start takes; the mapping is never null by then.
const ZStartFields = z.object({ options: ZImportOptions, mapping: ZImportMapping });
const mappingFormSchema = z
  .custom<MappingFormState>()
  .transform((form): z.input<typeof ZStartFields> => ({ ...form, mapping: form.mapping ?? { customerId: "" } }))
  .pipe(ZStartFields);

/**
 * The mapping step's form, from the first preview: how to read the file and
 * which column holds what, with a preview that follows the fields a moment
 * after they change. "Start import" starts with the fields as they are on
 * screen, whether or not the preview has caught up with them; only a mapping
 * that cannot be imported (checked here with the server's own rules) holds it back.
 */
export function MappingForm({
  importId,
  kind,
  sameFileAs,
  initial,
  onCancel,
  onStarted,
}: {
  importId: string;
  kind: ImportKind;
  sameFileAs: boolean;
  initial: ImportPreview;
  onCancel: () => void;
  onStarted: (fileName: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const ids = useId();
  const form = useForm<MappingFormState, unknown, z.output<typeof mappingFormSchema>>({
    defaultValues: { options: initial.options, mapping: initial.mapping },
    resolver: zodResolver(mappingFormSchema),
  });
  const [watchedOptions, watchedMapping] = useWatch({ control: form.control, name: ["options", "mapping"] });
  // One object per distinct value, so that the settling delay and the query key follow changes, not renders.
  const currentKey = JSON.stringify({ options: watchedOptions, mapping: watchedMapping });
  const current = useMemo(() => JSON.parse(currentKey) as MappingFormState, [currentKey]);
  const settled = useSettled(current);
  const previewInput = {
    workspaceId,
    importId,
    options: settled.options,
    mapping: settled.mapping ?? undefined,
  };
  const isInitial =
    JSON.stringify(settled) === JSON.stringify({ options: initial.options, mapping: initial.mapping });
  const preview = useQuery({
    ...trpc.import.preview.queryOptions(previewInput),
    // The first preview already answered for the fields as they start.
    initialData: isInitial ? initial : undefined,
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
  const [starting, setStarting] = useState(false);
  const [suggestionError, setSuggestionError] = useState<string>();

  const data = preview.data ?? initial;
  const options = current.options;
  const mapping = current.mapping ?? data.mapping;
  const stale = preview.isFetching || settled !== current;
  const problems = mappingProblems(kind, data.columns, mapping);
  const fieldId = (name: string) => `${ids}-${name}`;

  const setOption = <K extends keyof TImportOptions>(key: K, value: TImportOptions[K]) => {
    form.setValue("options", { ...options, [key]: value });
    // Other columns: let the server suggest a mapping for them.
    if (key !== "dateFormat") form.setValue("mapping", null);
  };
  const update = (patch: Partial<TImportMapping>) => form.setValue("mapping", { ...mapping, ...patch });

  const startImport = async () => {
    setStarting(true);
    setSuggestionError(undefined);
    try {
      // The reading options changed and the server's suggestion for them is still on its way: wait for it.
      if (form.getValues("mapping") === null) {
        const suggested = await queryClient.fetchQuery(
          trpc.import.preview.queryOptions({ workspaceId, importId, options: form.getValues("options") }),
        );
        form.setValue("mapping", suggested.mapping);
      }
      await form.handleSubmit(async (valid) => {
        await start.mutateAsync({ workspaceId, importId, ...valid }).catch(() => {
          // Shown from start.error.
        });
      })();
    } catch (error) {
      // The suggestion could not be read.
      setSuggestionError(errorMessage(error));
    } finally {
      setStarting(false);
    }
  };
  const invalid = Object.keys(form.formState.errors).length > 0;
  const pending = starting || start.isPending;

  return (
    <>
      <ReadingOptions kind={kind} options={options} setOption={setOption} fieldId={fieldId} />

      <hr className="border-slate-200" />
      <ColumnMapping kind={kind} columns={data.columns} mapping={mapping} update={update} fieldId={fieldId} />

      <OtherColumns kind={kind} preview={data} mapping={mapping} update={update} fieldId={fieldId} />

      <MappingPreview kind={kind} preview={data} stale={stale} headingId={fieldId("preview")} />

      {start.error && <Alert>Could not start the import: {errorMessage(start.error)}</Alert>}
      {suggestionError && <Alert>Could not start the import: {suggestionError}</Alert>}
      {invalid && <Alert>Could not start the import: check the mapping above.</Alert>}
      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
        <Button disabled={problems.length > 0 || pending} onClick={() => void startImport()}>
          {pending ? "Starting…" : "Start import"}
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Back
        </Button>
        {sameFileAs && (
          <p className="self-center text-sm text-slate-600">
            This file was uploaded before; rows already stored from it are skipped as duplicates.
          </p>
        )}
      </div>
    </>
  );
}
