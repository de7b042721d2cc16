"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useQueryState } from "nuqs";
import { ChartSvg, useWidth } from "~/app/_components/charts/chart-frame";
import { textColorOn } from "~/app/_components/charts/scale";
import { QueryView } from "~/app/_components/query-view";
import { controlProps, cx, EmptyState, Field, Options, ScrollBox, SectionCard } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import type { PortfolioRow, RfmGroup, ValueFitSummary, ValuePortfolio } from "~/server/valuation/types";
import { useWorkspace } from "../../_components/workspace-context";
import {
  formatCount,
  formatDay,
  formatMoney,
  formatPercent,
  formatPercent1,
  formatTimestamp,
  shareChange,
} from "../../_components/format";
import { rfmGroupInfo, rfmGroups } from "../../_components/rfm-groups";
import { parseAsUuid } from "../../_components/url-state";

type Measure = "customerShare" | "pastRevenueShare" | "predictedValueShare";

/** The "Portfolio" tab: customers as assets, by RFM group, and how they moved since the previous fit. */
export function Portfolio() {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  // In the URL as a step of the browser's history: the back button returns to the previous group of customers.
  const [segmentParam, setSegmentParam] = useQueryState(
    "segment",
    parseAsUuid.withOptions({ history: "push" }),
  );
  const segmentId = segmentParam ?? undefined;
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const portfolio = useQuery({
    ...trpc.value.portfolio.queryOptions({ workspaceId, segmentId }),
    placeholderData: keepPreviousData,
  });
  const overview = useQuery(trpc.value.overview.queryOptions({ workspaceId }));
  const current = overview.data?.current ?? null;
  const segment = segments.data?.find((s) => s.id === segmentId);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-72">
          <Field
            id="portfolio-segment"
            label="Customers"
            hint={
              segmentId ? "Changes since the previous fit are shown for the whole workspace only." : undefined
            }
          >
            <select
              {...controlProps("portfolio-segment", { hasHint: Boolean(segmentId) })}
              value={segmentId ?? ""}
              onChange={(event) => void setSegmentParam(parseAsUuid.parse(event.target.value))}
            >
              <option value="">The whole workspace</option>
              {segmentId && !segment && (
                <option value={segmentId}>
                  {segments.isPending ? "Loading segments…" : "A deleted segment"}
                </option>
              )}
              <Options
                items={segments.data ?? []}
                value={(s) => s.id}
                label={(s) => `Segment: ${s.name} (${formatCount(s.memberCount)})`}
              />
            </select>
          </Field>
        </div>
        {segment && (
          <Link
            href={`/w/${slug}/segments/${segment.id}`}
            className="text-brand-700 pb-2 text-sm hover:underline"
          >
            Open the segment
          </Link>
        )}
      </div>
      <div
        className={portfolio.isPlaceholderData ? "opacity-60" : undefined}
        aria-busy={portfolio.isFetching}
      >
        <QueryView
          query={portfolio}
          what="the portfolio"
          loadingRows={6}
          isEmpty={(data) => data.fitId === null || data.rows.length === 0}
          empty={
            segmentId && overview.data?.current
              ? {
                  title: "No scored members",
                  body: "No member of this segment has a value from the latest fit.",
                }
              : {
                  title: "No portfolio yet",
                  body: (
                    <>
                      The portfolio appears after the first model fit.{" "}
                      <Link href={`/w/${slug}/value`} className="text-brand-700 font-medium underline">
                        Go to the model fit
                      </Link>
                    </>
                  ),
                }
          }
        >
          {(data) => <PortfolioView data={data} current={current} segmentName={segment?.name} />}
        </QueryView>
      </div>
    </div>
  );
}

