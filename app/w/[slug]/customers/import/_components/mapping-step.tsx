"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Alert, Button, LoadError, LoadingRows, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { TImportMapping, TImportOptions } from "~/server/imports/mapping";
import { useSettled } from "../../../_components/use-settled";
import { useWorkspace } from "../../../_components/workspace-context";
import { ColumnMapping } from "./column-mapping";
import { MappingPreview } from "./mapping-preview";
import { OtherColumns } from "./other-columns";
import { ReadingOptions } from "./reading-options";

/** Step 2 of an import: how to read the uploaded file and which column holds what, with a preview of the first rows. */
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

  const setOption = <K extends keyof TImportOptions>(key: K, value: TImportOptions[K]) => {
    setOptions({ ...currentOptions, [key]: value });
    // Other columns: let the server suggest a mapping for them.
    if (key !== "dateFormat") setMapping(undefined);
  };
  const update = (patch: Partial<TImportMapping>) => setMapping({ ...currentMapping, ...patch });
  const stale = preview.isFetching || input.options !== options || input.mapping !== mapping;
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
      <ReadingOptions kind={kind} options={currentOptions} setOption={setOption} fieldId={fieldId} />

      <hr className="border-slate-200" />
      <ColumnMapping
        kind={kind}
        columns={data.columns}
        mapping={currentMapping}
        update={update}
        fieldId={fieldId}
      />

      <OtherColumns kind={kind} preview={data} mapping={currentMapping} update={update} fieldId={fieldId} />

      <MappingPreview kind={kind} preview={data} stale={stale} headingId={fieldId("preview")} />

      {start.error && <Alert>Could not start the import: {errorMessage(start.error)}</Alert>}
      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
        <Button
          disabled={data.mappingProblems.length > 0 || stale || start.isPending}
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
