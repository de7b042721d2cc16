import { useState } from "react";
import { Button } from "~/app/_components/ui";

/** Save, cancel and remove, the last asked again before it happens; read-only offers only Close. */
export function TouchpointFormActions({
  title,
  readOnly,
  onRemove,
  onCancel,
}: {
  /** The touchpoint's title as saved, named in the question. */
  title: string;
  readOnly: boolean;
  onRemove?: () => void;
  onCancel: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return confirming && onRemove ? (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p>Remove “{title}”? It leaves the grid and the canvas; arrows into it lead to what followed it.</p>
      <div className="mt-2 flex gap-2">
        <Button variant="danger" onClick={onRemove} autoFocus>
          Remove touchpoint
        </Button>
        <Button variant="secondary" onClick={() => setConfirming(false)}>
          Keep it
        </Button>
      </div>
    </div>
  ) : (
    <div className="flex flex-wrap justify-between gap-2">
      <div className="flex gap-2">
        {!readOnly && <Button type="submit">Save touchpoint</Button>}
        <Button variant="secondary" onClick={onCancel}>
          {readOnly ? "Close" : "Cancel"}
        </Button>
      </div>
      {!readOnly && onRemove && (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Remove…
        </Button>
      )}
    </div>
  );
}