/** The portfolio of a fit: the shares by group and the movement since the previous fit. */
export function PortfolioView({
  data,
  current,
  segmentName,
}: {
  data: ValuePortfolio;
  current: ValueFitSummary | null;
  /** Set when the portfolio is of one segment's members. */
  segmentName?: string;
}) {
  return (
    <div className="space-y-6">
      <SectionCard
        id="portfolio"
        title={segmentName ? `Portfolio by RFM group: ${segmentName}` : "Portfolio by RFM group"}
        description={
          <>
            Each group&apos;s share of the customers, of what they spent so far and of the value they are
            expected to bring
            {current && current.id === data.fitId && (
              <>
                {" "}
                over the next {formatCount(current.settings.horizonWeeks)} weeks (fit of{" "}
                {current.finishedAt ? formatTimestamp(current.finishedAt) : "—"}, purchases up to{" "}
                {formatDay(current.settings.calibrationEnd)})
              </>
            )}
            .{" "}
            {segmentName
              ? "Changes of these shares since the previous fit are kept for the whole workspace only."
              : data.previousFitId
                ? "Arrows show the change in percentage points since the previous fit."
                : "Changes appear after the next fit."}
          </>
        }
      >
        <ShareBars rows={data.rows} />
        <PortfolioTable rows={data.rows} />
      </SectionCard>
      <Movement data={data} />
    </div>
  );
}

function ordered(rows: PortfolioRow[]) {
  return [...rows].sort((a, b) => rfmGroups.indexOf(a.group) - rfmGroups.indexOf(b.group));
}

const measures: { key: Measure; label: string }[] = [
  { key: "customerShare", label: "Customers" },
  { key: "pastRevenueShare", label: "Past revenue" },
  { key: "predictedValueShare", label: "Predicted value" },
];

/** Three 100 % bars (customers, past revenue, predicted value), split by group. */
function ShareBars({ rows }: { rows: PortfolioRow[] }) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  const sorted = ordered(rows);
  const narrow = width < 520;
  const labelWidth = narrow ? 0 : 120;
  const barHeight = 28;
  const rowHeight = narrow ? barHeight + 24 : barHeight + 14;
  const barWidth = Math.max(40, width - labelWidth);
  const top = (i: number) => i * rowHeight + (narrow ? 20 : 0);
  const height = measures.length * rowHeight;
  const largest = (measure: Measure) =>
    sorted.reduce<PortfolioRow | undefined>((a, b) => (!a || b[measure] > a[measure] ? b : a), undefined);
  const summary = `Shares by RFM group. ${measures
    .map(({ key, label }) => {
      const top1 = largest(key);
      return top1
        ? `${label}: largest share ${rfmGroupInfo[top1.group].label}, ${formatPercent(top1[key])}`
        : "";
    })
    .join("; ")}. The table below gives every group's numbers.`;

  return (
    <figure aria-labelledby="share-bars-title" className="space-y-3">
      <figcaption id="share-bars-title" className="font-medium text-slate-900">
        Where the customers, the revenue and the value are
      </figcaption>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        {sorted.map((row) => (
          <li key={row.group} className="flex items-center gap-1.5">
            <span
              aria-hidden="true"
              className="h-3 w-3 rounded-sm"
              style={{ backgroundColor: rfmGroupInfo[row.group].color }}
            />
            {rfmGroupInfo[row.group].label}
          </li>
        ))}
      </ul>
      <div ref={ref}>
        <ChartSvg label={summary} width={width} height={height}>
          {measures.map(({ key, label }, i) => {
            let offset = 0;
            return (
              <g key={key}>
                <text
                  x={0}
                  y={narrow ? top(i) - 6 : top(i) + barHeight / 2}
                  dy={narrow ? 0 : "0.32em"}
                  fill="#334155"
                  fontWeight={500}
                >
                  {label}
                </text>
                {sorted.map((row) => {
                  const share = Math.max(0, row[key]);
                  const w = share * barWidth;
                  const x = labelWidth + offset;
                  offset += w;
                  if (w <= 0) return null;
                  const info = rfmGroupInfo[row.group];
                  return (
                    <g key={row.group}>
                      <rect
                        x={x}
                        y={top(i)}
                        width={w}
                        height={barHeight}
                        fill={info.color}
                        stroke="#ffffff"
                        strokeWidth={1}
                      />
                      {w >= 34 && (
                        <text
                          x={x + w / 2}
                          y={top(i) + barHeight / 2}
                          dy="0.32em"
                          textAnchor="middle"
                          fontSize={11}
                          fill={textColorOn(info.color)}
                        >
                          {formatPercent(share)}
                        </text>
                      )}
                    </g>
                  );
                })}
              </g>
            );
          })}
        </ChartSvg>
      </div>
    </figure>
  );
}

