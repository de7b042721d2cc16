import type { IdentityKind } from "~/db/enums";
import type { Identifier, NormalizedMessage } from "./messages";

// Identity resolution for one batch, planned in memory before anything is
// written: which profile each message belongs to, which identifiers join
// which profile, and which profiles merge. ingest.ts loads what the database
// knows about the batch's identifiers, runs the plan and writes it.
//
// The rules:
// - A message's userId anchors it: the profile that has that userId, else a
//   profile found through its other identifiers that has no userId yet, else
//   a new profile.
// - Every other profile reached through the message's identifiers (its
//   anonymousId, email, phone) merges into the anchor — unless both profiles
//   have different userIds (two people sharing a device or an email), or a
//   person split those two profiles before.
// - alias {userId, previousId}: the profile known by previousId merges into
//   the userId's profile.

export const identityKey = (kind: IdentityKind, value: string) => `${kind}\u0000${value}`;

export interface KnownState {
  /** identityKey → the profile it resolves to now. */
  identities: Map<string, string>;
  /** profile → the userIds it has. */
  userIds: Map<string, Set<string>>;
  /** "a|b" for pairs of profiles a person split apart; they are not merged again automatically. */
  splitPairs: Set<string>;
}

export interface PlannedMerge {
  survivorId: string;
  mergedId: string;
  reason: "shared identifier" | "alias";
  identity: Identifier;
  messageId: string;
}

export interface PlannedIdentity extends Identifier {
  /** The profile it joined. */
  profileId: string;
  messageId: string;
  firstSeenAt: Date;
}

export interface ResolutionPlan {
  /** Per message (same order): the profile it was attached to when it arrived. */
  profiles: string[];
  newProfiles: string[];
  newIdentities: PlannedIdentity[];
  merges: PlannedMerge[];
  /** Follows merges to the surviving profile. */
  resolve(profileId: string): string;
}

/** The identifiers of a message to look up before planning (alias adds its previousId). */
export function lookupIdentifiers(message: NormalizedMessage): Identifier[] {
  if (!message.previousId) return message.identifiers;
  return [
    ...message.identifiers,
    { kind: "user_id", value: message.previousId },
    { kind: "anonymous_id", value: message.previousId },
  ];
}

export function planResolution(
  messages: NormalizedMessage[],
  known: KnownState,
  newId: () => string,
): ResolutionPlan {
  const parent = new Map<string, string>();
  const resolve = (id: string): string => {
    let root = id;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const owner = (identifier: Identifier) => {
    const id = known.identities.get(identityKey(identifier.kind, identifier.value));
    return id === undefined ? undefined : resolve(id);
  };
  const userIdsOf = (profile: string) => {
    let set = known.userIds.get(profile);
    if (!set) known.userIds.set(profile, (set = new Set()));
    return set;
  };
  const conflict = (a: string, b: string) => {
    if (known.splitPairs.has(`${a}|${b}`) || known.splitPairs.has(`${b}|${a}`)) return true;
    const ua = userIdsOf(a);
    const ub = userIdsOf(b);
    return ua.size > 0 && ub.size > 0 && ![...ua].some((u) => ub.has(u));
  };

  const plan: ResolutionPlan = { profiles: [], newProfiles: [], newIdentities: [], merges: [], resolve };

  const createProfile = () => {
    const id = newId();
    plan.newProfiles.push(id);
    return id;
  };
  const merge = (
    survivorId: string,
    mergedId: string,
    reason: PlannedMerge["reason"],
    identity: Identifier,
    messageId: string,
  ) => {
    parent.set(mergedId, survivorId);
    for (const userId of userIdsOf(mergedId)) userIdsOf(survivorId).add(userId);
    plan.merges.push({ survivorId, mergedId, reason, identity, messageId });
  };
  const attach = (identifier: Identifier, profileId: string, message: NormalizedMessage) => {
    known.identities.set(identityKey(identifier.kind, identifier.value), profileId);
    if (identifier.kind === "user_id") userIdsOf(profileId).add(identifier.value);
    plan.newIdentities.push({
      ...identifier,
      profileId,
      messageId: message.messageId,
      firstSeenAt: message.timestamp,
    });
  };

  for (const message of messages) {
    const userId = message.identifiers.find((i) => i.kind === "user_id");
    const others = message.identifiers.filter((i) => i.kind !== "user_id");

    let anchor = userId ? owner(userId) : undefined;
    if (!anchor) {
      // A profile reached through the other identifiers that can take this userId.
      anchor = others
        .map(owner)
        .find(
          (profile): profile is string => profile !== undefined && (!userId || userIdsOf(profile).size === 0),
        );
    }
    anchor ??= createProfile();
    // The userId joins first: a profile with another userId must not merge into this one.
    if (userId && owner(userId) === undefined) attach(userId, anchor, message);

    if (message.type === "alias" && message.previousId) {
      const previous =
        owner({ kind: "user_id", value: message.previousId }) ??
        owner({ kind: "anonymous_id", value: message.previousId });
      if (previous === undefined) {
        attach({ kind: "anonymous_id", value: message.previousId }, anchor, message);
      } else if (previous !== anchor && !conflict(anchor, previous)) {
        merge(anchor, previous, "alias", { kind: "user_id", value: message.previousId }, message.messageId);
      }
    }

    for (const identifier of others) {
      const profile = owner(identifier);
      if (profile === undefined) attach(identifier, anchor, message);
      else if (profile !== anchor && !conflict(anchor, profile)) {
        merge(anchor, profile, "shared identifier", identifier, message.messageId);
      }
    }

    plan.profiles.push(anchor);
  }
  return plan;
}
