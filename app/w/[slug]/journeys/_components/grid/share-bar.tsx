/** A thin bar for a share (0-1) beside the figure that states it: the map's scale, at a glance. */
export function ShareBar({ share }: { share: number }) {
  return (
    <span aria-hidden="true" className="mt-1 block h-1.5 w-full overflow-hidden rounded-full bg-slate-200">
      <span
        className="bg-brand-600 block h-full rounded-full"
        style={{ width: `${Math.max(2, Math.min(1, share) * 100)}%` }}
      />
    </span>
  );
}
