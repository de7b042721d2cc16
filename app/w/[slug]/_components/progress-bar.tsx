import { cx } from "~/app/_components/ui";

/** A labelled progress bar; `value` of `max`, or indeterminate when value is undefined. */
export function ProgressBar({
  label,
  value,
  max,
  text,
  tone = "brand",
}: {
  label: string;
  value?: number;
  max: number;
  /** What the bar means in words ("45% — 31,000 rows read"). */
  text?: string;
  tone?: "brand" | "done" | "muted" | "error";
}) {
  const percent =
    value === undefined || max <= 0 ? undefined : Math.min(100, Math.round((value / max) * 100));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={text ?? (percent === undefined ? undefined : `${percent}%`)}
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={cx(
          "h-full rounded-full transition-[width] duration-500",
          tone === "brand" && "bg-brand-600",
          tone === "done" && "bg-emerald-600",
          tone === "muted" && "bg-slate-400",
          tone === "error" && "bg-red-600",
          percent === undefined && "w-1/3 animate-pulse",
        )}
        style={percent === undefined ? undefined : { width: `${percent}%` }}
      />
    </div>
  );
}
