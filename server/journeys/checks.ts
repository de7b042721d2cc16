import type { Channel } from "~/db/channels";
import type { FlowEdge, FlowNode, HourRange, JourneyDesign, Touchpoint } from "./design";

// The design checks: problems a marketer can see in the design itself, before
// any customer goes through it. Pure (no server imports beyond types), so the
// designer runs them in the browser on every change and the server runs the
// same code before publishing.
//
// The rules:
//
// - stageWithoutGoal: a stage whose goal is null. Without the event that shows
//   a customer reached it, the journey's analytics cannot count anyone there.
//
// - sameMoment: two touchpoints on the same channel that go out at the same
//   moment for the same customer. A touchpoint's moment is an anchor and an
//   offset in hours: a segmentEntry trigger is "entry" + delay; an event trigger
//   is "the event (on its channel, if named)" + delay; a previous trigger follows
//   the canvas backwards to the nearest touchpoint (its moment + this delay) or
//   to the entry ("entry" + delay). A node reached along several routes has one
//   moment per route, and a collision on any of them counts. Branches take no
//   time, but their outputs exclude each other: a customer goes one way, so two
//   touchpoints that only meet on different outputs of one branch never reach
//   the same customer. Send windows are not scheduled in detail; two touchpoints
//   whose windows do not overlap cannot go out together. Moments with different
//   anchors are never compared: how long after entry an event happens is unknown.
//
// - frequencyCap: a touchpoint that allows at most `max` messages on its channel
//   in `perDays` days, while the design itself sends more: the touchpoints on that
//   channel whose moments share its anchor, can reach the same customer, and fall
//   in one period of `perDays` days (less than perDays × 24 hours apart) together
//   with it, number more than `max`.
//
// - quietHours: the journey has quiet hours, a message channel's touchpoint
//   respects them, and it can come due inside them: its send window overlaps them,
//   or it has no send window (a trigger can fire at any hour). Quiet hours then
//   hold the message back until they end, which is rarely what the designer meant.
//   Hour ranges wrap midnight when start > end (21 → 8 is the night).
//
// Every check has an id made of its kind and its target's id, so the same
// problem keeps the same id while the design is edited.

export type DesignCheckKind = "stageWithoutGoal" | "sameMoment" | "frequencyCap" | "quietHours";
export type DesignCheckTarget =
  { type: "stage"; stageId: string } | { type: "touchpoint"; touchpointId: string };
export interface DesignCheck {
  /** Stable across re-runs for the same problem, so the UI can key on it. */
  id: string;
  kind: DesignCheckKind;
  target: DesignCheckTarget;
  /** One sentence a marketer understands, naming the items, e.g. 'The stage "Buy" has no goal: add the event that shows a customer reached it.' */
  message: string;
}

/**
 * Channels that push a message at the customer. Web and store are pull
 * channels: a banner or a shelf offer is only seen when the customer comes by,
 * so it cannot disturb anyone at night; "other" is too vague to judge.
 */
const messageChannels: ReadonlySet<Channel> = new Set<Channel>(["email", "mobile", "social", "call_center"]);

const nouns: Record<Channel, [one: string, many: string]> = {
  web: ["web message", "web messages"],
  mobile: ["push message", "push messages"],
  email: ["email", "emails"],
  store: ["store message", "store messages"],
  call_center: ["call", "calls"],
  social: ["social post", "social posts"],
  other: ["message", "messages"],
};

/** At most this many routes into one canvas node are followed; a canvas with more is already beyond reading. */
const MAX_ROUTES_PER_NODE = 64;

type Anchor = { kind: "entry" } | { kind: "event"; event: string; channel?: Channel };
interface Moment {
  anchor: Anchor;
  offsetHours: number;
}
/** The branch outputs taken on the way: branch node id → output. */
type Choices = ReadonlyMap<string, string>;
/** One way a customer can arrive at a node: the choices made and the last thing sent (or the entry). */
interface Arrival {
  choices: Choices;
  last: Moment;
}
/** One moment at which a touchpoint goes out, for the customers who made these choices. */
interface Send {
  touchpoint: Touchpoint;
  moment: Moment;
  choices: Choices;
}

const atEntry: Moment = { anchor: { kind: "entry" }, offsetHours: 0 };
const noChoices: Choices = new Map();

