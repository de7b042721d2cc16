"use client";

import { useRef, useState } from "react";
import { Alert } from "~/app/_components/ui";
import { useCan } from "../../../_components/workspace-context";
import { ImportList } from "./import-list";
import { MappingStep } from "./mapping-step";
import { UploadForm } from "./upload-form";

/** Upload → map → watch. The mapping step opens for a fresh upload or an upload not started yet. */
export function ImportPage() {
  const canImport = useCan("content:write");
  const [mapping, setMapping] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const listHeading = useRef<HTMLHeadingElement>(null);

  return (
    <>
      {canImport ? (
        mapping ? (
          <MappingStep
            importId={mapping}
            onCancel={() => setMapping(undefined)}
            onStarted={(fileName) => {
              setMapping(undefined);
              setNotice(`The import of “${fileName}” has started. Its progress is shown below.`);
              requestAnimationFrame(() => listHeading.current?.focus());
            }}
          />
        ) : (
          <UploadForm
            onUploaded={(id) => {
              setNotice(undefined);
              setMapping(id);
            }}
          />
        )
      ) : (
        <Alert tone="info">You can follow the imports here. Editors and admins upload and run them.</Alert>
      )}
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      <ImportList
        headingRef={listHeading}
        mappingId={mapping}
        onContinue={canImport ? setMapping : undefined}
      />
    </>
  );
}
