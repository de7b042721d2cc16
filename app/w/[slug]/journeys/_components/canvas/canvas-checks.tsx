/** A touchpoint on the canvas that the design checks found something on. */
export interface CheckedNode {
  id: string;
  title: string;
  checks: string[];
}

/** The checks found on the canvas's touchpoints, each with a button that shows its node. */
export function CanvasChecks({ nodes, onShow }: { nodes: CheckedNode[]; onShow: (nodeId: string) => void }) {
  return (
    <section aria-labelledby="canvas-checks" className="rounded-md border border-amber-300 bg-amber-50 p-3">
      <h3 id="canvas-checks" className="text-sm font-semibold text-amber-950">
        Checks on the canvas
      </h3>
      <ul className="mt-1 space-y-1 text-sm text-amber-950">
        {nodes.map((n) => (
          <li key={n.id} className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-medium">{n.title}:</span>
            <span>{n.checks.join(" ")}</span>
            <button
              type="button"
              className="text-brand-700 text-xs underline hover:no-underline"
              onClick={() => onShow(n.id)}
            >
              Show <span className="sr-only">“{n.title}” </span>on canvas
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
