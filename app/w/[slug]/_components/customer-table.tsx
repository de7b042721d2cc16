"use client";

import { DataTable } from "~/app/_components/ui";
import { CustomerRow, type CustomerListRow } from "./customer-row";

/** The customers found, one row each; `stale` dims the rows of the previous filters while the new ones load. */
export function CustomerTable({
  rows,
  caption,
  busy,
  stale,
  customerHref,
  onOpen,
}: {
  rows: CustomerListRow[];
  caption: string;
  busy: boolean;
  stale: boolean;
  customerHref: (id: string) => string;
  onOpen: () => void;
}) {
  return (
    <DataTable
      caption={caption}
      aria-busy={busy}
      columns={[
        { label: "Name" },
        { label: "Email" },
        { label: "Channels" },
        { label: "Events", align: "right" },
        { label: "Spend", align: "right" },
        { label: "Predicted value", align: "right" },
        { label: "P(alive)", align: "right" },
        { label: "Last seen" },
      ]}
    >
      <tbody className={stale ? "divide-y divide-slate-100 opacity-60" : "divide-y divide-slate-100"}>
        {rows.map((customer) => (
          <CustomerRow
            key={customer.id}
            customer={customer}
            href={customerHref(customer.id)}
            onOpen={onOpen}
          />
        ))}
      </tbody>
    </DataTable>
  );
}