export function checkDesign(design: JourneyDesign): DesignCheck[] {
  const sends = sendsByTouchpoint(design);
  const touchpoints = design.stages.flatMap((stage) => stage.touchpoints);
  const checks: DesignCheck[] = [];

  for (const stage of design.stages) {
    if (stage.goal !== null) continue;
    checks.push({
      id: `stageWithoutGoal:${stage.id}`,
      kind: "stageWithoutGoal",
      target: { type: "stage", stageId: stage.id },
      message: `The stage "${stage.name}" has no goal: add the event that shows a customer reached it.`,
    });
  }
  for (const touchpoint of touchpoints) {
    const target = { type: "touchpoint", touchpointId: touchpoint.id } as const;
    const same = sameMomentAs(touchpoint, touchpoints, sends);
    if (same) {
      checks.push({
        id: `sameMoment:${touchpoint.id}`,
        kind: "sameMoment",
        target,
        message:
          `${label(touchpoint)} goes out at the same moment as ${titles(same.others)} ` +
          `(${describeMoment(same.moment)}), so the customer gets them together: ` +
          `space them apart or give them send windows that do not overlap.`,
      });
    }
    const capped = frequencyBreach(touchpoint, touchpoints, sends);
    if (capped && touchpoint.frequencyCap) {
      const { max, perDays } = touchpoint.frequencyCap;
      checks.push({
        id: `frequencyCap:${touchpoint.id}`,
        kind: "frequencyCap",
        target,
        message:
          `${label(touchpoint)} allows at most ${max} ${noun(touchpoint.channel, max)} in ${days(perDays)}, ` +
          `but this journey sends ${capped.sent.length} (${capped.sent.map((t) => t.title).join(", ")}) ` +
          `within ${days(perDays)} of ${describeAnchor(capped.anchor)}.`,
      });
    }
    const quiet = quietHoursProblem(design.quietHours, touchpoint);
    if (quiet) {
      checks.push({ id: `quietHours:${touchpoint.id}`, kind: "quietHours", target, message: quiet });
    }
  }
  return checks;
}

// --- moments ----------------------------------------------------------------

/** Every moment each touchpoint can go out at, from its trigger and its place on the canvas. */
function sendsByTouchpoint(design: JourneyDesign): Map<string, Send[]> {
  const nodes = new Map<string, FlowNode>(design.flow.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, FlowEdge[]>();
  for (const edge of withoutLoops(design.flow.nodes, design.flow.edges)) {
    incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge]);
  }
  const touchpoints = new Map(design.stages.flatMap((s) => s.touchpoints).map((tp) => [tp.id, tp]));

  const arrivalsMemo = new Map<string, Arrival[]>();
  const arrivals = (nodeId: string): Arrival[] => {
    const known = arrivalsMemo.get(nodeId);
    if (known) return known;
    const found: Arrival[] = [];
    for (const edge of incoming.get(nodeId) ?? []) {
      const source = nodes.get(edge.source);
      if (source?.kind === "entry") found.push({ choices: noChoices, last: atEntry });
      else if (source?.kind === "touchpoint") {
        for (const send of sendsAt(source)) found.push({ choices: send.choices, last: send.moment });
      } else if (source?.kind === "branch") {
        for (const arrival of arrivals(source.id)) {
          const taken = arrival.choices.get(source.id);
          if (taken !== undefined && taken !== edge.output) continue;
          const choices = new Map(arrival.choices);
          choices.set(source.id, edge.output ?? "");
          found.push({ choices, last: arrival.last });
        }
      }
    }
    // Nothing leads here (not wired up yet): the entry is all there is before it.
    const result = distinct(found.length > 0 ? found : [{ choices: noChoices, last: atEntry }]);
    arrivalsMemo.set(nodeId, result);
    return result;
  };

  const sendsAt = (node: Extract<FlowNode, { kind: "touchpoint" }>): Send[] => {
    const touchpoint = touchpoints.get(node.touchpointId);
    if (!touchpoint) return [];
    return arrivals(node.id).map(({ choices, last }) => ({
      touchpoint,
      choices,
      moment: momentAfter(touchpoint, last),
    }));
  };

  const out = new Map<string, Send[]>();
  for (const node of design.flow.nodes) {
    if (node.kind === "touchpoint") out.set(node.touchpointId, sendsAt(node));
  }
  // A touchpoint not on the canvas (a draft mid-edit) still has its trigger.
  for (const touchpoint of touchpoints.values()) {
    if (!out.has(touchpoint.id)) {
      out.set(touchpoint.id, [{ touchpoint, choices: noChoices, moment: momentAfter(touchpoint, atEntry) }]);
    }
  }
  return out;
}

