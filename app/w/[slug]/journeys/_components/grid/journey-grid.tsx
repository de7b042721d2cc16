"use client";

import { useEffect, useRef, useState } from "react";
import { Button, ScrollBox, cx } from "~/app/_components/ui";
import { channels, type Channel } from "~/db/enums";
import type { DesignCheck } from "~/server/journeys/checks";
import {
  MAX_STAGES,
  MAX_TOUCHPOINTS_PER_STAGE,
  type JourneyDesign,
  type Stage,
} from "~/server/journeys/design";
import {
  addStage,
  addTouchpoint,
  moveStage,
  removeStage,
  removeTouchpoint,
  setQuietHours,
  updateStage,
  updateTouchpoint,
  type StagePatch,
} from "~/server/journeys/edit";
import { ChannelBadge, channelLabels } from "../../../_components/channels";
import { checksFor } from "../checks";
import { Modal } from "../modal";
import type { JourneyOverlay } from "../overlay";
import { EmotionCurve } from "./emotion-curve";
import { cellOf, moveToCell, neighbourCell, type Cell, type Direction } from "./moves";
import { QuietHours } from "./quiet-hours";
import { GoalField, ListField, NoteField } from "./stage-fields";
import { StageHeader, stageNameInputId } from "./stage-header";
import { moveHandleId, MOVE_HINT_ID, TouchpointCard, TOUCHPOINT_DRAG_TYPE } from "./touchpoint-card";
import { EventNameList } from "../../../_components/event-name-list";
import { blankTouchpoint, TOUCHPOINT_EVENTS_LIST, TouchpointForm } from "./touchpoint-form";

/** Column widths in pixels: fixed, so the emotion curve's points sit over their columns. */
const ROW_HEADER_WIDTH = 150;
export const STAGE_COLUMN_WIDTH = 256;
const ADD_COLUMN_WIDTH = 140;
const MAX_LIST_ITEMS = 20;

export type CommentTarget =
  { kind: "journey" } | { kind: "stage"; id: string } | { kind: "touchpoint"; id: string };

/** The key of a stage's or touchpoint's entry in the open comment counts. */
export function commentKey(target: { kind: "stage" | "touchpoint"; id: string }) {
  return `${target.kind}:${target.id}`;
}

/** Applies an edit to the design; false when a rule refused it (the editor shows why). */
export type Edit = (change: (design: JourneyDesign) => JourneyDesign) => boolean;

type FormTarget = { kind: "new"; stageId: string; channel: Channel } | { kind: "edit"; touchpointId: string };

const rowHeaderClass =
  "sticky left-0 z-10 border-r border-b border-slate-200 bg-slate-50 px-3 py-2 text-left align-top text-xs font-semibold tracking-wide text-slate-600 uppercase";
