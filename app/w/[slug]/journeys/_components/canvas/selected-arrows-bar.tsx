import { Button } from "~/app/_components/ui";
import type { CanvasEdge } from "./flow-model";

/** Names the selected arrows and removes them. */
export function SelectedArrowsBar({ edges, onRemove }: { edges: CanvasEdge[]; onRemove: () => void }) {
  return (
    <div
      data-picture="skip"
      className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <p className="text-sm text-slate-800">{edges.map((e) => e.ariaLabel).join("; ")}</p>
      <Button variant="danger" onClick={onRemove}>
        {edges.length === 1 ? "Remove arrow" : "Remove arrows"}
      </Button>
    </div>
  );
}
