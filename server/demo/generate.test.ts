import { describe, expect, it } from "vitest";
import { normaliseMessage } from "~/server/ingest/messages";
import {
  generateDemoCustomers,
  generateDemoMessages,
  HISTORY_DAYS,
  HOLIDAY_MIN_DISCOUNT,
  isInSaleWindow,
  LAPSED_QUIET_DAYS,
  NEW_CUSTOMER_DAYS,
  PERSONA_BLOCK,
  personaMix,
  personaOf,
  personas,
  type DemoCustomer,
  type DemoMessage,
  type Persona,
} from "./generate";

const DAY = 86_400_000;
const now = new Date("2025-06-15T12:00:00Z");
const seed = 7;

function generate(customers: number, options: { seed?: number; firstIndex?: number } = {}) {
  return [...generateDemoCustomers({ customers, seed, now, ...options })];
}

// One sample for the checks below: 150 blocks of 20, every persona many times.
const sample = generate(3000);
const byPersona = (persona: Persona) => sample.filter((c) => c.customer.persona === persona);
const time = (m: DemoMessage) => Date.parse(m.timestamp);
const isOrder = (m: DemoMessage) => m.type === "track" && m.event === "Order Completed";
const props = (m: DemoMessage) => ("properties" in m ? m.properties : {});

