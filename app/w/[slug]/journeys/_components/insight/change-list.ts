import { fieldLabels, type ChangeKind, type ChangedItem, type DesignChange } from "~/server/journeys/diff";

// The diff between two designs as the history shows it: grouped by kind, each
// change one line a person reads ("Touchpoint “Welcome email” in Discover —
// delay: 1 day → 2 days").

export const changeKinds: { kind: ChangeKind; title: string }[] = [
  { kind: "added", title: "Added" },
  { kind: "removed", title: "Removed" },
  { kind: "changed", title: "Changed" },
  { kind: "moved", title: "Moved" },
];

const itemNames: Record<ChangedItem, string> = {
  journey: "Journey",
  stage: "Stage",
  touchpoint: "Touchpoint",
  branch: "Branch",
  exit: "Exit",
  arrow: "Arrow",
};

export interface ChangeGroup {
  kind: ChangeKind;
  title: string;
  changes: DesignChange[];
}

/** The changes grouped by kind in a fixed order (added, removed, changed, moved); empty groups are left out. */
export function groupChanges(changes: readonly DesignChange[]): ChangeGroup[] {
  return changeKinds
    .map(({ kind, title }) => ({ kind, title, changes: changes.filter((c) => c.kind === kind) }))
    .filter((group) => group.changes.length > 0);
}

/** What changed ("Touchpoint “Welcome email” in Discover") and how ("delay: 1 day → 2 days"), if it says. */
export function describeChange(change: DesignChange): { subject: string; detail: string | null } {
  const name = change.item === "journey" ? itemNames.journey : `${itemNames[change.item]} “${change.label}”`;
  const subject = change.stageName && change.item === "touchpoint" ? `${name} in ${change.stageName}` : name;
  if (!change.field) return { subject, detail: null };
  const field = fieldLabels[change.field] ?? change.field;
  if (change.before === undefined && change.after === undefined) return { subject, detail: field };
  return { subject, detail: `${field}: ${change.before ?? "none"} → ${change.after ?? "none"}` };
}

/** "3 changes: 1 added, 2 changed" — the diff in one sentence, for a summary line. */
export function summarizeChanges(changes: readonly DesignChange[]): string {
  if (changes.length === 0) return "No changes.";
  const parts = groupChanges(changes).map((g) => `${g.changes.length} ${g.kind}`);
  return `${changes.length} ${changes.length === 1 ? "change" : "changes"}: ${parts.join(", ")}.`;
}
