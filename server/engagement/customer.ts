import "server-only";
import { channels } from "~/db/enums";
import type { DbOrTx } from "~/db";
import { requireCustomer } from "~/server/consent/store";
import { loadProfiles } from "~/server/journeys/run/facts";
import { reachabilityFor } from "~/server/journeys/run/reach";
import { bestHour } from "./best-hour";
import { preferredChannel } from "./best-channel";
import { loadReactionHistories } from "./history";
import { emptyHistory } from "./reactions";

// One customer's preferred channel, reachable channels and best hour, each with
// its reason, for the customer page: the rules and the reachability check that
// journeys apply when they send, read on demand for this customer alone.

/** The time zone the page shows hours in when the customer's own is unknown; a journey uses its run's. */
export const FALLBACK_TIME_ZONE = "UTC";

export async function customerBestChoices(
  db: DbOrTx,
  workspaceId: string,
  customerId: string,
  now = new Date(),
) {
  await requireCustomer(db, workspaceId, customerId);
  const profile = (await loadProfiles(db, workspaceId, [customerId])).get(customerId)!;
  const history =
    (await loadReactionHistories(db, workspaceId, [customerId], now)).get(customerId) ?? emptyHistory();
  const reach = await reachabilityFor(db, workspaceId, [profile]);
  return {
    preferred: preferredChannel(history.channels),
    // Busiest channel first.
    reactions: [...history.channels].sort(
      (a, b) => b.opens + b.clicks + b.visits + b.purchases - (a.opens + a.clicks + a.visits + a.purchases),
    ),
    reachable: channels.map((channel) => {
      const answer = reach.check(profile, channel);
      return { channel, allowed: answer.allowed, reason: answer.allowed ? null : answer.reason };
    }),
    bestHour: bestHour(history.slots, profile.timeZone ?? FALLBACK_TIME_ZONE),
    timeZoneKnown: profile.timeZone !== null,
  };
}
