"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { Alert, Button, controlProps, Field } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";

interface Candidate {
  id: string;
  name: string | null;
  email: string | null;
  identifier?: { value: string } | null;
}

const label = (c: Candidate) => c.name || c.email || c.identifier?.value || `profile ${c.id.slice(0, 8)}`;

/**
 * "Merge with…": find the duplicate profile of this customer and merge it into
 * this one. Its events, identifiers and traits move here; the merge history
 * can undo it.
 */
export function MergeActions({ customerId, customerLabel }: { customerId: string; customerLabel: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { id: workspaceId } = useWorkspace();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [chosen, setChosen] = useState<Candidate>();
  const listId = useId();

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const candidates = useQuery({
    ...trpc.customer.list.queryOptions({ workspaceId, search: debounced, limit: 8 }),
    enabled: open && debounced.length >= 2,
  });
  const merge = useMutation(
    trpc.customer.merge.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        setChosen(undefined);
        setSearch("");
        router.refresh();
      },
    }),
  );

  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Merge with…
      </Button>
    );
  }

  const results = (candidates.data?.customers ?? []).filter((c) => c.id !== customerId);
  return (
    <div className="w-full max-w-md space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3 sm:w-96">
      {chosen ? (
        <>
          <p className="text-sm text-slate-800">
            Merge <strong>{label(chosen)}</strong> into <strong>{customerLabel}</strong>? Its events,
            identifiers and traits move to this customer. You can undo it from the merge history.
          </p>
          {merge.error && <Alert>{errorMessage(merge.error)}</Alert>}
          <div className="flex gap-2">
            <Button
              disabled={merge.isPending}
              onClick={() => merge.mutate({ workspaceId, survivorId: customerId, mergedId: chosen.id })}
            >
              {merge.isPending ? "Merging…" : "Merge"}
            </Button>
            <Button variant="secondary" onClick={() => setChosen(undefined)}>
              Back
            </Button>
          </div>
        </>
      ) : (
        <>
          <Field
            id="merge-search"
            label="Find the duplicate profile"
            hint="Name, email or any identifier; at least 2 characters."
          >
            <input
              {...controlProps("merge-search", { hasHint: true })}
              type="search"
              autoFocus
              autoComplete="off"
              value={search}
              aria-controls={listId}
              onChange={(event) => setSearch(event.target.value)}
            />
          </Field>
          <ul id={listId} aria-label="Matching customers" className="max-h-64 space-y-1 overflow-y-auto">
            {debounced.length >= 2 && candidates.isPending && (
              <li className="text-sm text-slate-500">Searching…</li>
            )}
            {candidates.error && <li className="text-sm text-red-700">{errorMessage(candidates.error)}</li>}
            {candidates.data && results.length === 0 && (
              <li className="text-sm text-slate-500">No other customer matches.</li>
            )}
            {results.map((candidate) => (
              <li key={candidate.id}>
                <button
                  type="button"
                  onClick={() => setChosen(candidate)}
                  className="w-full rounded px-2 py-1.5 text-left text-sm hover:bg-white focus-visible:bg-white"
                >
                  <span className="font-medium text-slate-900">{label(candidate)}</span>
                  {candidate.email && candidate.name && (
                    <span className="block text-xs text-slate-500">{candidate.email}</span>
                  )}
                </button>
              </li>
            ))}
          </ul>
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </>
      )}
    </div>
  );
}

/** Undo a merge this profile took in: the other profile becomes a customer of its own again. */
export function UndoMergeButton({ mergeId, otherLabel }: { mergeId: number; otherLabel: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { id: workspaceId } = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const undo = useMutation(trpc.customer.undoMerge.mutationOptions({ onSuccess: () => router.refresh() }));

  if (!confirming) {
    return (
      <Button variant="secondary" className="mt-2" onClick={() => setConfirming(true)}>
        Undo merge<span className="sr-only"> with {otherLabel}</span>
      </Button>
    );
  }
  return (
    <div className="mt-2 space-y-2">
      <p className="text-sm text-slate-800">
        Split {otherLabel} off again, with the events and identifiers that first joined it?
      </p>
      {undo.error && <Alert>{errorMessage(undo.error)}</Alert>}
      <div className="flex gap-2">
        <Button
          variant="danger"
          disabled={undo.isPending}
          onClick={() => undo.mutate({ workspaceId, mergeId })}
        >
          {undo.isPending ? "Undoing…" : "Undo merge"}
        </Button>
        <Button variant="secondary" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
