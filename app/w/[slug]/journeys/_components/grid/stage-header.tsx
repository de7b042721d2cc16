"use client";

import type { DesignCheck } from "~/server/journeys/checks";
import type { Stage } from "~/server/journeys/design";
import { formatCount } from "../../../_components/channels";
import { formatPercent } from "../../../_components/format";
import { targetElementId } from "../checks";
import { ItemFooter } from "./item-footer";
import type { StageOverlay, TransitionOverlay } from "../overlay";
import { ShareBar } from "./share-bar";
import { stickyTopClass } from "./grid-layout";
import { CommitInput } from "./stage-fields";

export function stageNameInputId(stageId: string) {
  return `stage-name-${stageId}`;
}

const iconButton =
  "rounded px-1.5 py-0.5 text-slate-500 hover:bg-slate-200 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:invisible";

/** A stage's column header: its name, moves and removal for editors, its checks and, with analytics on, its counts. */
export function StageHeader({
  stage,
  index,
  count,
  checks,
  overlay,
  transition,
  onRename,
  onMove,
  onRemove,
  onComment,
  comments,
}: {
  stage: Stage;
  index: number;
  count: number;
  checks: readonly DesignCheck[];
  /** undefined: no analytics shown; null: no figures for this stage. */
  overlay: StageOverlay | null | undefined;
  transition: TransitionOverlay | undefined;
  onRename?: (name: string) => void;
  onMove?: (toIndex: number) => void;
  onRemove?: () => void;
  onComment?: () => void;
  /** Open comments on it. */
  comments: number;
}) {
  return (
    <th
      scope="col"
      id={targetElementId({ type: "stage", stageId: stage.id })}
      tabIndex={-1}
      className={`${stickyTopClass} focus:outline-brand-600 border-r border-b border-slate-200 bg-slate-50 px-3 py-2 text-left align-top font-normal focus:outline-2 focus:-outline-offset-2`}
    >
      <div className="flex items-center gap-1">
        <span className="shrink-0 text-xs font-medium text-slate-400 tabular-nums">{index + 1}</span>
        {onRename ? (
          <CommitInput
            id={stageNameInputId(stage.id)}
            label={`Name of stage ${index + 1}`}
            value={stage.name}
            maxLength={80}
            onCommit={onRename}
            className="focus:border-brand-500 focus:ring-brand-500 block w-full min-w-0 rounded-md border border-transparent bg-transparent px-1.5 py-1 font-semibold text-slate-900 hover:border-slate-300 focus:bg-white focus:ring-1 focus:outline-none"
          />
        ) : (
          <span className="font-semibold text-slate-900">{stage.name}</span>
        )}
      </div>
      {(onMove || onRemove) && (
        <div data-picture="skip" className="mt-1 flex items-center gap-0.5 text-xs">
          {onMove && (
            <>
              <button
                type="button"
                className={iconButton}
                aria-label={`Move ${stage.name} left`}
                disabled={index === 0}
                onClick={() => onMove(index - 1)}
              >
                <span aria-hidden="true">←</span>
              </button>
              <button
                type="button"
                className={iconButton}
                aria-label={`Move ${stage.name} right`}
                disabled={index === count - 1}
                onClick={() => onMove(index + 1)}
              >
                <span aria-hidden="true">→</span>
              </button>
            </>
          )}
          {onRemove && (
            <button
              type="button"
              className={`${iconButton} ml-auto hover:text-red-700`}
              aria-label={`Remove stage ${stage.name}`}
              disabled={count === 1}
              onClick={onRemove}
            >
              Remove
            </button>
          )}
        </div>
      )}
      {overlay !== undefined && (
        <p className="text-brand-700 mt-1 text-xs font-medium" data-testid="stage-overlay">
          {overlay === null || overlay.reached === null
            ? "No goal to count"
            : `Reached: ${formatCount(overlay.reached)}${overlay.share === null ? "" : ` (${formatPercent(overlay.share)})`}`}
          {overlay?.share != null && <ShareBar share={overlay.share} />}
          {transition && transition.conversion !== null && (
            <span className="block font-normal text-slate-600">
              {formatPercent(transition.conversion)} came on from the stage before
            </span>
          )}
        </p>
      )}
      <ItemFooter
        checks={checks}
        comments={comments}
        onComment={onComment}
        subject={`the stage ${stage.name}`}
      />
    </th>
  );
}