/** The change of a share; in a neutral colour, as a rise is good for champions and bad for lost customers. */
function Change({ now, before }: { now: number; before: number | undefined }) {
  if (before === undefined) return null;
  const change = shareChange(now, before);
  return (
    <span
      className={cx(
        "block text-xs whitespace-nowrap",
        change.direction === 0 ? "text-slate-500" : "text-slate-700",
      )}
    >
      <span aria-hidden="true">{change.text}</span>
      <span className="sr-only">{change.spoken}</span>
    </span>
  );
}

function PortfolioTable({ rows }: { rows: PortfolioRow[] }) {
  const sorted = ordered(rows);
  const totals = rows.reduce(
    (sum, row) => ({
      customers: sum.customers + row.customers,
      pastRevenue: sum.pastRevenue + row.pastRevenue,
      predictedValue: sum.predictedValue + row.predictedValue,
    }),
    { customers: 0, pastRevenue: 0, predictedValue: 0 },
  );
  return (
    <ScrollBox labelledBy="portfolio-table-caption" className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[36rem] text-left text-sm">
        <caption id="portfolio-table-caption" className="sr-only">
          Customers, past revenue and predicted value by RFM group, with the change since the previous fit
        </caption>
        <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="sticky left-0 z-10 bg-white py-2 pr-4 pl-4 font-medium sm:pl-0">
              RFM group
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">
              Customers
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">
              Past revenue
            </th>
            <th scope="col" className="py-2 text-right font-medium sm:pr-0">
              Predicted value
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((row) => {
            const info = rfmGroupInfo[row.group];
            return (
              <tr key={row.group} className="align-top">
                <th
                  scope="row"
                  className="sticky left-0 z-10 w-44 bg-white py-3 pr-4 pl-4 text-left font-normal sm:w-auto sm:pl-0"
                >
                  <span className="flex items-center gap-2 font-medium text-slate-900">
                    <span
                      aria-hidden="true"
                      className="h-3 w-3 shrink-0 rounded-sm"
                      style={{ backgroundColor: info.color }}
                    />
                    {info.label}
                  </span>
                  <span className="mt-0.5 block max-w-xs text-xs text-slate-600">{info.description}</span>
                </th>
                <ShareCell
                  share={row.customerShare}
                  before={row.previous?.customerShare}
                  amount={`${formatCount(row.customers)} ${row.customers === 1 ? "customer" : "customers"}`}
                />
                <ShareCell
                  share={row.pastRevenueShare}
                  before={row.previous?.pastRevenueShare}
                  amount={formatMoney(row.pastRevenue)}
                />
                <ShareCell
                  share={row.predictedValueShare}
                  before={row.previous?.predictedValueShare}
                  amount={formatMoney(row.predictedValue)}
                  last
                />
              </tr>
            );
          })}
        </tbody>
        <tfoot className="border-t border-slate-300 font-medium">
          <tr>
            <th scope="row" className="sticky left-0 z-10 bg-white py-2 pr-4 pl-4 text-left sm:pl-0">
              All groups
            </th>
            <td className="py-2 pr-4 text-right tabular-nums">{formatCount(totals.customers)}</td>
            <td className="py-2 pr-4 text-right tabular-nums">{formatMoney(totals.pastRevenue)}</td>
            <td className="py-2 text-right tabular-nums sm:pr-0">{formatMoney(totals.predictedValue)}</td>
          </tr>
        </tfoot>
      </table>
    </ScrollBox>
  );
}

