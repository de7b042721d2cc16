"use client";

import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { AppRouter } from "~/server/root";
import { ChannelBadge, formatCount, formatMoney, identityKindLabels } from "./channels";
import { formatDate, formatDateTime, relativeTime } from "./dates";
import { formatPercent } from "./format";
import { RfmBadge } from "./rfm-groups";

export type CustomerListRow = inferRouterOutputs<AppRouter>["customer"]["list"]["customers"][number];

/**
 * One customer in the list; the whole row opens the profile, its name is the
 * link for the keyboard. `onOpen` runs first (it drops a search still waiting
 * to reach the URL, which would otherwise bring the list back).
 */
export function CustomerRow({
  customer,
  href,
  onOpen,
}: {
  customer: CustomerListRow;
  href: string;
  onOpen: () => void;
}) {
  const router = useRouter();
  return (
    <tr
      className="cursor-pointer align-top hover:bg-slate-50"
      onClick={(event) => {
        onOpen();
        if ((event.target as HTMLElement).closest("a")) return;
        router.push(href);
      }}
    >
      <td className="py-3 pr-4 pl-4 sm:pl-0">
        <Link href={href} className="hover:text-brand-700 font-medium text-slate-900 hover:underline">
          {customer.name || (customer.email ? customer.email : "Unnamed profile")}
        </Link>
        {!customer.name && !customer.email && customer.identifier && (
          <span className="block max-w-56 truncate text-xs text-slate-500" title={customer.identifier.value}>
            {identityKindLabels[customer.identifier.kind]}: {customer.identifier.value}
          </span>
        )}
      </td>
      <td className="py-3 pr-4 text-slate-700">
        {/* Table cells ignore min-width; a block inside them does not. */}
        <div className="min-w-48 [overflow-wrap:anywhere]">
          {customer.email ?? <span className="text-slate-500">—</span>}
          {customer.phone && <span className="block text-xs text-slate-500">{customer.phone}</span>}
        </div>
      </td>
      <td className="py-3 pr-4">
        {customer.channels.length > 0 ? (
          <ul className="flex max-w-56 flex-wrap gap-1" aria-label="Channels used">
            {customer.channels.map((channel) => (
              <li key={channel}>
                <ChannelBadge channel={channel} />
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </td>
      <td className="py-3 pr-4 text-right tabular-nums">{formatCount(customer.eventCount)}</td>
      <td className="py-3 pr-4 text-right whitespace-nowrap tabular-nums">
        {formatMoney(customer.totalSpend)}
        <span className="block text-xs text-slate-500">
          {customer.purchaseCount} {customer.purchaseCount === 1 ? "purchase" : "purchases"}
        </span>
      </td>
      <td className="py-3 pr-4 text-right whitespace-nowrap tabular-nums">
        {customer.clv === null ? <span className="text-slate-500">—</span> : formatMoney(customer.clv)}
        {customer.rfmGroup && (
          <span className="mt-1 block">
            <RfmBadge group={customer.rfmGroup} />
          </span>
        )}
      </td>
      <td className="py-3 pr-4 text-right tabular-nums">
        {customer.pAlive === null ? (
          <span className="text-slate-500">—</span>
        ) : (
          formatPercent(customer.pAlive)
        )}
      </td>
      <td className="py-3 pr-4 whitespace-nowrap sm:pr-0">
        {customer.lastSeenAt ? (
          <>
            <time dateTime={customer.lastSeenAt.toISOString()} title={formatDateTime(customer.lastSeenAt)}>
              {relativeTime(customer.lastSeenAt)}
            </time>
            <span className="block text-xs text-slate-500">{formatDate(customer.lastSeenAt)}</span>
          </>
        ) : (
          <span className="text-slate-500">Never</span>
        )}
      </td>
    </tr>
  );
}
