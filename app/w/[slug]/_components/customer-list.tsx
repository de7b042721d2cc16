"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { LoadMore, QueryView } from "~/app/_components/query-view";
import { Alert } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { formatCount } from "./channels";
import { CustomerFilterForm } from "./customer-filter-form";
import { sortCaptions } from "./customer-filters";
import { CustomerTable } from "./customer-table";
import { useCustomerFilters } from "./use-customer-filters";
import { useWorkspace } from "./workspace-context";

/**
 * The customer list with its filters kept in the URL. `segmentId` fixes the
 * segment filter (a segment's members on its page): the segment select is
 * then hidden and the URL's segment parameter ignored.
 */
export function CustomerList({ segmentId: fixedSegmentId }: { segmentId?: string } = {}) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const state = useCustomerFilters(fixedSegmentId);
  const { filters, filtered, clearFilters } = state;

  const list = useInfiniteQuery(
    trpc.customer.list.infiniteQueryOptions(
      { workspaceId, ...filters },
      { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData },
    ),
  );
  const rows = list.data?.pages.flatMap((page) => page.customers) ?? [];
  const firstPage = list.data?.pages[0];
  const customerHref = (id: string) => `/w/${slug}/customers/${id}`;

  return (
    <div className="space-y-4">
      <CustomerFilterForm state={state} fixedSegmentId={fixedSegmentId} />

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
              <CustomerTable
                rows={rows}
                caption={`${fixedSegmentId ? "Members" : "Customers"}, sorted by ${sortCaptions[filters.sort]}`}
                busy={list.isFetching && !list.isFetchingNextPage}
                stale={list.isPlaceholderData}
                customerHref={customerHref}
                onOpen={state.search.cancel}
              />
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
