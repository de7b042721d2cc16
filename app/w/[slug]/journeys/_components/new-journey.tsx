"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Alert, Button, ButtonLink, Card, controlProps, Field } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { formatCount } from "../../_components/channels";
import { useWorkspace } from "../../_components/workspace-context";
import { inputIssues } from "~/app/_trpc/errors";

/** /journeys/new: the segment, a name and a description; the journey opens in the editor once made. */
export function NewJourney({ segmentId }: { segmentId?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const [segment, setSegment] = useState(segmentId ?? "");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [missing, setMissing] = useState<{ segment?: string; name?: string }>({});
  const create = useMutation(
    trpc.journey.create.mutationOptions({
      onSuccess: ({ id }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.journey.list.pathKey() });
        router.push(`/w/${slug}/journeys/${id}`);
      },
    }),
  );

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const known = segments.data?.some((s) => s.id === segment) ?? false;
    const problems = {
      segment: known ? undefined : "Choose the segment the journey is for.",
      name: name.trim() ? undefined : "Give the journey a name.",
    };
    setMissing(problems);
    if (problems.segment || problems.name) return;
    create.mutate({ workspaceId, segmentId: segment, name: name.trim(), description: description.trim() });
  };

  const fields = fieldErrors(create.error);
  const issues = Object.fromEntries(inputIssues(create.error).map((i) => [i.path, i.message]));
  const errors = {
    segment: missing.segment ?? fields.segmentId ?? issues.segmentId,
    name: missing.name ?? fields.name ?? issues.name,
    description: fields.description ?? issues.description,
  };
  const otherError =
    create.error && !errors.segment && !errors.name && !errors.description
      ? errorMessage(create.error)
      : undefined;

  return (
    <QueryView
      query={segments}
      what="the segments"
      isEmpty={(data) => data.length === 0}
      empty={{
        title: "No segments yet",
        body: (
          <>
            A journey is designed for a segment.{" "}
            <a href={`/w/${slug}/segments/new`} className="text-brand-700 underline">
              Create a segment
            </a>{" "}
            first.
          </>
        ),
      }}
    >
      {(data) => (
        <Card className="p-4 sm:p-6">
          <form onSubmit={submit} noValidate className="space-y-4">
            <Field
              id="journey-segment"
              label="Segment"
              hint="The customers this journey is designed for"
              error={errors.segment}
            >
              <select
                {...controlProps("journey-segment", { error: errors.segment, hasHint: true })}
                value={data.some((s) => s.id === segment) ? segment : ""}
                onChange={(event) => setSegment(event.target.value)}
              >
                <option value="">Choose a segment…</option>
                {data.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({formatCount(s.memberCount)} {s.memberCount === 1 ? "member" : "members"})
                  </option>
                ))}
              </select>
            </Field>
            {segmentId && !data.some((s) => s.id === segmentId) && (
              <Alert tone="info">The segment in the link no longer exists: choose another.</Alert>
            )}
            <Field id="journey-name" label="Name" error={errors.name}>
              <input
                {...controlProps("journey-name", { error: errors.name })}
                value={name}
                onChange={(event) => setName(event.target.value)}
                maxLength={120}
                required
                autoComplete="off"
              />
            </Field>
            <Field
              id="journey-description"
              label="Description"
              hint="What the journey is for, in a sentence or two (optional)"
              error={errors.description}
            >
              <textarea
                {...controlProps("journey-description", { error: errors.description, hasHint: true })}
                rows={3}
                value={description}
                onChange={(event) => setDescription(event.target.value)}
                maxLength={2000}
              />
            </Field>
            {otherError && <Alert>Could not create the journey: {otherError}</Alert>}
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? "Creating…" : "Create journey"}
              </Button>
              <ButtonLink href={`/w/${slug}/journeys`} variant="secondary">
                Cancel
              </ButtonLink>
            </div>
          </form>
        </Card>
      )}
    </QueryView>
  );
}