/**
 * The arrows minus those that close a loop (found walking forward from the
 * entry, then from any node it does not reach): going round a loop again adds
 * no earlier moment, and tracing it would never end.
 */
function withoutLoops(nodes: FlowNode[], edges: FlowEdge[]): FlowEdge[] {
  const outgoing = new Map<string, FlowEdge[]>();
  for (const edge of edges) outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  const state = new Map<string, "open" | "done">();
  const loops = new Set<FlowEdge>();
  const visit = (nodeId: string) => {
    state.set(nodeId, "open");
    for (const edge of outgoing.get(nodeId) ?? []) {
      const seen = state.get(edge.target);
      if (seen === "open") loops.add(edge);
      else if (!seen) visit(edge.target);
    }
    state.set(nodeId, "done");
  };
  const roots = [...nodes].sort((a, b) => Number(b.kind === "entry") - Number(a.kind === "entry"));
  for (const node of roots) if (!state.has(node.id)) visit(node.id);
  return edges.filter((edge) => !loops.has(edge));
}

function momentAfter(touchpoint: Touchpoint, previous: Moment): Moment {
  const { trigger, delayHours } = touchpoint;
  switch (trigger.kind) {
    case "segmentEntry":
      return { anchor: { kind: "entry" }, offsetHours: delayHours };
    case "event":
      return {
        anchor: {
          kind: "event",
          event: trigger.event,
          ...(trigger.channel ? { channel: trigger.channel } : {}),
        },
        offsetHours: delayHours,
      };
    case "previous":
      return { anchor: previous.anchor, offsetHours: previous.offsetHours + delayHours };
  }
}

function anchorKey(anchor: Anchor) {
  return anchor.kind === "entry"
    ? "entry"
    : `event:${anchor.event}${anchor.channel ? `:${anchor.channel}` : ""}`;
}

function choicesKey(choices: Choices) {
  return [...choices]
    .map(([branch, output]) => `${branch}=${output}`)
    .sort()
    .join(",");
}

function distinct(arrivals: Arrival[]): Arrival[] {
  const seen = new Map<string, Arrival>();
  for (const arrival of arrivals) {
    const key = `${anchorKey(arrival.last.anchor)}|${arrival.last.offsetHours}|${choicesKey(arrival.choices)}`;
    if (!seen.has(key)) seen.set(key, arrival);
  }
  return [...seen.values()].slice(0, MAX_ROUTES_PER_NODE);
}

/** Whether one customer can make both sets of choices: no branch sends them two ways. */
function compatible(a: Choices, b: Choices) {
  for (const [branch, output] of a) {
    const other = b.get(branch);
    if (other !== undefined && other !== output) return false;
  }
  return true;
}

// --- the rules ---------------------------------------------------------------

function sameMomentAs(touchpoint: Touchpoint, all: Touchpoint[], sends: Map<string, Send[]>) {
  const others: Touchpoint[] = [];
  let moment: Moment | undefined;
  for (const other of all) {
    if (other.id === touchpoint.id || other.channel !== touchpoint.channel) continue;
    if (touchpoint.sendWindow && other.sendWindow && !overlaps(touchpoint.sendWindow, other.sendWindow))
      continue;
    const collision = (sends.get(touchpoint.id) ?? []).find((mine) =>
      (sends.get(other.id) ?? []).some(
        (theirs) =>
          anchorKey(mine.moment.anchor) === anchorKey(theirs.moment.anchor) &&
          mine.moment.offsetHours === theirs.moment.offsetHours &&
          compatible(mine.choices, theirs.choices),
      ),
    );
    if (!collision) continue;
    others.push(other);
    moment ??= collision.moment;
  }
  return moment ? { others, moment } : null;
}

