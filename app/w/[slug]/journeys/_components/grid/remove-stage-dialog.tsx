import { Button } from "~/app/_components/ui";
import type { Stage } from "~/server/journeys/design";
import { Modal } from "../modal";

/** Asks before a stage goes, saying how many touchpoints go with it. */
export function RemoveStageDialog({
  stage: removing,
  onRemove,
  onClose,
}: {
  stage: Stage | null;
  onRemove: (stage: Stage) => void;
  onClose: () => void;
}) {
  return (
    <Modal
      id="remove-stage-dialog"
      title={`Remove the stage “${removing?.name ?? ""}”?`}
      description={
        removing && removing.touchpoints.length > 0
          ? `Its ${removing.touchpoints.length === 1 ? "touchpoint goes" : `${removing.touchpoints.length} touchpoints go`} with it, from the grid and the canvas.`
          : "It has no touchpoints."
      }
      open={removing !== null}
      onClose={onClose}
    >
      <div className="flex gap-2">
        <Button
          variant="danger"
          autoFocus
          onClick={() => {
            if (removing) onRemove(removing);
            onClose();
          }}
        >
          Remove stage
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Keep it
        </Button>
      </div>
    </Modal>
  );
}
