import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { csvField } from "~/server/csv";
import { NotFoundError } from "~/server/errors";

// A segment's members as CSV, read in pages of customer ids (keyset on the
// members' primary key), so an export of a million members streams in
// constant memory and never holds one long query open.

export const EXPORT_PAGE_ROWS = 5_000;

export const exportColumns = [
  "customer_id",
  "name",
  "email",
  "phone",
  "first_seen_at",
  "last_seen_at",
  "events",
  "purchases",
  "total_spend",
  "entered_segment_at",
  "rfm_group",
  "p_alive",
  "predicted_value",
] as const;

type ExportRow = Record<(typeof exportColumns)[number], string | number | null>;

/**
 * A CSV field for a spreadsheet: text that starts like a formula gets a leading
 * ', so a spreadsheet shows it rather than running it (OWASP's CSV injection advice).
 */
export function spreadsheetField(value: string | number | null): string {
  return csvField(typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

export const csvLine = (fields: (string | number | null)[]) =>
  `${fields.map(spreadsheetField).join(",")}\r\n`;

export async function segmentName(db: DbOrTx, workspaceId: string, segmentId: string) {
  const result = await db.execute<{ name: string }>(sql`
    select name from segments where workspace_id = ${workspaceId}::uuid and id = ${segmentId}::uuid`);
  const name = result.rows[0]?.name;
  if (name === undefined) throw new NotFoundError("That segment does not exist in this workspace.");
  return name;
}

/** The CSV, header first, one chunk per page of members. */
export async function* segmentMembersCsv(
  db: DbOrTx,
  input: { workspaceId: string; segmentId: string; pageRows?: number },
): AsyncGenerator<string> {
  const pageRows = input.pageRows ?? EXPORT_PAGE_ROWS;
  yield csvLine([...exportColumns]);
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await db.execute<ExportRow>(sql`
      select sm.customer_id::text as customer_id, c.name, c.email, c.phone,
        to_char(c.first_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as first_seen_at,
        to_char(c.last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_seen_at,
        c.event_count as events, c.purchase_count as purchases, c.total_spend::text as total_spend,
        to_char(sm.entered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as entered_segment_at,
        cv.rfm_group::text as rfm_group, round(cv.p_alive::numeric, 4)::text as p_alive,
        round(cv.clv::numeric, 2)::text as predicted_value
      from segment_members sm
      join customers c on c.workspace_id = sm.workspace_id and c.id = sm.customer_id
      left join customer_values cv on cv.workspace_id = sm.workspace_id and cv.customer_id = sm.customer_id
      where sm.workspace_id = ${input.workspaceId}::uuid and sm.segment_id = ${input.segmentId}::uuid
        and sm.customer_id > ${after}::uuid
      order by sm.customer_id limit ${pageRows}::int`);
    if (page.rows.length === 0) return;
    yield page.rows.map((row) => csvLine(exportColumns.map((column) => row[column]))).join("");
    if (page.rows.length < pageRows) return;
    after = String(page.rows[page.rows.length - 1]!.customer_id);
  }
}

/** A file name from the segment's name: "Loyal weekly customers" → "loyal-weekly-customers-members.csv". */
export function exportFileName(name: string) {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "segment"}-members.csv`;
}
