import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * A data-modifying CTE body for server/identity/merge.ts's fold: each root
 * (survivor) takes the unsubscribes of the profiles folded into it, so that
 * "unsubscribed" on either profile holds for the merged customer. Copied, not
 * moved: the merged profile keeps its own rows, so undoing the merge leaves it
 * as it was; the survivor stays unsubscribed (a split never re-subscribes
 * anyone). `mergedIds` and `rootIds` are parallel uuid[] expressions.
 */
export function carryUnsubscribes(workspaceId: string, mergedIds: SQL, rootIds: SQL): SQL {
  // distinct on: two profiles folded into one root may both carry the channel, and
  // one insert may not touch a row twice; the latest unsubscribe is kept.
  return sql`
    insert into customer_consents (workspace_id, customer_id, channel, state, source, changed_at, changed_by)
    select distinct on (f.root_id, c.channel) ${workspaceId}, f.root_id, c.channel, c.state, c.source, c.changed_at, c.changed_by
    from unnest(${mergedIds}, ${rootIds}) as f (merged_id, root_id)
    join customer_consents c
      on c.workspace_id = ${workspaceId} and c.customer_id = f.merged_id and c.state = 'unsubscribed'
    order by f.root_id, c.channel, c.changed_at desc
    on conflict (workspace_id, customer_id, channel) do update
      set state = excluded.state, source = excluded.source, changed_at = excluded.changed_at, changed_by = excluded.changed_by
      where customer_consents.state = 'subscribed'`;
}