describe("demo generator: determinism", () => {
  it("gives the same messages for the same seed, and different ones for another seed", () => {
    const a = JSON.stringify([...generateDemoMessages({ customers: 200, seed, now })]);
    const b = JSON.stringify([...generateDemoMessages({ customers: 200, seed, now })]);
    const c = JSON.stringify([...generateDemoMessages({ customers: 200, seed: seed + 1, now })]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("makes customer i the same whatever the size of the run, so a run can be made in parts", () => {
    const whole = generate(100);
    const part = generate(30, { firstIndex: 40 });
    expect(part.map((c) => c.customer.index)).toEqual(whole.slice(40, 70).map((c) => c.customer.index));
    expect(JSON.stringify(part)).toBe(JSON.stringify(whole.slice(40, 70)));
  });

  it("is lazy: the first messages of a million customers come at once", () => {
    const started = performance.now();
    const first: DemoMessage[] = [];
    for (const message of generateDemoMessages({ customers: 1_000_000, seed, now })) {
      first.push(message);
      if (first.length === 100) break;
    }
    expect(first).toHaveLength(100);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("demo generator: personas", () => {
  it("draws every persona in the documented shares: exact per block of 20", () => {
    const blocks = sample.length / PERSONA_BLOCK;
    const counts = Object.fromEntries(personas.map((p) => [p, byPersona(p).length]));
    expect(counts).toEqual(Object.fromEntries(personas.map((p) => [p, personaMix[p] * blocks])));
    expect(new Set(generate(PERSONA_BLOCK).map((c) => c.customer.persona))).toEqual(new Set(personas));
    expect(sample.every(({ customer }) => personaOf(customer.index, seed) === customer.persona)).toBe(true);
  });

  it("averages about 10 events per customer, skewed: loyal customers are the heavy tail", () => {
    const counts = sample.map((c) => c.messages.length).sort((a, b) => a - b);
    const mean = counts.reduce((sum, n) => sum + n, 0) / counts.length;
    expect(mean).toBeGreaterThan(8);
    expect(mean).toBeLessThan(13);
    const median = counts[Math.floor(counts.length / 2)]!;
    expect(counts.at(-1)!).toBeGreaterThan(10 * median);
    const meanOf = (p: Persona) =>
      byPersona(p).reduce((sum, c) => sum + c.messages.length, 0) / byPersona(p).length;
    for (const p of personas)
      if (p !== "loyal_social") expect(meanOf("loyal_social")).toBeGreaterThan(4 * meanOf(p));
  });

  it("loyal customers order about weekly on several channels and like and share posts", () => {
    let orders = 0;
    let weeks = 0;
    for (const { messages } of byPersona("loyal_social")) {
      const own = messages.filter(isOrder).length;
      const span = (time(messages.at(-1)!) - time(messages[0]!)) / (7 * DAY);
      expect(own / span).toBeGreaterThan(0.3);
      orders += own;
      weeks += span;
      expect(messages.some((m) => m.type === "track" && /^Post (Liked|Shared)$/.test(m.event))).toBe(true);
      expect(messages.filter((m) => m.context.channel === "social").every((m) => m.userId)).toBe(true);
    }
    expect(orders / weeks).toBeGreaterThan(0.6);
    const channels = new Set(
      byPersona("loyal_social").flatMap((c) => c.messages.filter(isOrder).map(channelOf)),
    );
    expect(channels).toEqual(new Set(["web", "mobile", "store"]));
  });

  it("holiday shoppers buy only in the sale windows, always with a discount of at least 30 %", () => {
    let orders = 0;
    for (const { messages } of byPersona("holiday_shopper")) {
      expect(messages.filter(isOrder).length).toBeGreaterThan(0);
      for (const m of messages) {
        expect(isInSaleWindow(new Date(m.timestamp)), m.timestamp).toBe(true);
        if (!isOrder(m)) continue;
        orders++;
        expect(props(m).discount).toBeGreaterThanOrEqual(HOLIDAY_MIN_DISCOUNT);
        const month = new Date(m.timestamp).getUTCMonth();
        expect([5, 6, 10, 11]).toContain(month);
      }
    }
    expect(orders).toBeGreaterThan(byPersona("holiday_shopper").length);
  });

  it("email readers open and click campaigns and buy on the web site", () => {
    const readers = byPersona("email_reader");
    const all = readers.flatMap((c) => c.messages);
    const opened = all.filter((m) => m.type === "track" && m.event === "Email Opened");
    expect(opened.length).toBeGreaterThan(readers.length);
    expect(opened.every((m) => m.context.channel === "email" && m.userId && props(m).campaign_name)).toBe(
      true,
    );
    expect(all.some((m) => m.type === "track" && m.event === "Email Clicked")).toBe(true);
    const orders = all.filter(isOrder);
    expect(orders.length).toBeGreaterThan(readers.length / 2);
    expect(orders.every((m) => channelOf(m) === "web")).toBe(true);
  });

  it("store regulars shop in a store with a loyalty card and no web account, unless they also order online", () => {
    for (const { customer, messages } of byPersona("store_regular")) {
      const storeOrders = messages.filter((m) => isOrder(m) && m.context.channel === "store");
      expect(storeOrders.length).toBeGreaterThan(0);
      expect(
        storeOrders.every((m) => m.anonymousId === customer.loyaltyCard && !m.userId && props(m).store),
      ).toBe(true);
      if (!customer.cases.emailInTwoSources) expect(messages.every((m) => !m.userId)).toBe(true);
    }
  });

  it("lapsed high spenders made large purchases long ago and nothing since", () => {
    const quietSince = now.getTime() - LAPSED_QUIET_DAYS * DAY;
    const revenues: number[] = [];
    for (const { messages } of byPersona("lapsed_high_spender")) {
      expect(messages.every((m) => time(m) <= quietSince)).toBe(true);
      revenues.push(...messages.filter(isOrder).map((m) => props(m).revenue as number));
    }
    const others = sample
      .filter((c) => c.customer.persona !== "lapsed_high_spender")
      .flatMap((c) => c.messages.filter(isOrder).map((m) => props(m).revenue as number));
    const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
    expect(mean(revenues)).toBeGreaterThan(4 * mean(others));
  });

  it("new customers were first seen in the last weeks", () => {
    for (const { messages } of byPersona("new_customer")) {
      expect(time(messages[0]!)).toBeGreaterThan(now.getTime() - NEW_CUSTOMER_DAYS * DAY);
    }
    const firstSeen = sample
      .filter((c) => c.customer.persona !== "new_customer")
      .map((c) => time(c.messages[0]!))
      .filter((t) => t > now.getTime() - NEW_CUSTOMER_DAYS * DAY);
    expect(firstSeen.length).toBeLessThan(sample.length / 10);
  });
});

describe("demo generator: identities that need resolving", () => {
  it("has anonymous web visits that a later identify claims with the userId, the same anonymousId and the email", () => {
    const claimed = sample.filter(({ customer, messages }) => {
      const identifies = messages.filter((m) => m.type === "identify" && m.userId && m.anonymousId);
      return messages.some(
        (page) =>
          page.type === "page" &&
          !page.userId &&
          identifies.some(
            (id) =>
              id.anonymousId === page.anonymousId &&
              time(id) >= time(page) &&
              id.type === "identify" &&
              id.traits.email === customer.email,
          ),
      );
    });
    expect(claimed.length).toBeGreaterThan(sample.length / 2);
    expect(new Set(claimed.map((c) => c.customer.index))).toEqual(
      new Set(sample.filter((c) => c.customer.cases.anonymousThenIdentified).map((c) => c.customer.index)),
    );
  });

  it("has the same email from the store's POS (loyalty card, no userId) and from the web (userId)", () => {
    const twoSources = sample.filter(({ customer, messages }) => {
      const emailOf = (m: DemoMessage) =>
        m.type === "identify" ? String(m.traits.email).toLowerCase() : undefined;
      const pos = messages.filter((m) => m.type === "identify" && !m.userId && m.context.channel === "store");
      const web = messages.filter((m) => m.type === "identify" && m.userId);
      return pos.some((p) => emailOf(p) === customer.email && web.some((w) => emailOf(w) === customer.email));
    });
    expect(twoSources.length).toBeGreaterThan(sample.length / 40);
    expect(new Set(twoSources.map((c) => c.customer.persona))).toEqual(
      new Set(["store_regular", "loyal_social"]),
    );
    // Typed at the till in capitals, sometimes: resolution must compare emails without case.
    const posEmails = twoSources.flatMap((c) =>
      c.messages.flatMap((m) => (m.type === "identify" && !m.userId ? [String(m.traits.email)] : [])),
    );
    expect(posEmails.some((email) => email !== email.toLowerCase())).toBe(true);
    expect(twoSources.every((c) => c.customer.cases.emailInTwoSources)).toBe(true);
  });

  it("never gives two customers the same userId, anonymousId, email, phone or loyalty card", () => {
    const owners = new Map<string, number>();
    const claim = (kind: string, value: unknown, customer: DemoCustomer) => {
      if (typeof value !== "string") return;
      const key = `${kind}:${value.toLowerCase()}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== customer.index)
        throw new Error(`${key} of ${owner} and ${customer.index}`);
      owners.set(key, customer.index);
    };
    for (const { customer, messages } of sample) {
      for (const m of messages) {
        claim("userId", m.userId, customer);
        claim("anonymousId", m.anonymousId, customer);
        if (m.type === "identify") {
          claim("email", m.traits.email, customer);
          claim("phone", m.traits.phone, customer);
        }
      }
    }
    expect(owners.size).toBeGreaterThan(sample.length * 2);
  });
});

function channelOf(message: DemoMessage) {
  const result = normaliseMessage(message, now);
  if (!result.ok) throw new Error(result.error);
  return result.message.channel;
}

describe("demo generator: messages", () => {
  const messages = sample.flatMap((c) => c.messages);

  it("gives every message a unique, deterministic messageId", () => {
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(messages.length);
    expect(messages[0]!.messageId).toBe(`demo-${seed}-0-0`);
  });

  it("dates every message in the two years before now, each customer's in order", () => {
    const from = now.getTime() - HISTORY_DAYS * DAY;
    for (const m of messages) {
      expect(m.timestamp).toBe(new Date(m.timestamp).toISOString());
      expect(time(m)).toBeGreaterThanOrEqual(from);
      expect(time(m)).toBeLessThan(now.getTime());
    }
    for (const { messages: own } of sample) {
      expect(own.map(time)).toEqual(own.map(time).sort((a, b) => a - b));
    }
  });

  it("sends what the tracking API accepts, on every channel, with the context Segment's libraries send", () => {
    const channels = new Map<string, number>();
    for (const m of messages) {
      const channel = channelOf(m);
      channels.set(channel, (channels.get(channel) ?? 0) + 1);
      const library = (m.context.library as { name?: string } | undefined)?.name;
      if (channel === "web") expect(library).toBe("analytics.js");
      if (channel === "mobile") expect(library).toMatch(/^analytics-(ios|android)$/);
      if (["store", "email", "social", "call_center"].includes(channel))
        expect(m.context.channel).toBe(channel);
    }
    expect(new Set(channels.keys())).toEqual(
      new Set(["web", "mobile", "email", "store", "call_center", "social"]),
    );
  });

  it("describes purchases as Segment's Order Completed, with revenue after the discount", () => {
    const orders = messages.filter(isOrder);
    expect(orders.length).toBeGreaterThan(sample.length);
    for (const order of orders) {
      const p = props(order) as {
        revenue: number;
        currency: string;
        discount: number;
        products: { price: number; quantity: number }[];
      };
      const subtotal = p.products.reduce((sum, item) => sum + item.price * item.quantity, 0);
      expect(p.currency).toBe("EUR");
      expect(p.revenue).toBeCloseTo(subtotal * (1 - p.discount), 1);
    }
    const identifies = messages.filter((m) => m.type === "identify");
    expect(
      identifies.every((m) => m.type === "identify" && m.traits.name && m.traits.email && m.traits.city),
    ).toBe(true);
    expect(identifies.some((m) => m.type === "identify" && m.traits.phone)).toBe(true);
  });
});
