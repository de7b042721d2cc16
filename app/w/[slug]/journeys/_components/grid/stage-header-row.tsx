import { Button, cx } from "~/app/_components/ui";
import type { DesignCheck } from "~/server/journeys/checks";
import { MAX_STAGES, type Stage } from "~/server/journeys/design";
import { addStage, moveStage } from "~/server/journeys/edit";
import { checksFor } from "../checks";
import type { JourneyOverlay } from "../overlay";
import { cornerHeaderClass, stickyTopClass } from "./grid-layout";
import { commentKey, type CommentTarget, type Edit, type PatchStage } from "./grid-model";
import { StageHeader, stageNameInputId } from "./stage-header";

/** The grid's head: a header per stage (name, checks, measures, moves) and the "+ Add stage" button. */
export function StageHeaderRow({
  stages,
  checks,
  overlay,
  edit,
  patchStage,
  onRemove,
  onComment,
  commentCounts,
  announce,
  focusAfterRender,
}: {
  stages: Stage[];
  checks: readonly DesignCheck[];
  overlay?: JourneyOverlay | null;
  onComment?: (target: CommentTarget) => void;
  commentCounts?: ReadonlyMap<string, number>;
  announce: (message: string) => void;
  edit?: Edit;
  patchStage: PatchStage;
  /** Asks before the stage goes (the grid's dialog). */
  onRemove: (stage: Stage) => void;
  focusAfterRender: (id: string) => void;
}) {
  return (
    <tr>
      <th scope="col" className={cornerHeaderClass}>
        Stage
      </th>
      {stages.map((stage, index) => {
        const previous = stages[index - 1];
        return (
          <StageHeader
            key={stage.id}
            stage={stage}
            index={index}
            count={stages.length}
            checks={checksFor(checks, { type: "stage", stageId: stage.id })}
            overlay={overlay ? (overlay.stages[stage.id] ?? null) : undefined}
            transition={
              overlay && previous
                ? overlay.transitions.find((t) => t.fromStageId === previous.id && t.toStageId === stage.id)
                : undefined
            }
            onRename={patchStage ? (name) => patchStage(stage.id)({ name }) : undefined}
            onMove={
              edit
                ? (to) => {
                    if (edit((d) => moveStage(d, stage.id, to))) {
                      announce(`Moved the stage “${stage.name}” to column ${to + 1}.`);
                    }
                  }
                : undefined
            }
            onRemove={edit ? () => onRemove(stage) : undefined}
            onComment={onComment ? () => onComment({ kind: "stage", id: stage.id }) : undefined}
            comments={commentCounts?.get(commentKey({ kind: "stage", id: stage.id })) ?? 0}
          />
        );
      })}
      {edit && (
        <th
          scope="col"
          className={cx(stickyTopClass, "border-b border-slate-200 bg-slate-50 px-3 py-2 align-top")}
        >
          <span className="sr-only">New stage</span>
          <Button
            variant="secondary"
            data-picture="skip"
            className="w-full"
            disabled={stages.length >= MAX_STAGES}
            title={stages.length >= MAX_STAGES ? `A journey has at most ${MAX_STAGES} stages` : undefined}
            onClick={() => {
              let id = "";
              const added = edit((d) => {
                const next = addStage(d, "New stage");
                id = next.stages[next.stages.length - 1]!.id;
                return next;
              });
              if (added) focusAfterRender(stageNameInputId(id));
            }}
          >
            + Add stage
          </Button>
        </th>
      )}
    </tr>
  );
}
