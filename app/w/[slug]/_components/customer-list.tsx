"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { useCallback } from "react";
import { LoadMore, QueryView } from "~/app/_components/query-view";
import { Alert, Button, DataTable, Field, controlProps, Options } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { channels } from "~/db/enums";
import { useWorkspace } from "./workspace-context";
import { formatDate, formatDateTime, relativeTime } from "./dates";
import { formatPercent } from "./format";
import { RfmBadge, rfmGroupInfo, rfmGroups } from "./rfm-groups";
import { ChannelBadge, channelLabels, formatCount, formatMoney, identityKindLabels } from "./channels";
import {
  clearedFilters,
  customerFilterParams,
  customerListFilters,
  seenOptions,
  sortCaptions,
  sortOptions,
} from "./customer-filters";
import { useDebouncedText } from "./use-debounced-text";

/**
 * The customer list with its filters kept in the URL. `segmentId` fixes the
 * segment filter (a segment's members on its page): the segment select is
 * then hidden and the URL's segment parameter ignored.
 */
export function CustomerList({ segmentId: fixedSegmentId }: { segmentId?: string } = {}) {
  const trpc = useTRPC();
  const router = useRouter();
  const { id: workspaceId, slug } = useWorkspace();
  // Each change is a step of the browser's history, so the back button undoes it.
  const [params, setParams] = useQueryStates(customerFilterParams, { history: "push" });
  const urlFilters = customerListFilters(params);
  const filters = fixedSegmentId ? { ...urlFilters, segmentId: fixedSegmentId } : urlFilters;
  const segments = useQuery({
    ...trpc.segment.list.queryOptions({ workspaceId }),
    enabled: !fixedSegmentId,
  });

  const commitSearch = useCallback((value: string) => setParams({ q: value.trim() || null }), [setParams]);
  const commitMin = useCallback((value: string) => setParams({ min: value.trim() || null }), [setParams]);
  const [searchText, setSearchText, flushSearch, cancelSearch] = useDebouncedText(params.q, commitSearch);
  const [minText, setMinText] = useDebouncedText(params.min, commitMin, 500);
  const commitMinClv = useCallback(
    (value: string) => setParams({ minClv: value.trim() || null }),
    [setParams],
  );
  const [minClvText, setMinClvText] = useDebouncedText(params.minClv, commitMinClv, 500);

  const list = useInfiniteQuery(
    trpc.customer.list.infiniteQueryOptions(
      {
        workspaceId,
        search: filters.search,
        channel: filters.channel,
        lastSeenWithinDays: filters.lastSeenWithinDays,
        lastSeenBefore: filters.lastSeenBefore,
        minSpend: filters.minSpend,
        rfmGroup: filters.rfmGroup,
        minClv: filters.minClv,
        segmentId: filters.segmentId,
        sort: filters.sort,
      },
      { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData },
    ),
  );
  const rows = list.data?.pages.flatMap((page) => page.customers) ?? [];
  const firstPage = list.data?.pages[0];
  const filtered = Boolean(
    filters.search ||
    filters.channel ||
    filters.lastSeenWithinDays ||
    filters.lastSeenBefore ||
    filters.minSpend !== undefined ||
    filters.rfmGroup ||
    filters.minClv !== undefined ||
    (!fixedSegmentId && filters.segmentId),
  );
  const clearFilters = () =>
    setParams(fixedSegmentId ? clearedFilters : { ...clearedFilters, segment: null });
  const customerHref = (id: string) => `/w/${slug}/customers/${id}`;

  return (
    <div className="space-y-4">
      <form
        role="search"
        aria-label="Find customers"
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        onSubmit={(event) => {
          event.preventDefault();
          flushSearch();
        }}
      >
        <div className="max-w-2xl">
          <Field
            id="customer-search"
            label="Search"
            hint="The start of a name or email, or a user id, anonymous id, email or phone (whole or its start)"
          >
            <input
              {...controlProps("customer-search", { hasHint: true })}
              type="search"
              value={searchText}
              onChange={(event) => setSearchText(event.target.value)}
              placeholder="e.g. ada, ada@example.com, user-1042"
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-40">
            <Field id="customer-channel" label="Channel">
              <select
                {...controlProps("customer-channel")}
                value={filters.channel ?? ""}
                onChange={(event) =>
                  setParams({ channel: customerFilterParams.channel.parse(event.target.value) })
                }
              >
                <option value="">Any channel</option>
                <Options
                  items={channels}
                  value={(channel) => channel}
                  label={(channel) => channelLabels[channel]}
                />
              </select>
            </Field>
          </div>
          <div className="w-44">
            <Field id="customer-seen" label="Last seen">
              <select
                {...controlProps("customer-seen")}
                value={seenOptions.some((o) => o.value === params.seen) ? params.seen : ""}
                onChange={(event) => setParams({ seen: event.target.value || null, before: null })}
              >
                <Options
                  items={seenOptions}
                  value={(option) => option.value}
                  label={(option) => option.label}
                />
              </select>
            </Field>
          </div>
          {params.seen === "before" && (
            <div className="w-44">
              <Field id="customer-before" label="Not seen since">
                <input
                  {...controlProps("customer-before")}
                  type="date"
                  value={params.before}
                  onChange={(event) => setParams({ before: event.target.value || null })}
                />
              </Field>
            </div>
          )}
          <div className="w-32">
            <Field id="customer-min-spend" label="Spent at least">
              <input
                {...controlProps("customer-min-spend")}
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={minText}
                onChange={(event) => setMinText(event.target.value)}
                placeholder="0"
              />
            </Field>
          </div>
          <div className="w-44">
            <Field id="customer-rfm-group" label="RFM group">
              <select
                {...controlProps("customer-rfm-group")}
                value={filters.rfmGroup ?? ""}
                onChange={(event) =>
                  setParams({ group: customerFilterParams.group.parse(event.target.value) })
                }
              >
                <option value="">Any group</option>
                <Options
                  items={rfmGroups}
                  value={(group) => group}
                  label={(group) => rfmGroupInfo[group].label}
                />
              </select>
            </Field>
          </div>
          <div className="w-40">
            <Field id="customer-min-clv" label="Min. predicted value">
              <input
                {...controlProps("customer-min-clv")}
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={minClvText}
                onChange={(event) => setMinClvText(event.target.value)}
                placeholder="0"
              />
            </Field>
          </div>
          {!fixedSegmentId && (
            <div className="w-56">
              <Field id="customer-segment" label="Segment">
                <select
                  {...controlProps("customer-segment")}
                  value={filters.segmentId ?? ""}
                  onChange={(event) =>
                    setParams({ segment: customerFilterParams.segment.parse(event.target.value) })
                  }
                >
                  <option value="">Any segment</option>
                  {filters.segmentId && !segments.data?.some((s) => s.id === filters.segmentId) && (
                    <option value={filters.segmentId}>
                      {segments.isPending ? "Loading segments…" : "A segment that no longer exists"}
                    </option>
                  )}
                  <Options
                    items={segments.data ?? []}
                    value={(segment) => segment.id}
                    label={(segment) => `${segment.name} (${formatCount(segment.memberCount)})`}
                  />
                </select>
              </Field>
            </div>
          )}
          <div className="w-64">
            <Field id="customer-sort" label="Sort by">
              <select
                {...controlProps("customer-sort")}
                value={filters.sort}
                onChange={(event) => setParams({ sort: customerFilterParams.sort.parse(event.target.value) })}
              >
                <Options
                  items={sortOptions}
                  value={(option) => option.value}
                  label={(option) => option.label}
                />
              </select>
            </Field>
          </div>
          {filtered && (
            <Button variant="ghost" onClick={clearFilters}>
              Clear filters
            </Button>
          )}
        </div>
      </form>

      {firstPage?.broadSearch && (
        <Alert tone="info">
          Many profiles match “{filters.search}”: the list holds the first{" "}
          {formatCount(firstPage.searchLimit)} matches, in the order you chose. Type more of the name, email
          or identifier to find someone in particular.
        </Alert>
      )}

      <section
        aria-label={fixedSegmentId ? "Member list" : "Customers"}
        className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:px-6"
      >
        <QueryView
          query={list}
          what="the customers"
          loadingRows={8}
          isEmpty={() => rows.length === 0}
          empty={
            filtered
              ? {
                  title: "No customers match",
                  body: (
                    <>
                      Try a shorter search or fewer filters.{" "}
                      <button type="button" className="text-brand-700 underline" onClick={clearFilters}>
                        Clear filters
                      </button>
                    </>
                  ),
                }
              : fixedSegmentId
                ? {
                    title: "No members",
                    body: "No customer matches this segment's rule at its last refresh.",
                  }
                : {
                    title: "No customers yet",
                    body: "Profiles appear here as events arrive through the tracking API or a CSV import.",
                  }
          }
        >
          {() => (
            <>
              <DataTable
                caption={`${fixedSegmentId ? "Members" : "Customers"}, sorted by ${sortCaptions[filters.sort]}`}
                aria-busy={list.isFetching && !list.isFetchingNextPage}
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
                <tbody
                  className={
                    list.isPlaceholderData
                      ? "divide-y divide-slate-100 opacity-60"
                      : "divide-y divide-slate-100"
                  }
                >
                  {rows.map((customer) => (
                    <tr
                      key={customer.id}
                      className="cursor-pointer align-top hover:bg-slate-50"
                      onClick={(event) => {
                        cancelSearch();
                        if ((event.target as HTMLElement).closest("a")) return;
                        router.push(customerHref(customer.id));
                      }}
                    >
                      <td className="py-3 pr-4 pl-4 sm:pl-0">
                        <Link
                          href={customerHref(customer.id)}
                          className="hover:text-brand-700 font-medium text-slate-900 hover:underline"
                        >
                          {customer.name || (customer.email ? customer.email : "Unnamed profile")}
                        </Link>
                        {!customer.name && !customer.email && customer.identifier && (
                          <span
                            className="block max-w-56 truncate text-xs text-slate-500"
                            title={customer.identifier.value}
                          >
                            {identityKindLabels[customer.identifier.kind]}: {customer.identifier.value}
                          </span>
                        )}
                      </td>
                      <td className="py-3 pr-4 text-slate-700">
                        {/* Table cells ignore min-width; a block inside them does not. */}
                        <div className="min-w-48 [overflow-wrap:anywhere]">
                          {customer.email ?? <span className="text-slate-500">—</span>}
                          {customer.phone && (
                            <span className="block text-xs text-slate-500">{customer.phone}</span>
                          )}
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
                      <td className="py-3 pr-4 text-right tabular-nums">
                        {formatCount(customer.eventCount)}
                      </td>
                      <td className="py-3 pr-4 text-right whitespace-nowrap tabular-nums">
                        {formatMoney(customer.totalSpend)}
                        <span className="block text-xs text-slate-500">
                          {customer.purchaseCount} {customer.purchaseCount === 1 ? "purchase" : "purchases"}
                        </span>
                      </td>
                      <td className="py-3 pr-4 text-right whitespace-nowrap tabular-nums">
                        {customer.clv === null ? (
                          <span className="text-slate-500">—</span>
                        ) : (
                          formatMoney(customer.clv)
                        )}
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
                            <time
                              dateTime={customer.lastSeenAt.toISOString()}
                              title={formatDateTime(customer.lastSeenAt)}
                            >
                              {relativeTime(customer.lastSeenAt)}
                            </time>
                            <span className="block text-xs text-slate-500">
                              {formatDate(customer.lastSeenAt)}
                            </span>
                          </>
                        ) : (
                          <span className="text-slate-500">Never</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
              <LoadMore
                query={list}
                what="customers"
                shown={
                  list.isFetching && !list.isFetchingNextPage
                    ? "Updating…"
                    : `${formatCount(rows.length)} ${rows.length === 1 ? "customer" : "customers"} shown${
                        list.hasNextPage ? "" : filtered ? ", all that match" : ", all of them"
                      }.`
                }
              />
            </>
          )}
        </QueryView>
      </section>
    </div>
  );
}
