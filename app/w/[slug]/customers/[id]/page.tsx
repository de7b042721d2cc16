import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { cache } from "react";
import { Alert } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { formatDate, relativeTime } from "../../_components/dates";
import { foundOrNotFound, loadWorkspace } from "../../workspace";
import { formatCount, formatMoney, identityKindLabels } from "../../_components/channels";
import {
  ChannelMixCard,
  displayName,
  IdentitiesCard,
  MergeHistoryCard,
  SpendCard,
  TraitsCard,
} from "./_components/profile-cards";
import { BestChoicesCard } from "./_components/best-choices-card";
import { ConsentCard } from "./_components/consent-card";
import { MergeActions } from "./_components/merge-actions";
import { StandingCard, type StandingState } from "./_components/standing-card";
import { TimelineViews } from "./_components/timeline-views";
import { CustomerValueCard, type ValueCardState } from "./_components/value-card";
import { can } from "~/server/permissions";

interface Props {
  params: Promise<{ slug: string; id: string }>;
  searchParams: Promise<{ merged?: string | string[] }>;
}

/** The customer of the URL; 404 for an unknown id or one of another workspace. Once per request. */
const loadCustomer = cache(async (slug: string, id: string) => {
  const { workspace, api } = await loadWorkspace(slug);
  return foundOrNotFound(api.customer.get({ workspaceId: workspace.id, id }));
});

/** The customer's value from the latest fit, or why there is none; a failure here never breaks the page. */
async function loadValue(
  api: Awaited<ReturnType<typeof loadWorkspace>>["api"],
  workspaceId: string,
  customerId: string,
  purchaseCount: number,
): Promise<ValueCardState> {
  try {
    const value = await api.value.customer({ workspaceId, customerId });
    if (value) return { kind: "value", value };
    if (purchaseCount === 0) return { kind: "no-purchases" };
    const { current } = await api.value.overview({ workspaceId });
    return current ? { kind: "after-calibration", fit: current } : { kind: "no-fit" };
  } catch (error) {
    return { kind: "error", message: errorMessage(error) };
  }
}

/** The customer's segments and journey stages; a failure here never breaks the page. */
async function loadStanding(
  api: Awaited<ReturnType<typeof loadWorkspace>>["api"],
  workspaceId: string,
  customerId: string,
): Promise<StandingState> {
  try {
    return { kind: "memberships", memberships: await api.customer.memberships({ workspaceId, customerId }) };
  } catch (error) {
    return { kind: "error", message: errorMessage(error) };
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  const customer = await loadCustomer(slug, id);
  return { title: customer.mergedInto === null ? displayName(customer.profile) : "Customer" };
}

export default async function CustomerPage({ params, searchParams }: Props) {
  const { slug, id } = await params;
  const { merged } = await searchParams;
  const customer = await loadCustomer(slug, id);
  // A merged profile lives on in the one it joined.
  if (customer.mergedInto !== null) redirect(`/w/${slug}/customers/${customer.mergedInto}?merged=${id}`);

  const { profile } = customer;
  const { workspace, api } = await loadWorkspace(slug);
  const [valueState, standing] = await Promise.all([
    loadValue(api, workspace.id, profile.id, profile.purchaseCount),
    loadStanding(api, workspace.id, profile.id),
  ]);
  const canEdit = can(workspace.role, "content:write");
  const contact = [profile.name ? profile.email : null, profile.phone].filter(Boolean);
  const stats: [string, React.ReactNode][] = [
    [
      "First seen",
      profile.firstSeenAt ? (
        <time dateTime={profile.firstSeenAt.toISOString()}>{formatDate(profile.firstSeenAt)}</time>
      ) : (
        "—"
      ),
    ],
    [
      "Last seen",
      profile.lastSeenAt ? (
        <time dateTime={profile.lastSeenAt.toISOString()} title={formatDate(profile.lastSeenAt)}>
          {relativeTime(profile.lastSeenAt)}
        </time>
      ) : (
        "Never"
      ),
    ],
    ["Events", formatCount(profile.eventCount)],
    ["Purchases", formatCount(profile.purchaseCount)],
    ["Total spend", formatMoney(profile.totalSpend)],
  ];

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/w/${slug}/customers`} className="text-brand-700 hover:underline">
          ← Customers
        </Link>
      </nav>

      {typeof merged === "string" && (
        <Alert tone="info">
          The profile you opened was merged into this one, so you are seeing the combined customer.
        </Alert>
      )}

      <header className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:px-6">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
              {displayName(profile)}
            </h1>
            {contact.length > 0 && (
              <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-600">{contact.join(" · ")}</p>
            )}
            {!profile.name && !profile.email && customer.identities[0] && (
              <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-600">
                Known only by {identityKindLabels[customer.identities[0].kind].toLowerCase()}{" "}
                <span className="font-mono">{customer.identities[0].value}</span>
              </p>
            )}
            <p className="mt-1 font-mono text-xs text-slate-500">Profile {profile.id}</p>
          </div>
          {canEdit && <MergeActions customerId={profile.id} customerLabel={displayName(profile)} />}
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 border-t border-slate-100 pt-4 sm:grid-cols-3 lg:grid-cols-5">
          {stats.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs tracking-wide text-slate-500 uppercase">{label}</dt>
              <dd className="mt-0.5 text-lg font-semibold text-slate-900 tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </header>

      <CustomerValueCard state={valueState} slug={slug} />

      <StandingCard state={standing} slug={slug} />

      {/* Full width: the lanes' time axis needs the room, and the list reads better wide too. */}
      <TimelineViews
        customerId={profile.id}
        slug={slug}
        eventCount={profile.eventCount}
        channels={customer.channelMix.map((entry) => entry.channel)}
        eventNames={customer.eventNames}
        merges={customer.merges}
        firstSeenAt={profile.firstSeenAt}
        lastSeenAt={profile.lastSeenAt}
      />

      <div className="grid items-start gap-6 md:grid-cols-2 xl:grid-cols-3">
        <div className="space-y-6">
          <ChannelMixCard mix={customer.channelMix} />
          <SpendCard spend={customer.spend} />
        </div>
        <TraitsCard traits={profile.traits} />
        <div className="space-y-6 md:col-span-2 xl:col-span-1">
          <BestChoicesCard customerId={profile.id} />
          <ConsentCard customerId={profile.id} canEdit={canEdit} />
          <IdentitiesCard identities={customer.identities} total={customer.identityCount} />
          <MergeHistoryCard merges={customer.merges} slug={slug} canEdit={canEdit} />
        </div>
      </div>
    </div>
  );
}
