import { cx } from "~/app/_components/ui";
import { rfmGroups } from "~/server/value/rfm";
import type { RfmGroup } from "~/server/valuation/types";

// The eight RFM groups as people read them: a name, one line on who is in it
// (the rules are in server/value/rfm.ts), and a colour for the portfolio bars.
// The colours are Okabe & Ito's, distinct with the common colour-vision
// deficiencies; the name is always written beside them.

export { rfmGroups };

export const rfmGroupInfo: Record<RfmGroup, { label: string; description: string; color: string }> = {
  champions: {
    label: "Champions",
    description: "Bought recently, buy often and spend the most.",
    color: "#0072B2",
  },
  loyal: {
    label: "Loyal",
    description: "Buy regularly and spend well, and bought fairly recently.",
    color: "#56B4E9",
  },
  "potential loyalist": {
    label: "Potential loyalists",
    description: "Bought recently but not yet often or much: could become loyal.",
    color: "#009E73",
  },
  new: {
    label: "New",
    description: "Bought for the first time very recently, once or for little.",
    color: "#F0E442",
  },
  "at risk": {
    label: "At risk",
    description: "Used to buy often and spend well, but not for a while.",
    color: "#E69F00",
  },
  "cannot lose": {
    label: "Cannot lose",
    description: "Among the most frequent and biggest spenders, but gone quiet for a long time.",
    color: "#D55E00",
  },
  hibernating: {
    label: "Hibernating",
    description: "Bought rarely and for little, and not for a while.",
    color: "#CC79A7",
  },
  lost: {
    label: "Lost",
    description: "Bought rarely and for little, and the longest ago.",
    color: "#6B6B6B",
  },
};

/** A small pill with the group's colour as a dot and its name. */
export function RfmBadge({ group, className }: { group: RfmGroup; className?: string }) {
  const info = rfmGroupInfo[group];
  return (
    <span
      title={info.description}
      className={cx(
        "inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-slate-800",
        className,
      )}
    >
      <span aria-hidden="true" className="h-2 w-2 rounded-full" style={{ backgroundColor: info.color }} />
      {info.label}
    </span>
  );
}
