import { cx } from "~/app/_components/ui";
import type { Agreement } from "~/server/maturity/scoring";

export function StatusBadge({ status }: { status: "open" | "final" }) {
  return (
    <span
      className={cx(
        "inline-flex rounded-full px-2 py-0.5 text-xs font-medium",
        status === "final" ? "bg-emerald-100 text-emerald-800" : "bg-amber-100 text-amber-900",
      )}
    >
      {status === "final" ? "Final" : "Open"}
    </span>
  );
}

const agreementStyles: Record<Agreement, string> = {
  agree: "bg-emerald-100 text-emerald-800",
  close: "bg-sky-100 text-sky-900",
  disagree: "bg-red-100 text-red-800",
};

/** The assessors' agreement on a dimension, in words (never colour alone). */
export function AgreementBadge({ agreement }: { agreement: Agreement }) {
  return (
    <span
      className={cx("inline-flex rounded-full px-2 py-0.5 text-xs font-medium", agreementStyles[agreement])}
    >
      {agreement}
    </span>
  );
}

/** A 0-100 index with one decimal, or a dash. */
export function formatIndex(index: number | null): string {
  return index === null
    ? "—"
    : index.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}
