import type { Channel } from "~/db/enums";
import type { FlowEdge, FlowNode, FrequencyCap, HourRange, JourneyDesign, Touchpoint } from "./design";

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
//   to the entry ("entry" + delay); an arrow that closes a loop is left out
//   (going round again adds no earlier moment), and a node nothing leads to starts
//   at the entry. A node reached along several routes has one moment per route
//   (up to 64), and a collision on any of them counts. Branches take no
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
//   with it, number more than `max`. "Can reach the same customer" means one way
//   through the branches that they all lie on; a canvas with very many branches
//   and caps is checked within a fixed amount of work, so it runs in the browser
//   without a hang (a breach it reports is always real; one may go unreported).
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
  const atMoment = byMoment(sends);
  const budget = { left: FREQUENCY_BUDGET };
  const byChannelAnchor = byChannelAndAnchor(sends);
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
    const same = sameMomentAs(touchpoint, touchpoints, sends, atMoment);
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
    const capped = frequencyBreach(touchpoint, sends, byChannelAnchor, budget);
    if (capped) {
      const { max, perDays } = capped.cap;
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
    pushTo(incoming, edge.target, edge);
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
  for (const edge of edges) pushTo(outgoing, edge.source, edge);
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

/** Sends that go out at the same moment on the same channel share this key. */
function momentKey(channel: Channel, moment: Moment) {
  return `${channel}|${anchorKey(moment.anchor)}|${moment.offsetHours}`;
}

function byMoment(sends: Map<string, Send[]>) {
  const out = new Map<string, Send[]>();
  for (const send of [...sends.values()].flat()) {
    const key = momentKey(send.touchpoint.channel, send.moment);
    pushTo(out, key, send);
  }
  return out;
}

function sameMomentAs(
  touchpoint: Touchpoint,
  all: Touchpoint[],
  sends: Map<string, Send[]>,
  atMoment: Map<string, Send[]>,
) {
  const others = new Set<string>();
  let moment: Moment | undefined;
  for (const mine of sends.get(touchpoint.id) ?? []) {
    for (const theirs of atMoment.get(momentKey(touchpoint.channel, mine.moment)) ?? []) {
      const other = theirs.touchpoint;
      if (other.id === touchpoint.id || others.has(other.id)) continue;
      if (touchpoint.sendWindow && other.sendWindow && !overlaps(touchpoint.sendWindow, other.sendWindow))
        continue;
      if (!compatible(mine.choices, theirs.choices)) continue;
      others.add(other.id);
      moment ??= mine.moment;
    }
  }
  return moment ? { others: all.filter((other) => others.has(other.id)), moment } : null;
}

/** At most this many ways through the branches are tried per send when counting against a cap. */
const MAX_ROUTES_PER_CAP = 64;
/**
 * Sends looked at by all the frequency checks of one design together. The
 * checks run in the browser on every edit, so a huge canvas full of branches
 * gets a partial answer (a breach found is always real) rather than a hang.
 */
const FREQUENCY_BUDGET = 200_000;

/** The most sends on the touchpoint's channel that one customer gets in one capped period with it, when they break the cap. */
function frequencyBreach(
  touchpoint: Touchpoint,
  sends: Map<string, Send[]>,
  byChannelAnchor: Map<string, Send[]>,
  budget: { left: number },
) {
  const cap = touchpoint.frequencyCap;
  if (!cap) return null;
  const period = cap.perDays * 24;

  let worst: { cap: FrequencyCap; sent: Touchpoint[]; anchor: Anchor } | null = null;
  for (const mine of sends.get(touchpoint.id) ?? []) {
    const at = mine.moment.offsetHours;
    // Moments are whole hours: the sends less than a period away on either side.
    const sameAnchor = byChannelAnchor.get(channelAnchorKey(touchpoint.channel, mine.moment.anchor)) ?? [];
    const near = sameAnchor
      .slice(firstAtOrAfter(sameAnchor, at - period + 1), firstAtOrAfter(sameAnchor, at + period))
      .filter((s) => s.touchpoint.id !== touchpoint.id && compatible(s.choices, mine.choices));
    for (const route of routesThrough(mine.choices, near)) {
      if (budget.left <= 0) return worst;
      budget.left -= near.length + 1;
      const onRoute = [mine, ...near.filter((s) => compatible(s.choices, route))].sort(
        (a, b) => a.moment.offsetHours - b.moment.offsetHours,
      );
      const sent = fullestPeriod(onRoute, at, period);
      if (sent.length > cap.max && sent.length > (worst?.sent.length ?? 0)) {
        worst = { cap, sent, anchor: mine.moment.anchor };
      }
    }
  }
  return worst;
}

function channelAnchorKey(channel: Channel, anchor: Anchor) {
  return `${channel}|${anchorKey(anchor)}`;
}

/** The sends of each channel and anchor, in the order of their moments. */
function byChannelAndAnchor(sends: Map<string, Send[]>) {
  const out = new Map<string, Send[]>();
  for (const send of [...sends.values()].flat()) {
    pushTo(out, channelAnchorKey(send.touchpoint.channel, send.moment.anchor), send);
  }
  for (const list of out.values()) list.sort((a, b) => a.moment.offsetHours - b.moment.offsetHours);
  return out;
}

/** The index of the first send at or after `hours` in a list sorted by moment. */
function firstAtOrAfter(sorted: Send[], hours: number) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]!.moment.offsetHours < hours) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The touchpoints in the fullest period of `period` hours that holds the moment
 * `at`, from sends sorted by moment. Every such period starts at or before `at`,
 * and the fullest starts at one of the sends; a window slides over them.
 */
function fullestPeriod(sorted: Send[], at: number, period: number): Touchpoint[] {
  let best: Send[] = [];
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    const from = sorted[start]!.moment.offsetHours;
    if (from > at) break;
    if (at >= from + period) continue;
    end = Math.max(end, start);
    while (end < sorted.length && sorted[end]!.moment.offsetHours < from + period) end++;
    const window = sorted.slice(start, end);
    const distinct = new Set(window.map((s) => s.touchpoint.id)).size;
    if (distinct > new Set(best.map((s) => s.touchpoint.id)).size) best = window;
  }
  return [...new Map(best.map((s) => [s.touchpoint.id, s.touchpoint])).values()];
}

/**
 * The ways one customer can go through the branches that the sends depend on,
 * beyond the choices already made: one output per branch, among the outputs the
 * sends name (an output none of them names would only leave sends out). Capped
 * at MAX_ROUTES_PER_CAP, so a canvas with very many branches is checked on its
 * first routes: a breach found is always real, one may be missed.
 */
function routesThrough(fixed: Choices, sends: Send[]): Choices[] {
  const outputs = new Map<string, Set<string>>();
  for (const send of sends) {
    for (const [branch, output] of send.choices) {
      if (fixed.has(branch)) continue;
      outputs.set(branch, (outputs.get(branch) ?? new Set()).add(output));
    }
  }
  let routes: Choices[] = [fixed];
  for (const [branch, options] of outputs) {
    routes = routes
      .flatMap((route) => [...options].map((output) => new Map([...route, [branch, output]])))
      .slice(0, MAX_ROUTES_PER_CAP);
  }
  return routes;
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

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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
