import type { DesignCheck } from "~/server/journeys/checks";
import { CheckMarkers } from "../checks";

/** Below a stage header or a touchpoint card: its checks, and its comments when they can be opened. */
export function ItemFooter({
  checks,
  comments,
  onComment,
  subject,
}: {
  checks: readonly DesignCheck[];
  /** Open comments. */
  comments: number;
  onComment?: () => void;
  /** What the comments are about, for the button's accessible name: "the stage Buy". */
  subject: string;
}) {
  return (
    <>
      {checks.length > 0 && (
        <div className="mt-1.5">
          <CheckMarkers checks={checks} />
        </div>
      )}
      {onComment && (
        <button
          type="button"
          data-picture="skip"
          onClick={onComment}
          className="text-brand-700 mt-1 text-xs hover:underline"
          aria-label={`Comments on ${subject}${comments > 0 ? ` (${comments} open)` : ""}`}
        >
          Comments{comments > 0 && ` (${comments})`}
        </button>
      )}
    </>
  );
}
