import "server-only";
import type { DbOrTx } from "~/db";
import type { Channel } from "~/db/enums";
import { loadReachability, type Reachability } from "~/server/consent/reachability";
import { unsubscribeUrl } from "~/server/consent/token";
import type { CustomerProfile } from "./facts";

// Whether a message may go to a customer on a channel, checked before every
// send for a whole batch at once: the customer's consent on the channel and the
// workspace's suppression list (server/consent/), and an address where the
// channel needs one. Each message carries the customer's signed unsubscribe link.

const addressOf = (profile: CustomerProfile, channel: Channel) =>
  channel === "email" ? profile.email : profile.phone;

export async function reachabilityFor(db: DbOrTx, workspaceId: string, profiles: CustomerProfile[]) {
  const consent = await loadReachability(
    db,
    workspaceId,
    profiles.map((p) => ({ customerId: p.id, addresses: [p.email, p.phone] })),
  );
  return {
    check(profile: CustomerProfile, channel: Channel): Reachability {
      if (channel === "email" && !profile.email) return { allowed: false, reason: "no email address" };
      return consent.check(profile.id, channel, addressOf(profile, channel));
    },
    unsubscribeUrl: (profile: CustomerProfile) => (channel: Channel) =>
      unsubscribeUrl({ workspaceId, customerId: profile.id, channel }),
  };
}
