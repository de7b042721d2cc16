"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "~/app/_components/query-view";
import { cx } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../_components/workspace-context";
import { describeRule } from "./rule-builder";

/**
 * The built-in starting points as cards: name, what it means and the rule in
 * words. With `linked`, each card opens the editor with that template.
 */
export function TemplateCards({ linked, headingLevel = 3 }: { linked: boolean; headingLevel?: 2 | 3 }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const templates = useQuery(trpc.segment.templates.queryOptions({ workspaceId }));
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <QueryView
      query={templates}
      what="the templates"
      isEmpty={(data) => data.length === 0}
      empty={{ title: "No templates" }}
    >
      {(data) => (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {data.map((template) => (
            <li key={template.key}>
              <div
                className={cx(
                  "relative flex h-full flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm",
                  linked && "hover:border-brand-400 focus-within:ring-brand-500 focus-within:ring-2",
                )}
              >
                <Heading className="font-medium text-slate-900">
                  {linked ? (
                    <Link
                      href={`/w/${slug}/segments/new?template=${encodeURIComponent(template.key)}`}
                      className="hover:text-brand-700 focus:outline-none"
                    >
                      {/* The whole card is the link's target area. */}
                      <span aria-hidden="true" className="absolute inset-0" />
                      {template.name}
                    </Link>
                  ) : (
                    template.name
                  )}
                </Heading>
                <p className="mt-1 text-sm text-slate-600">{template.description}</p>
                <p className="mt-3 border-t border-slate-100 pt-2 text-xs text-slate-500">
                  <span className="font-medium text-slate-600">Rule: </span>
                  {describeRule(template.rule)}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </QueryView>
  );
}
