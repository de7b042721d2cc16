import "server-only";
import type { DbOrTx } from "~/db";
import type { Channel } from "~/db/enums";
import type { CustomerProfile } from "./facts";

// Whether a message may go to a customer on a channel, checked before every
// send: an email needs an email address to go to.

export type Reach = { allowed: true } | { allowed: false; reason: string };

export async function reachabilityFor(_db: DbOrTx, _workspaceId: string, _profiles: CustomerProfile[]) {
  return {
    check(profile: CustomerProfile, channel: Channel): Reach {
      if (channel === "email" && !profile.email) return { allowed: false, reason: "no email address" };
      return { allowed: true };
    },
    unsubscribeUrl:
      (_profile: CustomerProfile) =>
      (_channel: Channel): string | null =>
        null,
  };
}
