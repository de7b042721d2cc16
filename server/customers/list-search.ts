import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { customers, identities } from "~/db/schema";

// The customer list's search: name and email prefixes (any case) and
// identifiers (exact or prefix), found first, as index range scans
// (customers_name_idx, customers_email_idx, identities_value_idx), and handed
// on to the list as ids.

/**
 * Search matches are capped: a one-letter search can match a large share of a
 * million profiles, and sorting them all would be a scan. The cap keeps every
 * search an index range scan plus at most this many primary-key lookups; the
 * list then says the search is broad and asks for more letters. (Going through
 * the sort index and testing each profile instead is fast only when matches are
 * dense and the sort agrees; a name sort with a late-alphabet search took seconds.)
 * Each match costs about two heap reads (its id, then its row for the sort), so
 * the cap sets the cost of a broad search (docs/benchmarks.md#search). A
 * thousand sorted matches is more than anyone reads.
 */
export const MAX_SEARCH_MATCHES = 1000;

/**
 * The ids of the customers a search finds, each once, at most `maxMatches`;
 * `broad`: it found more, and only the first of them are listed.
 */
export async function findSearchMatches(db: DbOrTx, workspaceId: string, search: string, maxMatches: number) {
  const result = await db.execute<{ id: string }>(searchMatches(workspaceId, search, maxMatches + 1));
  const ids = [...new Set(result.rows.map((row) => row.id))];
  return { ids: ids.slice(0, maxMatches), broad: result.rows.length > maxMatches };
}

/** `abc` → `abc%` with LIKE's own wildcards taken literally. */
function prefixPattern(text: string) {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Ids of customers whose name or email starts with the text (any case), or with an identifier that does. */
function searchMatches(workspaceId: string, search: string, cap: number) {
  const lower = prefixPattern(search.toLowerCase());
  const asTyped = prefixPattern(search);
  // Three index range scans; an OR across them would defeat the indexes.
  return sql`select m.id from (
      select by_name.id from ${customers} by_name
        where by_name.workspace_id = ${workspaceId} and lower(by_name.name) like ${lower}
      union all
      select by_email.id from ${customers} by_email
        where by_email.workspace_id = ${workspaceId} and lower(by_email.email) like ${lower}
      union all
      select ids.customer_id from ${identities} ids
        where ids.workspace_id = ${workspaceId} and ${
          // Identifiers keep their case: match as typed and in lower case (one range scan when they agree).
          asTyped === lower
            ? sql`ids.value like ${lower}`
            : sql`(ids.value like ${asTyped} or ids.value like ${lower})`
        }
    ) m limit ${cap}`;
}
