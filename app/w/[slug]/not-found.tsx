"use client";

import Link from "next/link";
import { EmptyState } from "~/app/_components/ui";
import { useWorkspace } from "./_components/workspace-context";

/** What a page of the workspace shows (with a 404) when its URL names nothing here. */
export default function NotFoundInWorkspace() {
  const { slug, name } = useWorkspace();
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Not found</h1>
      <EmptyState title={`There is nothing at this address in ${name}`}>
        The link may be mistyped, or what it named was removed or belongs to another workspace.{" "}
        <Link href={`/w/${slug}`} className="text-brand-700 underline">
          Back to the dashboard
        </Link>
      </EmptyState>
    </div>
  );
}
