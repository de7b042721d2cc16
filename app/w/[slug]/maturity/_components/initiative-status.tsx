import type { InitiativeStatus } from "~/db/enums";
import { cx } from "~/app/_components/ui";

/** In the order of the work: the options of a status picker. */
export const initiativeStatuses: InitiativeStatus[] = ["planned", "in_progress", "blocked", "done"];

export const statusLabels: Record<InitiativeStatus, string> = {
  planned: "Planned",
  in_progress: "In progress",
  blocked: "Blocked",
  done: "Done",
};

/** The order in which statuses are grouped: what needs attention first. */
export const statusOrder: InitiativeStatus[] = ["blocked", "in_progress", "planned", "done"];

const styles: Record<InitiativeStatus, string> = {
  planned: "bg-slate-100 text-slate-700",
  in_progress: "bg-brand-100 text-brand-700",
  blocked: "bg-red-100 text-red-800",
  done: "bg-emerald-100 text-emerald-800",
};

/** The status in words, coloured only as an aid. */
export function StatusBadge({ status }: { status: InitiativeStatus }) {
  return (
    <span
      className={cx(
        "inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap",
        styles[status],
      )}
    >
      {statusLabels[status]}
    </span>
  );
}

/** "Overdue" beside a date that has passed. */
export function OverdueBadge() {
  return (
    <span className="inline-flex rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-amber-900">
      Overdue
    </span>
  );
}