function ShareCell({
  share,
  before,
  amount,
  last,
}: {
  share: number;
  before: number | undefined;
  amount: string;
  last?: boolean;
}) {
  return (
    <td className={cx("py-3 pr-4 text-right tabular-nums", last && "sm:pr-0")}>
      <span className="font-medium text-slate-900">{formatPercent1(share)}</span>
      <span className="block text-xs whitespace-nowrap text-slate-600">{amount}</span>
      <Change now={share} before={before} />
    </td>
  );
}

/** From-group rows × to-group columns: how many customers of each group at the previous fit are in each group now. */
function Movement({ data }: { data: ValuePortfolio }) {
  // A segment's portfolio has the moves of its members but no previous fit's shares.
  if (!data.previousFitId && data.movement.length === 0) {
    return (
      <SectionCard id="movement" title="Movement between groups">
        <EmptyState title="No previous fit to compare with">
          After the next fit, this shows how many customers moved from each group to each other group.
        </EmptyState>
      </SectionCard>
    );
  }
  const count = new Map(data.movement.map((m) => [`${m.from}→${m.to}`, m.customers]));
  const present = (group: RfmGroup) => data.movement.some((m) => m.from === group || m.to === group);
  const groups = rfmGroups.filter(present);
  const total = data.movement.reduce((sum, m) => sum + m.customers, 0);
  const moved = data.movement.filter((m) => m.from !== m.to).reduce((sum, m) => sum + m.customers, 0);
  const largest = Math.max(1, ...data.movement.map((m) => m.customers));

  return (
    <SectionCard
      id="movement"
      title="Movement between groups"
      description={`Customers in both fits: ${formatCount(total)}, of whom ${formatCount(moved)} (${total > 0 ? formatPercent(moved / total) : "0%"}) changed group since the previous fit. Rows are the group at the previous fit, columns the group now; the outlined diagonal are those who stayed.`}
    >
      {groups.length === 0 ? (
        <p className="text-sm text-slate-600">No customer was scored in both fits.</p>
      ) : (
        <ScrollBox labelledBy="movement-caption" className="-mx-4 overflow-x-auto sm:mx-0">
          <table className="w-full min-w-[44rem] text-sm">
            <caption id="movement-caption" className="sr-only">
              Customers by RFM group at the previous fit (rows) and at this fit (columns)
            </caption>
            <thead>
              <tr className="text-xs text-slate-500">
                <th
                  scope="col"
                  className="sticky left-0 z-10 bg-white py-2 pr-3 pl-4 text-left font-medium sm:pl-0"
                >
                  From <span aria-hidden="true">↓</span> / to <span aria-hidden="true">→</span>
                </th>
                {groups.map((group) => (
                  <th key={group} scope="col" className="px-2 py-2 text-right font-medium">
                    {rfmGroupInfo[group].label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {groups.map((from) => (
                <tr key={from} className="border-t border-slate-100">
                  <th
                    scope="row"
                    className="sticky left-0 z-10 bg-white py-2 pr-3 pl-4 text-left font-medium whitespace-nowrap text-slate-800 sm:pl-0"
                  >
                    {rfmGroupInfo[from].label}
                  </th>
                  {groups.map((to) => {
                    const n = count.get(`${from}→${to}`) ?? 0;
                    // A light wash of blue, stronger for bigger flows; the number is always written.
                    const alpha = n === 0 ? 0 : 0.08 + 0.4 * (n / largest);
                    return (
                      <td
                        key={to}
                        className={cx(
                          "px-2 py-2 text-right tabular-nums",
                          from === to &&
                            "font-semibold outline outline-1 -outline-offset-1 outline-slate-400",
                          n === 0 ? "text-slate-500" : "text-slate-900",
                        )}
                        style={
                          n === 0 ? undefined : { backgroundColor: `rgb(0 114 178 / ${alpha.toFixed(2)})` }
                        }
                      >
                        {formatCount(n)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </SectionCard>
  );
}
