"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Button, LoadError, LoadingRows, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { MappingForm } from "./mapping-form";

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
  const { id: workspaceId } = useWorkspace();
  const heading = useRef<HTMLDivElement>(null);
  const details = useQuery(trpc.import.get.queryOptions({ workspaceId, importId }));
  // The options the file's first bytes suggest, and the mapping its columns suggest: the form starts from them.
  const preview = useQuery(trpc.import.preview.queryOptions({ workspaceId, importId }));
  const ready = Boolean(preview.data && details.data);

  // Once the form is there, the focus moves to it (without scrolling), so that a screen reader starts reading at the step.
  useEffect(() => {
    if (ready) heading.current?.focus({ preventScroll: true });
  }, [ready]);

  if (preview.isPending || details.isPending) {
    return (
      <SectionCard id="map-import" title="Map the columns">
        <LoadingRows rows={4} label="Reading the first rows of the file" />
      </SectionCard>
    );
  }
  if (!preview.data || !details.data) {
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

  const { kind, fileName, sameFileAs } = details.data;
  return (
    <SectionCard
      id="map-import"
      title={`Map the columns of “${fileName}”`}
      description={`Step 2 of 2: say how to read the file and which column holds what. Rows become ${kind === "events" ? "events (track calls)" : "customer profiles (identify calls)"}; the preview below shows how the first rows will be read.`}
    >
      <div ref={heading} tabIndex={-1} className="sr-only">
        Map the columns of {fileName}
      </div>
      <MappingForm
        importId={importId}
        kind={kind}
        sameFileAs={Boolean(sameFileAs)}
        initial={preview.data}
        onCancel={onCancel}
        onStarted={onStarted}
      />
    </SectionCard>
  );
}
