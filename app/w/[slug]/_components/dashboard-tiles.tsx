import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "~/app/_components/ui";
import { formatCount, formatDay, formatMoney, formatPercent } from "./format";
import type { DashboardSummary } from "./dashboard-summary-type";

// The headline figures, one tile each, every tile a link to the page that
// explains its number.

function Tile({
  href,
  label,
  value,
  testId,
  children,
}: {
  href: string;
  label: string;
  value: ReactNode;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <Card className="hover:border-brand-300 focus-within:ring-brand-500 relative p-4 focus-within:ring-2">
      <h2 className="text-sm font-medium text-slate-500">
        <Link href={href} className="after:absolute after:inset-0 focus:outline-none">
          {label}
        </Link>
      </h2>
      <p className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums sm:text-3xl" data-testid={testId}>
        {value}
      </p>
      {children && <div className="mt-1 text-sm text-slate-600">{children}</div>}
    </Card>
  );
}

function share(part: number, whole: number) {
  return whole > 0 ? part / whole : null;
}

export function DashboardTiles({ slug, summary }: { slug: string; summary: DashboardSummary }) {
  const base = `/w/${slug}`;
  const { customers, value, maturity } = summary;
  const identified = share(customers.identifiedCustomers, customers.customers);
  const merged = share(customers.mergedProfiles, customers.profiles);
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <Tile
        href={`${base}/customers`}
        label="Customers"
        value={formatCount(customers.customers)}
        testId="dashboard-customers"
      >
        <Link
          href={`${base}/customers?seen=30d`}
          className="text-brand-700 relative z-10 hover:underline"
          data-testid="dashboard-active-customers"
        >
          {formatCount(customers.activeCustomers)} active in the last 30 days
        </Link>
      </Tile>
      <Tile
        href={`${base}/customers`}
        label="Identity match rate"
        value={identified === null ? "—" : formatPercent(identified)}
        testId="dashboard-identified"
      >
        {customers.customers === 0
          ? "No profiles yet."
          : `${formatCount(customers.identifiedCustomers)} known by a user id, email or phone; ${formatCount(customers.mergedProfiles)} profiles merged${merged === null ? "" : ` (${formatPercent(merged)})`}.`}
      </Tile>
      <Tile
        href={`${base}/value`}
        label="Predicted value"
        value={value ? formatMoney(value.predictedValue) : "—"}
        testId="dashboard-predicted-value"
      >
        {value ? (
          <>
            <Link
              href={`${base}/value/portfolio`}
              // Underlined: a link inside a sentence must not rely on colour alone.
              className="text-brand-700 relative z-10 underline"
              data-testid="dashboard-at-risk"
            >
              {value.atRiskShare === null ? "None" : formatPercent(value.atRiskShare)} at risk
            </Link>{" "}
            ({formatMoney(value.atRiskValue)} with “at risk” and “cannot lose” customers), over{" "}
            {value.horizonWeeks} weeks.
          </>
        ) : (
          "No value model fitted yet."
        )}
      </Tile>
      <Tile
        href={`${base}/maturity`}
        label="Maturity index"
        value={maturity.index === null ? "—" : `${maturity.index.toFixed(1)}`}
        testId="dashboard-maturity-index"
      >
        {maturity.assessment === null ? (
          "No final assessment yet."
        ) : (
          <>
            Of 100, at {formatDay(maturity.assessment.assessedOn)}.{" "}
            {maturity.targetIndex === null
              ? "No targets set."
              : `Target ${maturity.targetIndex.toFixed(1)}; ${maturity.openGaps} ${maturity.openGaps === 1 ? "dimension" : "dimensions"} below target.`}
          </>
        )}
      </Tile>
    </div>
  );
}
