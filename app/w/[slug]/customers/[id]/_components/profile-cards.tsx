import { UndoMergeButton } from "./merge-actions";
import Link from "next/link";
import { SectionCard, cx } from "~/app/_components/ui";
import type { getCustomer } from "~/server/customers/queries";
import { formatDate, formatDateTime } from "../../../_components/dates";
import {
  channelLabels,
  channelStyles,
  formatCount,
  formatMoney,
  identityKindLabels,
} from "../../../_components/channels";

// The cards beside the timeline. Server components: they only show what the
// page loaded. Every value from the data is rendered as text.

export type CustomerProfile = Extract<Awaited<ReturnType<typeof getCustomer>>, { mergedInto: null }>;

export function displayName(profile: { name: string | null; email: string | null }) {
  return profile.name || profile.email || "Unnamed profile";
}

/** A trait value as one line of text: strings as they are, anything else as JSON. */
function traitText(value: unknown) {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "—";
  return JSON.stringify(value);
}

export function ChannelMixCard({ mix }: { mix: CustomerProfile["channelMix"] }) {
  return (
    <SectionCard id="channel-mix" title="Channel mix" description="Where this customer's events came from.">
      {mix.length === 0 ? (
        <p className="text-sm text-slate-500">No events yet.</p>
      ) : (
        <ul className="space-y-3">
          {mix.map((entry) => {
            const percent = Math.round(entry.share * 100);
            return (
              <li key={entry.channel}>
                <div className="flex items-baseline justify-between gap-2 text-sm">
                  <span className="font-medium text-slate-800">{channelLabels[entry.channel]}</span>
                  <span className="text-slate-600 tabular-nums">
                    {formatCount(entry.count)} {entry.count === 1 ? "event" : "events"} · {percent}%
                  </span>
                </div>
                <div aria-hidden="true" className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100">
                  <div
                    className={cx("h-full rounded-full", channelStyles[entry.channel].bar)}
                    style={{ width: `${Math.max(entry.share * 100, 1)}%` }}
                  />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </SectionCard>
  );
}

export function SpendCard({ spend }: { spend: CustomerProfile["spend"] }) {
  const items: [string, string][] = [
    ["Purchases", formatCount(spend.purchases)],
    ["Total spend", formatMoney(spend.total)],
    ["Average order", spend.averageOrder === null ? "—" : formatMoney(spend.averageOrder)],
    ["First purchase", spend.firstPurchaseAt ? formatDate(spend.firstPurchaseAt) : "—"],
    ["Last purchase", spend.lastPurchaseAt ? formatDate(spend.lastPurchaseAt) : "—"],
  ];
  return (
    <SectionCard id="spend" title="Spend">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt className="text-slate-500">{label}</dt>
            <dd className="font-medium text-slate-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </SectionCard>
  );
}

export function TraitsCard({ traits }: { traits: Record<string, unknown> }) {
  const entries = Object.entries(traits).sort(([a], [b]) => a.localeCompare(b));
  return (
    <SectionCard
      id="traits"
      title="Traits"
      description="What identify calls and imports said about this customer."
    >
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">No traits yet.</p>
      ) : (
        <dl className="divide-y divide-slate-100 text-sm">
          {entries.map(([key, value]) => (
            <div key={key} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-3 py-1.5">
              <dt className="break-words text-slate-500">{key}</dt>
              <dd className="break-words text-slate-900">{traitText(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </SectionCard>
  );
}

export function IdentitiesCard({
  identities,
  total,
}: {
  identities: CustomerProfile["identities"];
  total: number;
}) {
  return (
    <SectionCard
      id="identities"
      title="Identities"
      description="The identifiers that resolve to this profile."
      aside={<span className="text-sm text-slate-500 tabular-nums">{formatCount(total)}</span>}
    >
      {identities.length === 0 ? (
        <p className="text-sm text-slate-500">No identifiers.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {identities.map((identity) => (
            <li key={`${identity.kind}:${identity.value}`} className="py-2 text-sm">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="text-xs font-medium tracking-wide text-slate-500 uppercase">
                  {identityKindLabels[identity.kind]}
                </span>
                {identity.fromMergedProfile && (
                  <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-600">
                    from a merged profile
                  </span>
                )}
              </div>
              <p className="font-mono text-[13px] [overflow-wrap:anywhere] text-slate-900">
                {identity.value}
              </p>
              <p className="text-xs text-slate-500">
                First seen {formatDateTime(identity.firstSeenAt)} · via{" "}
                <span className="[overflow-wrap:anywhere]">{identity.source}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
      {total > identities.length && (
        <p className="text-xs text-slate-500">
          Showing {formatCount(identities.length)} of {formatCount(total)} identifiers.
        </p>
      )}
    </SectionCard>
  );
}

const reasonLabels: Record<string, string> = {
  "shared identifier": "They shared an identifier",
  alias: "An alias call linked them",
  manual: "Merged by hand",
};

export function MergeHistoryCard({
  merges,
  slug,
  canEdit,
}: {
  merges: CustomerProfile["merges"];
  slug: string;
  canEdit: boolean;
}) {
  return (
    <SectionCard
      id="merges"
      title="Merge history"
      description="Profiles joined to this one, or this one to another."
    >
      {merges.length === 0 ? (
        <p className="text-sm text-slate-500">This profile has never been merged.</p>
      ) : (
        <ol className="space-y-3">
          {merges.map((merge) => {
            const otherLabel =
              merge.otherProfile.name ||
              merge.otherProfile.email ||
              `profile ${merge.otherProfile.id.slice(0, 8)}`;
            const other = (
              <Link
                href={`/w/${slug}/customers/${merge.otherProfile.id}`}
                className="text-brand-700 font-medium underline"
              >
                {otherLabel}
              </Link>
            );
            return (
              <li
                key={merge.id}
                className={cx(
                  "rounded-md border border-slate-200 p-3 text-sm",
                  merge.undone && "bg-slate-50",
                )}
              >
                <p className="text-slate-900">
                  {merge.direction === "absorbed" ? <>Took in {other}</> : <>Was merged into {other}</>}
                </p>
                <p className="mt-1 text-slate-600">
                  {reasonLabels[merge.reason] ?? merge.reason}
                  {merge.identityKind && merge.identityValue && (
                    <>
                      {" "}
                      ({identityKindLabels[merge.identityKind].toLowerCase()}{" "}
                      <span className="font-mono [overflow-wrap:anywhere]">{merge.identityValue}</span>)
                    </>
                  )}
                  {merge.actorName ? (
                    <>, by {merge.actorName}</>
                  ) : merge.messageId ? (
                    <>, by event {merge.messageId}</>
                  ) : null}
                </p>
                <p className="mt-1 text-xs text-slate-500">
                  <time dateTime={merge.createdAt.toISOString()}>{formatDateTime(merge.createdAt)}</time>
                  {merge.undone && merge.undoneAt && (
                    <>
                      {" · "}
                      <span className="font-medium text-amber-800">
                        Undone {formatDateTime(merge.undoneAt)}
                        {merge.undoneByName ? ` by ${merge.undoneByName}` : ""}
                      </span>
                    </>
                  )}
                </p>
                {canEdit && merge.direction === "absorbed" && !merge.undone && (
                  <UndoMergeButton mergeId={merge.id} otherLabel={otherLabel} />
                )}
              </li>
            );
          })}
        </ol>
      )}
    </SectionCard>
  );
}
