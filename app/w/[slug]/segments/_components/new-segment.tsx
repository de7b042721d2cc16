"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { QueryView } from "~/app/_components/query-view";
import { Alert } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../_components/workspace-context";
import { emptyRule } from "./rule-builder";
import { SegmentEditor } from "./segment-editor";
import { TemplateCards } from "./template-cards";

/** /segments/new: pick a template (or blank), then edit. `?template=<key>|blank` skips the picker. */
export function NewSegment({ template, canEdit }: { template?: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const { id: workspaceId, slug } = useWorkspace();
  const templates = useQuery(trpc.segment.templates.queryOptions({ workspaceId }));

  if (!template) {
    return (
      <div className="space-y-6">
        <section aria-labelledby="start-heading" className="space-y-3">
          <h2 id="start-heading" className="text-lg font-semibold text-slate-900">
            Start from a template
          </h2>
          <TemplateCards linked />
        </section>
        <section aria-labelledby="blank-heading" className="space-y-2">
          <h2 id="blank-heading" className="text-lg font-semibold text-slate-900">
            Or start blank
          </h2>
          <p className="text-sm text-slate-600">One condition to begin with; add more as you go.</p>
          <a
            href={`/w/${slug}/segments/new?template=blank`}
            onClick={(event) => {
              event.preventDefault();
              router.push(`${pathname}?template=blank`);
            }}
            className="border-brand-300 text-brand-700 hover:bg-brand-50 inline-flex rounded-md border border-dashed bg-white px-4 py-2 text-sm font-medium"
          >
            Blank segment
          </a>
        </section>
      </div>
    );
  }

  const back = () => router.push(pathname);
  if (template === "blank") {
    return (
      <SegmentEditor
        key="blank"
        initial={{ name: "", description: "", schedule: "daily", rule: emptyRule() }}
        readOnly={!canEdit}
        onBack={back}
      />
    );
  }
  return (
    <QueryView query={templates} what="the templates" isEmpty={() => false} empty={{ title: "No templates" }}>
      {(data) => {
        const chosen = data.find((t) => t.key === template);
        if (!chosen) {
          return (
            <div className="space-y-4">
              <Alert>There is no template “{template}”. Choose one of these.</Alert>
              <TemplateCards linked />
            </div>
          );
        }
        return (
          <SegmentEditor
            key={chosen.key}
            initial={{
              name: chosen.name,
              description: chosen.description,
              schedule: "daily",
              rule: chosen.rule,
            }}
            readOnly={!canEdit}
            onBack={back}
          />
        );
      }}
    </QueryView>
  );
}
