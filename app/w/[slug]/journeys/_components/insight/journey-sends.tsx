"use client";

import { DataTable, SectionCard } from "~/app/_components/ui";
import type { JourneyDesign } from "~/server/journeys/design";
import type { TouchpointSends } from "~/server/journeys/run/sends";
import { formatCount, formatPercent } from "../../../_components/format";
import { sentVariantLabel, touchpointTitle } from "../run/node-label";

/** "31% (62)": a share of the customers sent a touchpoint, with the count. */
function ofCustomers(n: number, customers: number) {
  return customers === 0 ? "—" : `${formatPercent(n / customers)} (${formatCount(n)})`;
}

/**
 * What the running journey itself sent in the window, per touchpoint and A/B
 * variant, and what the customers it reached did next: the funnel above counts
 * the segment's behaviour, this counts the journey's own messages.
 */
export function JourneySends({ rows, design }: { rows: TouchpointSends[]; design: JourneyDesign }) {
  return (
    <SectionCard
      id="journey-sends"
      title="Sent by the journey"
      description="The journey's own messages in the window, per touchpoint and A/B variant. Reacted: the customers sent it who then did its action event (or, without one, opened or clicked it). Converted: who then reached the journey's final goal. Each customer counts once per touchpoint."
    >
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">The journey sent nothing in this window.</p>
      ) : (
        <DataTable
          caption="Messages the journey sent per touchpoint and variant, and what their customers did next"
          columns={[
            { label: "Touchpoint" },
            { label: "Variant" },
            { label: "Sent", align: "right" },
            { label: "Waiting", align: "right" },
            { label: "Failed", align: "right" },
            { label: "Customers", align: "right" },
            { label: "Reacted", align: "right" },
            { label: "Converted", align: "right" },
          ]}
        >
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.touchpointId} ${row.variant}`} className="border-b border-slate-100">
                <td className="py-2 pr-4 pl-4 sm:pl-0">{touchpointTitle(design, row.touchpointId)}</td>
                <td className="py-2 pr-4">{row.variant ? sentVariantLabel(design, row.variant) : "—"}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatCount(row.sent)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatCount(row.queued)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatCount(row.failed)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatCount(row.customers)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {ofCustomers(row.reacted, row.customers)}
                </td>
                <td className="py-2 text-right tabular-nums sm:pr-0">
                  {ofCustomers(row.converted, row.customers)}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </SectionCard>
  );
}
