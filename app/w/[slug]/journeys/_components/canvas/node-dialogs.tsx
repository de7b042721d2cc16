import type { JourneyDesign } from "~/server/journeys/design";
import { addBranch, addExit, renameExit, updateBranch } from "~/server/journeys/edit";
import { BranchDialog } from "./branch-dialog";
import { ExitDialog } from "./exit-dialog";

export type OpenDialog =
  | { kind: "addBranch" }
  | { kind: "editBranch"; nodeId: string }
  | { kind: "addExit" }
  | { kind: "renameExit"; nodeId: string }
  | null;

/** The dialogs that add or change a branch or an exit; a new node goes at `newNodePosition()` and is then selected. */
export function NodeDialogs({
  dialog,
  design,
  segments,
  onClose,
  applyFromDialog,
  newNodePosition,
  selectNext,
}: {
  dialog: OpenDialog;
  design: JourneyDesign;
  segments: { id: string; name: string }[];
  onClose: () => void;
  applyFromDialog: (edit: (current: JourneyDesign) => JourneyDesign) => string | null;
  newNodePosition: () => { x: number; y: number };
  selectNext: (nodeId: string) => void;
}) {
  const editedBranch =
    dialog?.kind === "editBranch" ? design.flow.nodes.find((n) => n.id === dialog.nodeId) : undefined;
  const renamedExit =
    dialog?.kind === "renameExit" ? design.flow.nodes.find((n) => n.id === dialog.nodeId) : undefined;

  return (
    <>
      <BranchDialog
        open={dialog?.kind === "addBranch" || editedBranch?.kind === "branch"}
        initial={
          editedBranch?.kind === "branch"
            ? { label: editedBranch.label, split: editedBranch.split }
            : undefined
        }
        segments={segments}
        onClose={onClose}
        onSubmit={(label, split) =>
          editedBranch
            ? applyFromDialog((d) => updateBranch(d, editedBranch.id, { label, split }))
            : applyFromDialog((d) => {
                const added = addBranch(d, label, split, newNodePosition());
                selectNext(added.nodeId);
                return added.design;
              })
        }
      />
      <ExitDialog
        open={dialog?.kind === "addExit" || renamedExit?.kind === "exit"}
        initialLabel={renamedExit?.kind === "exit" ? renamedExit.label : undefined}
        onClose={onClose}
        onSubmit={(label) =>
          renamedExit
            ? applyFromDialog((d) => renameExit(d, renamedExit.id, label))
            : applyFromDialog((d) => {
                const added = addExit(d, label, newNodePosition());
                selectNext(added.nodeId);
                return added.design;
              })
        }
      />
    </>
  );
}