const cellClass = "border-r border-b border-slate-200 px-3 py-2 align-top";

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
  // The element to focus once the edit that moved or made it has rendered.
  const focusAfterRender = useRef<string | null>(null);
  const setFocusId = (id: string) => {
    focusAfterRender.current = id;
  };
  useEffect(() => {
    if (!focusAfterRender.current) return;
    document.getElementById(focusAfterRender.current)?.focus();
    focusAfterRender.current = null;
  });

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

  const formStage =
    form?.kind === "new"
      ? stages.find((s) => s.id === form.stageId)
      : stages.find((s) => s.touchpoints.some((tp) => form?.kind === "edit" && tp.id === form.touchpointId));
  const formTouchpoint =
    form?.kind === "edit" ? formStage?.touchpoints.find((tp) => tp.id === form.touchpointId) : undefined;

  const width = ROW_HEADER_WIDTH + stages.length * STAGE_COLUMN_WIDTH + (canEdit ? ADD_COLUMN_WIDTH : 0);
  const extraCell = canEdit ? <td className="border-b border-slate-200 bg-slate-50/50" /> : null;

  const stapleRow = (label: string, render: (stage: Stage) => React.ReactNode) => (
    <tr>
      <th scope="row" className={rowHeaderClass}>
        {label}
      </th>
      {stages.map((stage) => (
        <td key={stage.id} className={cellClass}>
          {render(stage)}
        </td>
      ))}
      {extraCell}
    </tr>
  );

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
      <ScrollBox label="Journey grid" className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
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
            <tr>
              <th scope="col" className={cx(rowHeaderClass, "align-bottom")}>
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
                        ? overlay.transitions.find(
                            (t) => t.fromStageId === previous.id && t.toStageId === stage.id,
                          )
                        : undefined
                    }
                    onRename={patchStage ? (name) => patchStage(stage.id)({ name }) : undefined}
                    onMove={
                      edit
                        ? (to) => {
                            if (edit((d) => moveStage(d, stage.id, to))) {
                              setAnnouncement(`Moved the stage “${stage.name}” to column ${to + 1}.`);
                            }
                          }
                        : undefined
                    }
                    onRemove={edit ? () => setRemoving(stage) : undefined}
                    onComment={onComment ? () => onComment({ kind: "stage", id: stage.id }) : undefined}
                    comments={commentCounts?.get(commentKey({ kind: "stage", id: stage.id })) ?? 0}
                  />
                );
              })}
              {edit && (
                <th scope="col" className="border-b border-slate-200 bg-slate-50/50 px-3 py-2 align-top">
                  <span className="sr-only">New stage</span>
                  <Button
                    variant="secondary"
                    data-picture="skip"
                    className="w-full"
                    disabled={stages.length >= MAX_STAGES}
                    title={
                      stages.length >= MAX_STAGES ? `A journey has at most ${MAX_STAGES} stages` : undefined
                    }
                    onClick={() => {
                      let id = "";
                      const added = edit((d) => {
                        const next = addStage(d, "New stage");
                        id = next.stages[next.stages.length - 1]!.id;
                        return next;
                      });
                      if (added) setFocusId(stageNameInputId(id));
                    }}
                  >
                    + Add stage
                  </Button>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {stapleRow("Goal", (stage) => (
              <GoalField
                stageId={stage.id}
                stageName={stage.name}
                goal={stage.goal}
                onChange={patchStage ? (goal) => patchStage(stage.id)({ goal }) : undefined}
              />
            ))}
            {stapleRow("Customer goal", (stage) => (
              <NoteField
                id={`customer-goal-${stage.id}`}
                label={`Customer goal at ${stage.name}`}
                placeholder="What the customer wants here"
                value={stage.customerGoal}
                onChange={patchStage ? (customerGoal) => patchStage(stage.id)({ customerGoal }) : undefined}
              />
            ))}
            {stapleRow("Doing", (stage) => (
              <NoteField
                id={`doing-${stage.id}`}
                label={`What the customer does at ${stage.name}`}
                placeholder="What the customer does"
                value={stage.doing}
                onChange={patchStage ? (doing) => patchStage(stage.id)({ doing }) : undefined}
              />
            ))}
            {stapleRow("Thinking", (stage) => (
              <NoteField
                id={`thinking-${stage.id}`}
                label={`What the customer thinks at ${stage.name}`}
                placeholder="What the customer thinks"
                value={stage.thinking}
                onChange={patchStage ? (thinking) => patchStage(stage.id)({ thinking }) : undefined}
              />
            ))}
            <tr>
              <th scope="row" className={rowHeaderClass}>
                Emotion
              </th>
              <td colSpan={stages.length} className="border-r border-b border-slate-200 p-0 align-top">
                <EmotionCurve
                  stages={stages}
                  columnWidth={STAGE_COLUMN_WIDTH}
                  onChange={patchStage ? (stageId, emotion) => patchStage(stageId)({ emotion }) : undefined}
                />
              </td>
              {extraCell}
            </tr>
            {stapleRow("Pain points", (stage) => (
              <ListField
                id={`pain-${stage.id}`}
                noun="pain point"
                stageName={stage.name}
                items={stage.painPoints}
                max={MAX_LIST_ITEMS}
                onChange={patchStage ? (painPoints) => patchStage(stage.id)({ painPoints }) : undefined}
              />
            ))}
            {stapleRow("Opportunities", (stage) => (
              <ListField
                id={`opportunity-${stage.id}`}
                noun="opportunity"
                stageName={stage.name}
                items={stage.opportunities}
                max={MAX_LIST_ITEMS}
                onChange={patchStage ? (opportunities) => patchStage(stage.id)({ opportunities }) : undefined}
              />
            ))}
            {channels.map((channel) => (
              <tr key={channel}>
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
                        dropCell === key &&
                          "bg-brand-50 outline-brand-400 outline-2 -outline-offset-2 outline-dashed",
                      )}
                      onDragOver={(event) => {
                        if (!canEdit || !event.dataTransfer.types.includes(TOUCHPOINT_DRAG_TYPE)) return;
                        event.preventDefault();
                        event.dataTransfer.dropEffect = "move";
                        if (dropCell !== key) setDropCell(key);
                      }}
                      onDragLeave={(event) => {
                        if (!event.currentTarget.contains(event.relatedTarget as Node | null))
                          setDropCell(null);
                      }}
                      onDrop={(event) => {
                        setDropCell(null);
                        const id = event.dataTransfer.getData(TOUCHPOINT_DRAG_TYPE);
                        if (!id) return;
                        event.preventDefault();
                        move(id, { stageId: stage.id, channel }, "drag");
                      }}
                    >
                      <div className="space-y-2">
                        {here.map((touchpoint) => (
                          <TouchpointCard
                            key={touchpoint.id}
                            touchpoint={touchpoint}
                            checks={checksFor(checks, { type: "touchpoint", touchpointId: touchpoint.id })}
                            overlay={overlay ? (overlay.touchpoints[touchpoint.id] ?? null) : undefined}
                            canEdit={canEdit}
                            onOpen={() => setForm({ kind: "edit", touchpointId: touchpoint.id })}
                            onMove={(direction) => moveByKey(touchpoint.id, direction)}
                            onComment={
                              onComment
                                ? () => onComment({ kind: "touchpoint", id: touchpoint.id })
                                : undefined
                            }
                            comments={
                              commentCounts?.get(commentKey({ kind: "touchpoint", id: touchpoint.id })) ?? 0
                            }
                          />
                        ))}
                        {canEdit && (
                          <button
                            type="button"
                            data-picture="skip"
                            onClick={() => setForm({ kind: "new", stageId: stage.id, channel })}
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
                {extraCell}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>

      <Modal
        id="touchpoint-dialog"
        title={
          form?.kind === "new"
            ? `New ${channelLabels[form.channel]} touchpoint`
            : (formTouchpoint?.title ?? "Touchpoint")
        }
        open={Boolean(formStage && (form?.kind === "new" || formTouchpoint))}
        onClose={() => setForm(null)}
        wide
      >
        {formStage && form && (
          <TouchpointForm
            key={form.kind === "new" ? `new-${form.stageId}-${form.channel}` : form.touchpointId}
            initial={formTouchpoint ?? blankTouchpoint(form.kind === "new" ? form.channel : "email")}
            stageName={formStage.name}
            readOnly={!canEdit}
            onCancel={() => setForm(null)}
            onSave={(touchpoint) => {
              if (!edit) return;
              if (form.kind === "edit") {
                if (edit((d) => updateTouchpoint(d, form.touchpointId, touchpoint))) setForm(null);
                return;
              }
              let id = "";
              const added = edit((d) => {
                const result = addTouchpoint(d, form.stageId, touchpoint);
                id = result.touchpointId;
                return result.design;
              });
              if (added) {
                setForm(null);
                setAnnouncement(
                  `Added “${touchpoint.title}” to ${formStage.name}, ${channelLabels[touchpoint.channel]}.`,
                );
                setFocusId(`journey-tp-${id}`);
              }
            }}
            onRemove={
              edit && form.kind === "edit"
                ? () => {
                    if (edit((d) => removeTouchpoint(d, form.touchpointId))) {
                      setForm(null);
                      setAnnouncement(`Removed “${formTouchpoint?.title ?? ""}”.`);
                    }
                  }
                : undefined
            }
          />
        )}
      </Modal>

      <Modal
        id="remove-stage-dialog"
        title={`Remove the stage “${removing?.name ?? ""}”?`}
        description={
          removing && removing.touchpoints.length > 0
            ? `Its ${removing.touchpoints.length === 1 ? "touchpoint goes" : `${removing.touchpoints.length} touchpoints go`} with it, from the grid and the canvas.`
            : "It has no touchpoints."
        }
        open={removing !== null}
        onClose={() => setRemoving(null)}
      >
        <div className="flex gap-2">
          <Button
            variant="danger"
            autoFocus
            onClick={() => {
              if (removing && edit && edit((d) => removeStage(d, removing.id))) {
                setAnnouncement(`Removed the stage “${removing.name}”.`);
              }
              setRemoving(null);
            }}
          >
            Remove stage
          </Button>
          <Button variant="secondary" onClick={() => setRemoving(null)}>
            Keep it
          </Button>
        </div>
      </Modal>
    </div>
  );
}
