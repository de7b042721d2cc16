"use client";

import { useState } from "react";
import { ScrollBox } from "~/app/_components/ui";
import { channels } from "~/db/enums";
import type { DesignCheck } from "~/server/journeys/checks";
import type { JourneyDesign, Stage } from "~/server/journeys/design";
import { removeStage, setQuietHours, updateStage, type StagePatch } from "~/server/journeys/edit";
import { channelLabels } from "../../../_components/channels";
import { EventNameList } from "../../../_components/event-name-list";
import type { JourneyOverlay } from "../overlay";
import { ChannelRow } from "./channel-row";
import { ADD_COLUMN_WIDTH, ROW_HEADER_WIDTH, STAGE_COLUMN_WIDTH } from "./grid-layout";
import type { CommentTarget, Edit, FormTarget } from "./grid-model";
import { cellOf, moveToCell, neighbourCell, type Cell, type Direction } from "./moves";
import { QuietHours } from "./quiet-hours";
import { RemoveStageDialog } from "./remove-stage-dialog";
import { StageHeaderRow } from "./stage-header-row";
import { StapleRows } from "./staple-rows";
import { moveHandleId, MOVE_HINT_ID } from "./touchpoint-card";
import { TouchpointDialog } from "./touchpoint-dialog";
import { TOUCHPOINT_EVENTS_LIST } from "./touchpoint-events-list";
import { useFocusAfterRender } from "./use-focus-after-render";

/**
 * The grid view: stages as columns; the stage's goal, the journey-mapping
 * staples and one row per channel with its touchpoints. Without `edit` it is read-only.
 */
export function JourneyGrid({
  design,
  edit,
  checks,
  overlay,
  onComment,
  commentCounts,
}: {
  design: JourneyDesign;
  edit?: Edit;
  checks: readonly DesignCheck[];
  overlay?: JourneyOverlay | null;
  onComment?: (target: CommentTarget) => void;
  /** Open comments per stage or touchpoint (see commentKey). */
  commentCounts?: ReadonlyMap<string, number>;
}) {
  const canEdit = Boolean(edit);
  const [form, setForm] = useState<FormTarget | null>(null);
  const [removing, setRemoving] = useState<Stage | null>(null);
  const [dropCell, setDropCell] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const setFocusId = useFocusAfterRender();

  const stages = design.stages;
  const stageName = (stageId: string) => stages.find((s) => s.id === stageId)?.name ?? "";
  const patchStage = edit
    ? (stageId: string) => (patch: StagePatch) => edit((d) => updateStage(d, stageId, patch))
    : undefined;

  const move = (touchpointId: string, to: Cell, how: "drag" | "keys") => {
    const from = cellOf(design, touchpointId);
    if (!edit || (from?.stageId === to.stageId && from.channel === to.channel)) return;
    const title = stages.flatMap((s) => s.touchpoints).find((tp) => tp.id === touchpointId)?.title ?? "";
    if (edit((d) => moveToCell(d, touchpointId, to))) {
      setAnnouncement(`Moved “${title}” to ${stageName(to.stageId)}, ${channelLabels[to.channel]}.`);
      if (how === "keys") setFocusId(moveHandleId(touchpointId));
    }
  };
  const moveByKey = (touchpointId: string, direction: Direction) => {
    const to = neighbourCell(design, touchpointId, direction);
    if (to) move(touchpointId, to, "keys");
    else setAnnouncement("It cannot move further that way.");
  };

  // What every row of stages shows: the stages with their checks, measures and comments.
  const rowProps = { stages, checks, overlay, onComment, commentCounts };
  const width = ROW_HEADER_WIDTH + stages.length * STAGE_COLUMN_WIDTH + (canEdit ? ADD_COLUMN_WIDTH : 0);

  return (
    <div className="space-y-3">
      <EventNameList id={TOUCHPOINT_EVENTS_LIST} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <QuietHours
          value={design.quietHours}
          onChange={edit ? (value) => edit((d) => setQuietHours(d, value)) : undefined}
        />
        {canEdit && (
          <p id={MOVE_HINT_ID} data-picture="skip" className="text-xs text-slate-500">
            Drag a touchpoint to another cell, or focus its ⠿ handle and use the arrow keys: left and right
            change the stage, up and down the channel.
          </p>
        )}
      </div>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {/* The grid scrolls inside its own frame, no taller than the screen, so its sideways scrollbar is
          always in view and the stage headers (sticky) stay above the rows however far they scroll. */}
      <ScrollBox
        label="Journey grid"
        className="max-h-[calc(100dvh-4rem)] overflow-auto overscroll-x-contain rounded-lg border border-slate-200 bg-white print:max-h-none print:overflow-visible"
      >
        <table className="table-fixed border-separate border-spacing-0 text-sm" style={{ width }}>
          <caption className="sr-only">
            The journey as a grid: a column per stage; rows for the goal, the customer&apos;s side and one per
            channel with its touchpoints
          </caption>
          <colgroup>
            <col style={{ width: ROW_HEADER_WIDTH }} />
            {stages.map((stage) => (
              <col key={stage.id} style={{ width: STAGE_COLUMN_WIDTH }} />
            ))}
            {canEdit && <col style={{ width: ADD_COLUMN_WIDTH }} />}
          </colgroup>
          <thead>
            <StageHeaderRow
              {...rowProps}
              edit={edit}
              patchStage={patchStage}
              onRemove={setRemoving}
              announce={setAnnouncement}
              focusAfterRender={setFocusId}
            />
          </thead>
          <tbody>
            <StapleRows stages={stages} patchStage={patchStage} />
            {channels.map((channel) => (
              <ChannelRow
                key={channel}
                {...rowProps}
                channel={channel}
                canEdit={canEdit}
                dropCell={dropCell}
                setDropCell={setDropCell}
                onDropTouchpoint={(id, to) => move(id, to, "drag")}
                onMoveByKey={moveByKey}
                onOpen={setForm}
              />
            ))}
          </tbody>
        </table>
      </ScrollBox>

      <TouchpointDialog
        form={form}
        stages={stages}
        edit={edit}
        onClose={() => setForm(null)}
        announce={setAnnouncement}
        focusAfterRender={setFocusId}
      />

      <RemoveStageDialog
        stage={removing}
        onRemove={(stage) => {
          if (edit && edit((d) => removeStage(d, stage.id))) {
            setAnnouncement(`Removed the stage “${stage.name}”.`);
          }
        }}
        onClose={() => setRemoving(null)}
      />
    </div>
  );
}
