"use client";

import { cx } from "~/app/_components/ui";
import type { DesignCheck } from "~/server/journeys/checks";
import type { Touchpoint } from "~/server/journeys/design";
import { channelLabels, channelStyles, formatCount } from "../../../_components/channels";
import { formatPercent } from "../../../_components/format";
import { targetElementId } from "../checks";
import { ItemFooter } from "./item-footer";
import { deliveredShare, describeSends, type SendsOverlay, type TouchpointOverlay } from "../overlay";
import { describeCap, describeTiming, ownerTeamLabels } from "./describe";
import type { Direction } from "./moves";
import { ShareBar } from "./share-bar";

export const TOUCHPOINT_DRAG_TYPE = "application/x-centric-touchpoint";
export const MOVE_HINT_ID = "journey-grid-move-hint";

const arrowDirections: Record<string, Direction> = {
  ArrowLeft: "left",
  ArrowRight: "right",
  ArrowUp: "up",
  ArrowDown: "down",
};

export function moveHandleId(touchpointId: string) {
  return `journey-tp-move-${touchpointId}`;
}

/**
 * A touchpoint in its grid cell: title, timing, owner, cap, its checks and,
 * with the analytics on, how many acted on its channel. Editors drag it by the
 * card, or move it with the arrow keys on its handle.
 */
export function TouchpointCard({
  touchpoint,
  checks,
  overlay,
  sends,
  canEdit,
  onOpen,
  onMove,
  onComment,
  comments,
}: {
  touchpoint: Touchpoint;
  checks: readonly DesignCheck[];
  /** undefined: no analytics shown; null: not measurable. */
  overlay: TouchpointOverlay | null | undefined;
  /** What the running journey sent of it in the analytics window, when it sent any. */
  sends?: SendsOverlay;
  canEdit: boolean;
  onOpen: () => void;
  onMove: (direction: Direction) => void;
  onComment?: () => void;
  /** Open comments on it. */
  comments: number;
}) {
  const styles = channelStyles[touchpoint.channel];
  return (
    <article
      aria-labelledby={targetElementId({ type: "touchpoint", touchpointId: touchpoint.id })}
      draggable={canEdit}
      onDragStart={(event) => {
        event.dataTransfer.setData(TOUCHPOINT_DRAG_TYPE, touchpoint.id);
        event.dataTransfer.effectAllowed = "move";
      }}
      className={cx(
        "group rounded-md border border-l-4 border-slate-200 bg-white p-2 text-xs shadow-sm",
        styles.strip,
        canEdit && "cursor-grab active:cursor-grabbing",
      )}
    >
      <div className="flex items-start gap-1">
        <button
          type="button"
          id={targetElementId({ type: "touchpoint", touchpointId: touchpoint.id })}
          onClick={onOpen}
          className="focus-visible:outline-brand-600 min-w-0 flex-1 rounded text-left text-sm font-medium text-slate-900 hover:underline focus-visible:outline-2"
        >
          {touchpoint.title}
          <span className="sr-only">, {channelLabels[touchpoint.channel]}</span>
        </button>
        {canEdit && (
          <button
            type="button"
            id={moveHandleId(touchpoint.id)}
            data-picture="skip"
            aria-label={`Move “${touchpoint.title}”`}
            aria-describedby={MOVE_HINT_ID}
            title="Drag the card, or use the arrow keys here to move it"
            onKeyDown={(event) => {
              const direction = arrowDirections[event.key];
              if (!direction) return;
              event.preventDefault();
              onMove(direction);
            }}
            className="focus-visible:outline-brand-600 shrink-0 cursor-grab rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2"
          >
            <span aria-hidden="true">⠿</span>
          </button>
        )}
      </div>
      <p className="mt-1 text-slate-600">{describeTiming(touchpoint)}</p>
      <div className="mt-1.5 flex flex-wrap items-center gap-1">
        <span className="rounded-full bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700">
          <span className="sr-only">Owner: </span>
          {ownerTeamLabels[touchpoint.ownerTeam]}
        </span>
        {touchpoint.frequencyCap && (
          <span className="rounded-full bg-slate-100 px-1.5 py-0.5 text-slate-700">
            {describeCap(touchpoint.frequencyCap)}
          </span>
        )}
        {!touchpoint.respectQuietHours && (
          <span className="rounded-full bg-slate-100 px-1.5 py-0.5 text-slate-700">Ignores quiet hours</span>
        )}
        {touchpoint.bestChannel && (
          <span className="rounded-full bg-slate-100 px-1.5 py-0.5 text-slate-700">Best channel</span>
        )}
        {touchpoint.sendAtBestHour && (
          <span className="rounded-full bg-slate-100 px-1.5 py-0.5 text-slate-700">Best hour</span>
        )}
      </div>
      {overlay !== undefined && (
        <p className="text-brand-700 mt-1.5 font-medium" data-testid="touchpoint-overlay">
          {overlay === null ? (
            "Not measurable: no goal or action event"
          ) : overlay.measure === "delivery" ? (
            <>
              {`Delivered or opened: ${formatCount(overlay.acted)} of ${formatCount(overlay.reachedStage ?? 0)} at this stage`}
              {deliveredShare(overlay) !== null && <ShareBar share={deliveredShare(overlay)!} />}
            </>
          ) : overlay.acted === 0 ? (
            "Nobody acted yet"
          ) : (
            <>
              {`${formatPercent(overlay.onDesignedChannel / overlay.acted)} of ${formatCount(overlay.acted)} acted on ${channelLabels[touchpoint.channel]}`}
              <ShareBar share={overlay.onDesignedChannel / overlay.acted} />
            </>
          )}
        </p>
      )}
      {sends && (
        <p className="mt-1 text-slate-700" data-testid="touchpoint-sends">
          {describeSends(sends)}
        </p>
      )}
      <ItemFooter
        checks={checks}
        comments={comments}
        onComment={onComment}
        subject={`“${touchpoint.title}”`}
      />
    </article>
  );
}
