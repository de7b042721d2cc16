import { Button } from "~/app/_components/ui";

/** The editable canvas's tools: add a branch or an exit, tidy the layout. */
export function CanvasToolbar({
  onAddBranch,
  onAddExit,
  onTidy,
}: {
  onAddBranch: () => void;
  onAddExit: () => void;
  onTidy: () => void;
}) {
  return (
    <div
      role="toolbar"
      aria-label="Canvas tools"
      data-picture="skip"
      className="flex flex-wrap items-center gap-2"
    >
      <Button variant="secondary" onClick={onAddBranch}>
        Add branch
      </Button>
      <Button variant="secondary" onClick={onAddExit}>
        Add exit
      </Button>
      <Button variant="secondary" onClick={onTidy}>
        Tidy up
      </Button>
      <p className="text-xs text-slate-500">
        Drag from a node’s right edge to another node to connect them, or select a node to connect it from the
        keyboard.
      </p>
    </div>
  );
}
