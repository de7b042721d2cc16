import { cx } from "~/app/_components/ui";
import type { Channel } from "~/db/enums";
import type { DesignCheck } from "~/server/journeys/checks";
import { MAX_TOUCHPOINTS_PER_STAGE, type Stage } from "~/server/journeys/design";
import { ChannelBadge, channelLabels } from "../../../_components/channels";
import { checksFor } from "../checks";
import type { JourneyOverlay } from "../overlay";
import { AddColumnFiller, cellClass, rowHeaderClass } from "./grid-layout";
import { commentKey, type CommentTarget, type FormTarget } from "./grid-model";
import type { Cell, Direction } from "./moves";
import { TouchpointCard, TOUCHPOINT_DRAG_TYPE } from "./touchpoint-card";

/**
 * A channel's row: its touchpoints in each stage's cell, where a dragged
 * touchpoint may be dropped, and a "+ Add" button per cell while editable.
 */
export function ChannelRow({
  channel,
  stages,
  checks,
  overlay,
  canEdit,
  dropCell,
  setDropCell,
  onDropTouchpoint,
  onMoveByKey,
  onOpen,
  onComment,
  commentCounts,
}: {
  channel: Channel;
  stages: Stage[];
  checks: readonly DesignCheck[];
  overlay?: JourneyOverlay | null;
  canEdit: boolean;
  /** The cell ("stageId:channel") a touchpoint is dragged over, in whichever row. */
  dropCell: string | null;
  setDropCell: (key: string | null) => void;
  onDropTouchpoint: (touchpointId: string, to: Cell) => void;
  onMoveByKey: (touchpointId: string, direction: Direction) => void;
  onOpen: (target: FormTarget) => void;
  onComment?: (target: CommentTarget) => void;
  commentCounts?: ReadonlyMap<string, number>;
}) {
  return (
    <tr>
      <th scope="row" className={cx(rowHeaderClass, "normal-case")}>
        <ChannelBadge channel={channel} />
      </th>
      {stages.map((stage) => {
        const key = `${stage.id}:${channel}`;
        const here = stage.touchpoints.filter((tp) => tp.channel === channel);
        return (
          <td
            key={stage.id}
            data-testid={`cell-${stage.name}-${channel}`}
            className={cx(
              cellClass,
              "min-h-16",
              dropCell === key && "bg-brand-50 outline-brand-400 outline-2 -outline-offset-2 outline-dashed",
            )}
            onDragOver={(event) => {
              if (!canEdit || !event.dataTransfer.types.includes(TOUCHPOINT_DRAG_TYPE)) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = "move";
              if (dropCell !== key) setDropCell(key);
            }}
            onDragLeave={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropCell(null);
            }}
            onDrop={(event) => {
              setDropCell(null);
              const id = event.dataTransfer.getData(TOUCHPOINT_DRAG_TYPE);
              if (!id) return;
              event.preventDefault();
              onDropTouchpoint(id, { stageId: stage.id, channel });
            }}
          >
            <div className="space-y-2">
              {here.map((touchpoint) => (
                <TouchpointCard
                  key={touchpoint.id}
                  touchpoint={touchpoint}
                  checks={checksFor(checks, { type: "touchpoint", touchpointId: touchpoint.id })}
                  overlay={overlay ? (overlay.touchpoints[touchpoint.id] ?? null) : undefined}
                  sends={overlay?.sends[touchpoint.id]}
                  canEdit={canEdit}
                  onOpen={() => onOpen({ kind: "edit", touchpointId: touchpoint.id })}
                  onMove={(direction) => onMoveByKey(touchpoint.id, direction)}
                  onComment={
                    onComment ? () => onComment({ kind: "touchpoint", id: touchpoint.id }) : undefined
                  }
                  comments={commentCounts?.get(commentKey({ kind: "touchpoint", id: touchpoint.id })) ?? 0}
                />
              ))}
              {canEdit && (
                <button
                  type="button"
                  data-picture="skip"
                  onClick={() => onOpen({ kind: "new", stageId: stage.id, channel })}
                  disabled={stage.touchpoints.length >= MAX_TOUCHPOINTS_PER_STAGE}
                  aria-label={`Add a touchpoint to ${stage.name}, ${channelLabels[channel]}`}
                  className="hover:border-brand-400 hover:text-brand-700 focus-visible:outline-brand-600 w-full rounded-md border border-dashed border-slate-300 py-1 text-xs text-slate-500 focus-visible:outline-2 disabled:hidden"
                >
                  + Add
                </button>
              )}
            </div>
          </td>
        );
      })}
      <AddColumnFiller show={canEdit} />
    </tr>
  );
}
