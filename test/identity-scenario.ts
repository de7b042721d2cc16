import type { IdentityKind } from "~/db/enums";

// Seeded scenarios for identity-resolution tests: people who reach Centric
// through several identifiers (a user id, an email, two or three devices),
// first as separate profiles, then through messages that link them. Every
// person's identifiers are their own, and every person has at most one user
// id, so whatever order the messages are stored in, each person must end as
// exactly one profile.

/** Uniform numbers in [0, 1) from a seed (mulberry32): the same seed gives the same scenario. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

interface Node {
  kind: IdentityKind;
  value: string;
}

export interface Person {
  name: string;
  userId: string | null;
  identifiers: Node[];
  /** Messages that make the person's separate profiles, each a group of identifiers. */
  history: Record<string, unknown>[];
  /** Messages that link those profiles, and events reached through single identifiers. */
  linking: Record<string, unknown>[];
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A message carrying one identifier, or two that link (one of them a user id or an email). */
function messageFor(random: Random, nodes: Node[], messageId: string): Record<string, unknown> {
  const userId = nodes.find((n) => n.kind === "user_id")?.value;
  const anonymousId = nodes.find((n) => n.kind === "anonymous_id")?.value;
  const email = nodes.find((n) => n.kind === "email")?.value;
  const base = {
    messageId,
    timestamp: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 86_400_000 * 30)).toISOString(),
  };
  if (userId && anonymousId) {
    return random() < 0.3
      ? { ...base, type: "alias", userId, previousId: anonymousId }
      : { ...base, type: "identify", userId, anonymousId };
  }
  if (userId && email) return { ...base, type: "identify", userId, traits: { email } };
  if (anonymousId && email) {
    return random() < 0.5
      ? { ...base, type: "track", anonymousId, event: "Product Viewed", context: { traits: { email } } }
      : { ...base, type: "identify", anonymousId, traits: { email } };
  }
  if (userId)
    return { ...base, type: "track", userId, event: "Order Completed", properties: { revenue: 10 } };
  return { ...base, type: "page", anonymousId, name: "Home" };
}

/**
 * A person: a user id (most people), an email (all who have no user id), two
 * or three devices. The history splits them into groups that each become a
 * profile of their own; the linking messages join every group to the user id
 * (or the email), add a few more links and events through single identifiers.
 */
export function makePerson(random: Random, name: string): Person {
  const user: Node | null = random() < 0.8 ? { kind: "user_id", value: `${name}-user` } : null;
  const email: Node | null =
    !user || random() < 0.7 ? { kind: "email", value: `${name}@example.test` } : null;
  const devices: Node[] = Array.from({ length: 2 + Math.floor(random() * 2) }, (_, i) => ({
    kind: "anonymous_id",
    value: `${name}-device-${i}`,
  }));

  // Groups start from the user id and the email, together or apart (an email
  // with a device of its own). Every other device joins one or stands alone.
  const groups: Node[][] = [];
  if (user && email && random() < 0.4) groups.push([user, email]);
  else {
    if (user) groups.push([user]);
    if (email) groups.push([email, devices[0]!]);
  }
  const connected = groups.length;
  for (const device of devices) {
    if (groups.some((g) => g.includes(device))) continue;
    if (random() < 0.5) groups[Math.floor(random() * connected)]!.push(device);
    else groups.push([device]);
  }

  let counter = 0;
  const id = () => `${name}-m${counter++}`;
  const history = groups.flatMap((group) => {
    const [first, ...rest] = group;
    // A group's first identifier is its user id or email when it has one, and links the rest.
    return rest.length === 0
      ? [messageFor(random, [first!], id())]
      : rest.map((n) => messageFor(random, [first!, n], id()));
  });

  const hub = user ?? email!;
  // Some people bring a device that first appears in the linking messages.
  const newDevice: Node | null =
    random() < 0.5 ? { kind: "anonymous_id", value: `${name}-new-device` } : null;
  const identifiers = [user, email, ...devices, newDevice].filter((n): n is Node => n !== null);
  // An email alone cannot be sent: it travels with a user id or a device.
  const sendAlone = identifiers.filter((n) => n.kind !== "email");
  const otherThan = (node: Node) => identifiers.filter((n) => n !== node);
  const linking = [
    ...groups.filter((g) => !g.includes(hub)).map((g) => messageFor(random, [hub, pick(random, g)], id())),
    ...(newDevice ? [messageFor(random, [email ?? hub, newDevice], id())] : []),
    // More links, possibly within one group, through the email as well as the user id.
    ...Array.from({ length: Math.floor(random() * 3) }, () => {
      const via = email && random() < 0.5 ? email : hub;
      return messageFor(random, [via, pick(random, otherThan(via))], id());
    }),
    // Events through one identifier at a time, as most events arrive.
    ...Array.from({ length: 3 + Math.floor(random() * 4) }, () =>
      messageFor(random, [pick(random, sendAlone)], id()),
    ),
  ];
  return { name, userId: user?.value ?? null, identifiers, history, linking };
}

/**
 * Deals messages into batches of one to five and the batches to `clients`
 * clients at random: each client sends its batches one after another, all
 * clients at once.
 */
export function deal<T>(random: Random, messages: T[], clients: number): T[][][] {
  const batches: T[][] = [];
  const shuffled = shuffle(random, messages);
  for (let i = 0; i < shuffled.length;) {
    const size = 1 + Math.floor(random() * 5);
    batches.push(shuffled.slice(i, i + size));
    i += size;
  }
  const perClient: T[][][] = Array.from({ length: clients }, () => []);
  for (const batch of batches) perClient[Math.floor(random() * clients)]!.push(batch);
  return perClient;
}