/** The largest set of sends on the touchpoint's channel within one capped period with it, when it breaks the cap. */
function frequencyBreach(touchpoint: Touchpoint, all: Touchpoint[], sends: Map<string, Send[]>) {
  const cap = touchpoint.frequencyCap;
  if (!cap) return null;
  const period = cap.perDays * 24;
  const sameChannel = all
    .filter((other) => other.id !== touchpoint.id && other.channel === touchpoint.channel)
    .flatMap((other) => sends.get(other.id) ?? []);

  let worst: { sent: Touchpoint[]; anchor: Anchor } | null = null;
  for (const mine of sends.get(touchpoint.id) ?? []) {
    const key = anchorKey(mine.moment.anchor);
    const candidates = sameChannel.filter(
      (s) => anchorKey(s.moment.anchor) === key && compatible(s.choices, mine.choices),
    );
    // Every period that holds this send starts at or before it; the fullest starts at one of the sends.
    for (const start of [mine, ...candidates].map((s) => s.moment.offsetHours)) {
      if (start > mine.moment.offsetHours || mine.moment.offsetHours >= start + period) continue;
      const inPeriod = candidates.filter(
        (s) => s.moment.offsetHours >= start && s.moment.offsetHours < start + period,
      );
      const together = [mine, ...largestConsistent([mine], inPeriod)].sort(
        (a, b) => a.moment.offsetHours - b.moment.offsetHours,
      );
      if (together.length > cap.max && together.length > (worst?.sent.length ?? 0)) {
        worst = { sent: together.map((s) => s.touchpoint), anchor: mine.moment.anchor };
      }
    }
  }
  return worst;
}

/**
 * The most sends, one per touchpoint, that a single customer can get together
 * with `chosen`: their branch choices must all agree. The lists are short (the
 * touchpoints of one channel in one period), so a plain search is enough.
 */
function largestConsistent(chosen: Send[], candidates: Send[]): Send[] {
  const open = candidates.filter((s) =>
    chosen.every((c) => c.touchpoint.id !== s.touchpoint.id && compatible(c.choices, s.choices)),
  );
  const [next, ...rest] = open;
  if (!next) return [];
  const withIt = [next, ...largestConsistent([...chosen, next], rest)];
  // One send per touchpoint at most: when every touchpoint left made it in, nothing larger exists.
  // Without branches that disagree this is the first answer, so the search stays short.
  if (withIt.length === new Set(open.map((s) => s.touchpoint.id)).size) return withIt;
  const without = largestConsistent(chosen, rest);
  return withIt.length >= without.length ? withIt : without;
}

function quietHoursProblem(quiet: HourRange | null, touchpoint: Touchpoint): string | null {
  if (!quiet || !touchpoint.respectQuietHours || !messageChannels.has(touchpoint.channel)) return null;
  const hours = `${clock(quiet.startHour)}–${clock(quiet.endHour)}`;
  if (!touchpoint.sendWindow) {
    return (
      `${label(touchpoint)} has no send window, so it can come due in the quiet hours (${hours}) ` +
      `and wait until ${clock(quiet.endHour)}: give it a send window outside them, or let it ignore quiet hours.`
    );
  }
  if (!overlaps(touchpoint.sendWindow, quiet)) return null;
  const window = `${clock(touchpoint.sendWindow.startHour)}–${clock(touchpoint.sendWindow.endHour)}`;
  return (
    `${label(touchpoint)} has the send window ${window}, which overlaps the quiet hours (${hours}), ` +
    `so what comes due then waits until ${clock(quiet.endHour)}: move the window outside ${hours}.`
  );
}

// --- hours -------------------------------------------------------------------

/** The hours of the day a range covers, from start up to (not including) end, wrapping midnight. */
function hoursOf(range: HourRange): Set<number> {
  const hours = new Set<number>();
  for (let h = range.startHour; h !== range.endHour; h = (h + 1) % 24) hours.add(h);
  return hours;
}

function overlaps(a: HourRange, b: HourRange) {
  const hours = hoursOf(b);
  return [...hoursOf(a)].some((h) => hours.has(h));
}

// --- wording -----------------------------------------------------------------

function noun(channel: Channel, count: number) {
  return nouns[channel][count === 1 ? 0 : 1];
}

/** 'Email "Welcome"': the channel's kind of message and the title. */
function label(touchpoint: Touchpoint) {
  const kind = noun(touchpoint.channel, 1);
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} "${touchpoint.title}"`;
}

function titles(touchpoints: Touchpoint[]) {
  const quoted = touchpoints.map((t) => `"${t.title}"`);
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)!}`;
}

const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

function describeAnchor(anchor: Anchor) {
  if (anchor.kind === "entry") return "segment entry";
  return `the event "${anchor.event}"${anchor.channel ? ` on ${anchor.channel}` : ""}`;
}

function describeMoment(moment: Moment) {
  const h = moment.offsetHours;
  if (h === 0) return `at ${describeAnchor(moment.anchor)}`;
  const parts = [];
  if (h >= 24) parts.push(days(Math.floor(h / 24)));
  if (h % 24 !== 0) parts.push(h % 24 === 1 ? "1 hour" : `${h % 24} hours`);
  return `${parts.join(" and ")} after ${describeAnchor(moment.anchor)}`;
}
