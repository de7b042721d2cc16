"use client";

import { useQuery } from "@tanstack/react-query";
import { Button, Field, controlProps, Options } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { channels } from "~/db/enums";
import { channelLabels, formatCount } from "./channels";
import { customerFilterParams, seenOptions, sortOptions } from "./customer-filters";
import { rfmGroupInfo, rfmGroups } from "./rfm-groups";
import type { CustomerFilterState } from "./use-customer-filters";
import { useWorkspace } from "./workspace-context";

/** The search box, the filters and the sort above the customer list; without the segment select on a segment's page. */
export function CustomerFilterForm({
  state,
  fixedSegmentId,
}: {
  state: CustomerFilterState;
  fixedSegmentId?: string;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const segments = useQuery({
    ...trpc.segment.list.queryOptions({ workspaceId }),
    enabled: !fixedSegmentId,
  });
  const { params, setParams, filters, filtered, clearFilters, search, minSpend, minClv } = state;

  return (
    <form
      role="search"
      aria-label="Find customers"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      onSubmit={(event) => {
        event.preventDefault();
        search.flush();
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
            value={search.text}
            onChange={(event) => search.setText(event.target.value)}
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
              value={minSpend.text}
              onChange={(event) => minSpend.setText(event.target.value)}
              placeholder="0"
            />
          </Field>
        </div>
        <div className="w-44">
          <Field id="customer-rfm-group" label="RFM group">
            <select
              {...controlProps("customer-rfm-group")}
              value={filters.rfmGroup ?? ""}
              onChange={(event) => setParams({ group: customerFilterParams.group.parse(event.target.value) })}
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
              value={minClv.text}
              onChange={(event) => minClv.setText(event.target.value)}
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
  );
}
