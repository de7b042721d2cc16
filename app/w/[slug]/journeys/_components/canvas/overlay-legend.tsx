import { conversionColour } from "./flow-model";

/** How to read the analytics drawn on the arrows: thickness for customers, colour for conversion. */
export function OverlayLegend() {
  const steps = [0.1, 0.35, 0.6, 0.85];
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600">
      <span>Arrows between stages: thickness shows how many customers went on, colour their conversion.</span>
      <span className="flex items-center gap-1" aria-hidden="true">
        {steps.map((s) => (
          <span key={s} className="h-2 w-6 rounded" style={{ backgroundColor: conversionColour(s) }} />
        ))}
      </span>
      <span>low → high</span>
    </div>
  );
}
