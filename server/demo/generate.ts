// Deterministic demo histories: Segment-spec messages for N customers of
// Northwind Retail (a delicatessen chain with stores, a web shop, an app,
// a newsletter and social accounts), drawn from personas. Pure: no database,
// no clock, no Math.random. The same options give the same messages, byte for
// byte; customer i is the same whatever N is, so a bigger run extends a smaller one.
//
// Personas, per block of 20 consecutive customers (a shuffled block, so the
// shares are exact for every multiple of 20 and all six appear from 20 on):
//
//   loyal_social         1/20   5 %  weekly orders on web, app and (some) in store; likes and
//                                     shares posts; ~70 events: the heavy tail
//   holiday_shopper      4/20  20 %  buys only in the sale windows (20 Nov-31 Dec, 25 Jun-31 Jul)
//                                     with discount >= 0.3; a fresh browser each season, anonymous
//                                     until checkout
//   email_reader         5/20  25 %  subscribed on the web; opens and clicks newsletters; the
//                                     clicks lead to product views and some web orders
//   store_regular        4/20  20 %  POS only (channel store) with a loyalty card every 4-9 weeks;
//                                     a third of them also order once on the web with the same email
//   lapsed_high_spender  3/20  15 %  large orders 1-2 years ago, nothing in the last 400 days
//   new_customer         3/20  15 %  first seen in the last 6 weeks
//
// Across personas, some customers call the call centre ("Call Completed"); some
// lapsed customers left after an unresolved complaint.
//
// About 11 events per customer on average (median 7, 1 % above 100), skewed
// by persona and a per-customer activity factor. Identities that need resolving:
// - web visits start anonymous (analytics.js anonymousId only); the identify at
//   sign-up or checkout carries userId, the same anonymousId and the email;
//   holiday shoppers come back each season with a new anonymousId;
// - the app has its own anonymousId, linked by an identify from the app;
// - the store's POS knows a customer by loyalty card (its anonymousId) and the
//   email given at the till, sometimes typed in capitals; customers who also
//   shop on the web identify there with their userId and the same email.
// context.channel is set where Segment could not know the channel (store,
// email, social, call_center); web and app messages carry the library, page,
// app and device that analytics.js and analytics-ios/-android send.
// properties.discount is the fraction taken off (0.3 = 30 %); revenue is after it.

export const personas = [
  "loyal_social",
  "holiday_shopper",
  "email_reader",
  "store_regular",
  "lapsed_high_spender",
  "new_customer",
] as const;
export type Persona = (typeof personas)[number];

/** Customers of each persona in every block of `PERSONA_BLOCK` consecutive customers. */
export const personaMix: Record<Persona, number> = {
  loyal_social: 1,
  holiday_shopper: 4,
  email_reader: 5,
  store_regular: 4,
  lapsed_high_spender: 3,
  new_customer: 3,
};
export const PERSONA_BLOCK = 20;

/** How far back the histories go. */
export const HISTORY_DAYS = 730;
/** Every discount a holiday shopper gets is at least this. */
export const HOLIDAY_MIN_DISCOUNT = 0.3;
/** A lapsed customer has no events in this many days before `now`. */
export const LAPSED_QUIET_DAYS = 400;
/** A new customer's first event is at most this many days before `now`. */
export const NEW_CUSTOMER_DAYS = 42;

export interface DemoOptions {
  /** How many customers. */
  customers: number;
  /** Any integer; the same seed gives the same messages. */
  seed: number;
  /** The end of the history; every timestamp is in the HISTORY_DAYS before it. */
  now: Date;
  /** Index of the first customer (default 0), to generate a large set in parts. */
  firstIndex?: number;
}

interface BaseMessage {
  messageId: string;
  /** ISO 8601. */
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  context: Record<string, unknown>;
}

export type DemoMessage =
  | (BaseMessage & { type: "identify"; traits: Record<string, unknown> })
  | (BaseMessage & { type: "track"; event: string; properties: Record<string, unknown> })
  | (BaseMessage & { type: "page" | "screen"; name: string; properties: Record<string, unknown> });

/** A message before it has its place in the customer's history (messageId, timestamp). */
type Draft = DistributiveOmit<DemoMessage, "messageId" | "timestamp">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface DemoCustomer {
  index: number;
  persona: Persona;
  name: string;
  email: string;
  phone?: string;
  city: string;
  /** The web shop's customer id; store-only customers have none. */
  userId?: string;
  /** The store's loyalty card number, sent by the POS as anonymousId. */
  loyaltyCard?: string;
  /** Identity cases this customer exercises. */
  cases: {
    /** Anonymous web visits that a later identify (userId + the same anonymousId) claims. */
    anonymousThenIdentified: boolean;
    /** The same email from the POS (loyalty card, no userId) and from the web (userId). */
    emailInTwoSources: boolean;
  };
}

// ---------------------------------------------------------------------------
// Random numbers: sfc32, seeded from (seed, stream, index). Every customer has
// its own stream, so customers do not depend on each other.
// ---------------------------------------------------------------------------

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number, stream: number, index: number) {
    this.a = seed | 0;
    this.b = index | 0;
    this.c = stream | 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  range(min: number, max: number) {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number) {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Exponentially distributed with this mean. */
  exp(mean: number) {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-normal with median 1: the spread of how active people are. */
  activity(sigma: number) {
    const normal = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return Math.exp(sigma * normal);
  }

  hex(length: number) {
    let out = "";
    while (out.length < length)
      out += Math.floor(this.next() * 0x10000)
        .toString(16)
        .padStart(4, "0");
    return out.slice(0, length);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

const STREAM_PERSONAS = 0x50455253;
const STREAM_CUSTOMER = 0x43555354;

// ---------------------------------------------------------------------------
// Fixed data: names, places, products (the classic Northwind catalogue)
// ---------------------------------------------------------------------------

// prettier-ignore
const firstNames = [
  "Ana", "Lucas", "Emma", "Noah", "Sofia", "Liam", "Mila", "Daan", "Julia", "Sem", "Tess", "Finn", "Sara",
  "Levi", "Nora", "Milan", "Eva", "Luca", "Anna", "Jesse", "Lotte", "Bram", "Fleur", "Thijs", "Isa",
  "Ruben", "Zoë", "Max", "Lina", "Adam", "Yara", "Omar", "Fatima", "Mohamed", "Amira", "Mehmet", "Elif",
  "Priya", "Arjun", "Mei", "Wei", "Hana", "Kenji", "Olga", "Piotr", "Zofia", "Marek", "Inês", "Pedro",
  "Lucía", "Mateo", "Chloé", "Louis", "Camille", "Hugo", "Freya", "Oskar", "Astrid", "Erik", "Siobhan",
  "Declan", "Greta", "Jonas", "Leonie", "Felix", "Hannah", "Matteo", "Giulia", "Ahmed", "Noor",
] as const;

// prettier-ignore
const lastNames = [
  "de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "Mulder",
  "de Boer", "Peeters", "Janssens", "Maes", "Willems", "Müller", "Schmidt", "Schneider", "Fischer",
  "Weber", "Becker", "Dubois", "Martin", "Bernard", "Lefèvre", "García", "Rodríguez", "Fernández", "Rossi",
  "Russo", "Bianchi", "Nowak", "Kowalski", "Wiśniewska", "Yılmaz", "Kaya", "Demir", "El Amrani", "Benali",
  "Patel", "Shah", "Chen", "Wang", "Tanaka", "Sato", "Novak", "Horvat", "O'Brien", "Murphy", "Larsen",
  "Nielsen", "Johansson", "Andersson", "Silva", "Santos", "Costa", "Haddad", "Okafor", "Mensah",
] as const;

const emailDomains = ["example.com", "example.net", "example.org"] as const;

interface City {
  name: string;
  country: "NL" | "BE" | "DE";
  /** Cities with a Northwind store. */
  store?: string;
  weight: number;
}

const cities: readonly City[] = [
  { name: "Amsterdam", country: "NL", store: "Northwind Amsterdam Centrum", weight: 14 },
  { name: "Rotterdam", country: "NL", store: "Northwind Rotterdam Markthal", weight: 10 },
  { name: "Utrecht", country: "NL", store: "Northwind Utrecht", weight: 8 },
  { name: "The Hague", country: "NL", store: "Northwind Den Haag", weight: 7 },
  { name: "Eindhoven", country: "NL", weight: 5 },
  { name: "Groningen", country: "NL", weight: 4 },
  { name: "Haarlem", country: "NL", weight: 3 },
  { name: "Antwerp", country: "BE", store: "Northwind Antwerpen", weight: 7 },
  { name: "Ghent", country: "BE", weight: 4 },
  { name: "Brussels", country: "BE", weight: 6 },
  { name: "Cologne", country: "DE", store: "Northwind Köln", weight: 7 },
  { name: "Düsseldorf", country: "DE", weight: 5 },
  { name: "Aachen", country: "DE", weight: 2 },
];
const storeCities = cities.filter((c) => c.store);
const phonePrefix = { NL: "+31 6", BE: "+32 47", DE: "+49 151" } as const;
const locale = { NL: "nl-NL", BE: "nl-BE", DE: "de-DE" } as const;

interface Product {
  id: number;
  name: string;
  category: string;
  price: number;
}

// prettier-ignore
const catalogue: readonly Product[] = [
  { id: 1, name: "Chai", category: "Beverages", price: 18 },
  { id: 2, name: "Chang", category: "Beverages", price: 19 },
  { id: 3, name: "Aniseed Syrup", category: "Condiments", price: 10 },
  { id: 4, name: "Chef Anton's Cajun Seasoning", category: "Condiments", price: 22 },
  { id: 6, name: "Grandma's Boysenberry Spread", category: "Condiments", price: 25 },
  { id: 7, name: "Uncle Bob's Organic Dried Pears", category: "Produce", price: 30 },
  { id: 8, name: "Northwoods Cranberry Sauce", category: "Condiments", price: 40 },
  { id: 9, name: "Mishi Kobe Niku", category: "Meat/Poultry", price: 97 },
  { id: 10, name: "Ikura", category: "Seafood", price: 31 },
  { id: 11, name: "Queso Cabrales", category: "Dairy Products", price: 21 },
  { id: 12, name: "Queso Manchego La Pastora", category: "Dairy Products", price: 38 },
  { id: 13, name: "Konbu", category: "Seafood", price: 6 },
  { id: 14, name: "Tofu", category: "Produce", price: 23.25 },
  { id: 16, name: "Pavlova", category: "Confections", price: 17.45 },
  { id: 17, name: "Alice Mutton", category: "Meat/Poultry", price: 39 },
  { id: 18, name: "Carnarvon Tigers", category: "Seafood", price: 62.5 },
  { id: 20, name: "Sir Rodney's Marmalade", category: "Confections", price: 81 },
  { id: 21, name: "Sir Rodney's Scones", category: "Confections", price: 10 },
  { id: 24, name: "Guaraná Fantástica", category: "Beverages", price: 4.5 },
  { id: 26, name: "Gumbär Gummibärchen", category: "Confections", price: 31.23 },
  { id: 28, name: "Rössle Sauerkraut", category: "Produce", price: 45.6 },
  { id: 29, name: "Thüringer Rostbratwurst", category: "Meat/Poultry", price: 123.79 },
  { id: 31, name: "Gorgonzola Telino", category: "Dairy Products", price: 12.5 },
  { id: 35, name: "Steeleye Stout", category: "Beverages", price: 18 },
  { id: 36, name: "Inlagd Sill", category: "Seafood", price: 19 },
  { id: 38, name: "Côte de Blaye", category: "Beverages", price: 263.5 },
  { id: 39, name: "Chartreuse verte", category: "Beverages", price: 18 },
  { id: 40, name: "Boston Crab Meat", category: "Seafood", price: 18.4 },
  { id: 43, name: "Ipoh Coffee", category: "Beverages", price: 46 },
  { id: 46, name: "Spegesild", category: "Seafood", price: 12 },
  { id: 48, name: "Chocolade", category: "Confections", price: 12.75 },
  { id: 51, name: "Manjimup Dried Apples", category: "Produce", price: 53 },
  { id: 56, name: "Gnocchi di nonna Alice", category: "Grains/Cereals", price: 38 },
  { id: 59, name: "Raclette Courdavault", category: "Dairy Products", price: 55 },
  { id: 60, name: "Camembert Pierrot", category: "Dairy Products", price: 34 },
  { id: 62, name: "Tarte au sucre", category: "Confections", price: 49.3 },
  { id: 65, name: "Louisiana Fiery Hot Pepper Sauce", category: "Condiments", price: 21.05 },
  { id: 69, name: "Gudbrandsdalsost", category: "Dairy Products", price: 36 },
  { id: 72, name: "Mozzarella di Giovanni", category: "Dairy Products", price: 34.8 },
  { id: 75, name: "Rhönbräu Klosterbier", category: "Beverages", price: 7.75 },
  { id: 76, name: "Lakkalikööri", category: "Beverages", price: 18 },
  { id: 77, name: "Original Frankfurter grüne Soße", category: "Condiments", price: 13 },
];
/** The products of an everyday basket. */
export const everyday = catalogue.filter((p) => p.price <= 40);
const premium = catalogue.filter((p) => p.price >= 60);
const gifts = catalogue.filter((p) => ["Confections", "Beverages", "Dairy Products"].includes(p.category));

const browserAgents = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
] as const;

const callReasons = [
  "Delivery question",
  "Return request",
  "Loyalty points",
  "Product question",
  "Opening hours",
];
const complaintReasons = ["Damaged delivery", "Late delivery", "Wrong item delivered"];
const agents = ["Marloes", "Kevin", "Sanne", "Youssef", "Birgit", "Thomas"];
const socialNetworks = ["instagram", "instagram", "facebook", "tiktok"] as const;
const postTitles = [
  "Cheese of the week",
  "Behind the counter in Rotterdam",
  "Five ways with Ikura",
  "Our Chai, brewed right",
  "Meet the makers: Gudbrandsdalsost",
  "Weekend brunch board",
  "Sale preview",
  "Recipe: Pavlova with berries",
];

// ---------------------------------------------------------------------------
// Calendar: sale windows and the newsletter campaigns, the same for everyone
// ---------------------------------------------------------------------------

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface SaleWindow {
  kind: "winter" | "summer";
  start: number;
  end: number;
}

/** The sale windows of a year: summer sale 25 Jun-31 Jul, holiday season 20 Nov-31 Dec (UTC). */
function saleWindowsOf(year: number): SaleWindow[] {
  return [
    { kind: "summer", start: Date.UTC(year, 5, 25), end: Date.UTC(year, 7, 1) - 1 },
    { kind: "winter", start: Date.UTC(year, 10, 20), end: Date.UTC(year + 1, 0, 1) - 1 },
  ];
}

/** Whether a moment falls in a sale window, where holiday shoppers buy. */
export function isInSaleWindow(date: Date): boolean {
  const t = date.getTime();
  return saleWindowsOf(date.getUTCFullYear()).some((w) => t >= w.start && t <= w.end);
}

interface Campaign {
  id: string;
  name: string;
  subject: string;
  sentAt: number;
  sale?: SaleWindow["kind"];
}

// prettier-ignore
const monthNames = [
  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December",
] as const;

function campaignsBetween(start: number, end: number): Campaign[] {
  const campaigns: Campaign[] = [];
  const from = new Date(start);
  for (let month = from.getUTCFullYear() * 12 + from.getUTCMonth(); ; month++) {
    const y = Math.floor(month / 12);
    const m = month % 12;
    const sentAt = Date.UTC(y, m, 5, 7, 30);
    if (sentAt > end) break;
    if (sentAt >= start && sentAt <= end) {
      const month = monthNames[m]!;
      campaigns.push({
        id: `newsletter-${y}-${String(m + 1).padStart(2, "0")}`,
        name: `Newsletter ${month} ${y}`,
        subject: `What's good in ${month}: new arrivals and recipes`,
        sentAt,
      });
    }
  }
  for (let y = from.getUTCFullYear(); y <= new Date(end).getUTCFullYear(); y++) {
    for (const w of saleWindowsOf(y)) {
      const sentAt = w.start + 7 * HOUR;
      if (sentAt < start || sentAt > end) continue;
      campaigns.push(
        w.kind === "winter"
          ? {
              id: `black-friday-${y}`,
              name: `Black Friday ${y}`,
              subject: "Up to 50% off gift boxes",
              sentAt,
              sale: "winter",
            }
          : {
              id: `summer-sale-${y}`,
              name: `Summer Sale ${y}`,
              subject: "Summer sale: 30-50% off",
              sentAt,
              sale: "summer",
            },
      );
    }
  }
  return campaigns.sort((a, b) => a.sentAt - b.sentAt);
}

// ---------------------------------------------------------------------------
// One customer's history
// ---------------------------------------------------------------------------

interface Calendar {
  seed: number;
  now: number;
  start: number;
  windows: SaleWindow[];
  campaigns: Campaign[];
}

interface WebDevice {
  anonymousId: string;
  userAgent: string;
}

interface AppDevice {
  anonymousId: string;
  os: "iOS" | "Android";
  model: string;
}

/** Only the persona of a customer, for sampling without generating the history. */
export function personaOf(index: number, seed: number): Persona {
  const block = Math.floor(index / PERSONA_BLOCK);
  const slots = personas.flatMap((p) => Array.from({ length: personaMix[p] }, () => p));
  return new Rng(seed, STREAM_PERSONAS, block).shuffle(slots)[index % PERSONA_BLOCK]!;
}

function ascii(text: string) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ı/g, "i")
    .replace(/ś/g, "s")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

/** murmur3's finaliser: a bijection on 32-bit integers that scatters consecutive inputs. */
function mix32(n: number) {
  let h = n >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function money(n: number) {
  return Math.round(n * 100) / 100;
}

class History {
  private drafts: { t: number; draft: Draft }[] = [];
  private orders = 0;
  readonly customer: DemoCustomer;

  constructor(
    readonly rng: Rng,
    readonly cal: Calendar,
    index: number,
    persona: Persona,
  ) {
    const first = rng.pick(firstNames);
    const last = rng.pick(lastNames);
    const city = persona === "store_regular" ? rng.pick(storeCities) : this.pickCity();
    const hasPhone = rng.chance(persona === "store_regular" ? 0.6 : 0.35);
    // Unique by construction: the index is part of the email and of the phone number.
    const phoneDigits = String((index * 7919 + 4_218_337) % 100_000_000).padStart(8, "0");
    this.customer = {
      index,
      persona,
      name: `${first} ${last}`,
      email: `${ascii(first)}.${ascii(last)}${index + 1}@${rng.pick(emailDomains)}`,
      phone: hasPhone
        ? `${phonePrefix[city.country]} ${phoneDigits.slice(0, 4)} ${phoneDigits.slice(4)}`
        : undefined,
      city: city.name,
      cases: { anonymousThenIdentified: false, emailInTwoSources: false },
    };
    this.country = city.country;
    this.store = city.store ?? rng.pick(storeCities).store!;
  }

  readonly country: City["country"];
  /** The store this customer visits. */
  readonly store: string;

  private pickCity(): City {
    let n = this.rng.next() * cities.reduce((sum, c) => sum + c.weight, 0);
    for (const city of cities) if ((n -= city.weight) < 0) return city;
    return cities[0]!;
  }

  // --- ids ---------------------------------------------------------------

  get userId() {
    return (this.customer.userId ??= `nw${String(this.customer.index + 1).padStart(7, "0")}`);
  }

  get loyaltyCard() {
    return (this.customer.loyaltyCard ??= `card-${String(
      (this.customer.index * 104_729 + 31_337) % 1_000_000_000,
    ).padStart(9, "0")}`);
  }

  /** A UUID v4 shaped id, unique per customer and device: its last 8 digits are a bijection of both. */
  newAnonymousId(device: number) {
    const r = this.rng;
    const unique = mix32(this.customer.index * 16 + device)
      .toString(16)
      .padStart(8, "0");
    return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(["8", "9", "a", "b"])}${r.hex(3)}-${r.hex(4)}${unique}`;
  }

  private devices = 0;

  newBrowser(): WebDevice {
    return { anonymousId: this.newAnonymousId(this.devices++), userAgent: this.rng.pick(browserAgents) };
  }

  newApp(): AppDevice {
    const ios = this.rng.chance(0.55);
    return {
      anonymousId: this.newAnonymousId(this.devices++),
      os: ios ? "iOS" : "Android",
      model: ios
        ? this.rng.pick(["iPhone14,5", "iPhone15,2", "iPhone16,1"])
        : this.rng.pick(["Pixel 8", "SM-S911B", "SM-A546B"]),
    };
  }

  traits(extra: Record<string, unknown> = {}) {
    const c = this.customer;
    const [firstName, ...rest] = c.name.split(" ");
    return {
      name: c.name,
      firstName,
      lastName: rest.join(" "),
      email: c.email,
      ...(c.phone ? { phone: c.phone } : {}),
      city: c.city,
      ...extra,
    };
  }

  // --- time --------------------------------------------------------------

  /** A moment on the day of `t` between these hours (UTC). */
  onDay(t: number, fromHour: number, toHour: number) {
    return (
      Math.floor(t / DAY) * DAY +
      Math.floor(this.rng.range(fromHour, toHour) * HOUR) +
      this.rng.int(0, 59) * 1000
    );
  }

  add(t: number, draft: Draft) {
    this.drafts.push({ t, draft });
  }

  // --- channels ----------------------------------------------------------

  webContext(device: WebDevice, path: string, title: string, campaign?: Campaign) {
    return {
      library: { name: "analytics.js", version: "npm:next-1.70.0" },
      page: {
        path,
        url: `https://shop.northwind.example${path}`,
        title,
        referrer: campaign ? "" : "https://www.google.com/",
      },
      userAgent: device.userAgent,
      locale: locale[this.country],
      ...(campaign
        ? { campaign: { name: campaign.name, source: "newsletter", medium: "email", content: campaign.id } }
        : {}),
    };
  }

  appContext(device: AppDevice) {
    return {
      library:
        device.os === "iOS"
          ? { name: "analytics-ios", version: "4.1.8" }
          : { name: "analytics-android", version: "4.11.3" },
      app: { name: "Northwind", version: "3.4.1", build: "341", namespace: "example.northwind.app" },
      device: { type: device.os === "iOS" ? "ios" : "android", model: device.model, id: device.anonymousId },
      os: { name: device.os, version: device.os === "iOS" ? "17.4" : "14" },
      locale: locale[this.country],
    };
  }

  /** Who a web message is from: anonymous until the browser was identified. */
  private webIds(device: WebDevice, known: boolean) {
    return known
      ? { userId: this.userId, anonymousId: device.anonymousId }
      : { anonymousId: device.anonymousId };
  }

  page(t: number, device: WebDevice, known: boolean, name: string, path: string, campaign?: Campaign) {
    const title = `${name} | Northwind`;
    this.add(t, {
      type: "page",
      name,
      ...this.webIds(device, known),
      properties: { path, url: `https://shop.northwind.example${path}`, title },
      context: this.webContext(device, path, title, campaign),
    });
  }

  productViewed(
    t: number,
    device: WebDevice | AppDevice,
    known: boolean,
    product: Product,
    campaign?: Campaign,
  ) {
    const path = `/products/${product.id}`;
    this.add(t, {
      type: "track",
      event: "Product Viewed",
      ...("userAgent" in device
        ? this.webIds(device, known)
        : { userId: this.userId, anonymousId: device.anonymousId }),
      properties: {
        product_id: String(product.id),
        name: product.name,
        category: product.category,
        price: product.price,
        currency: "EUR",
      },
      context:
        "userAgent" in device
          ? this.webContext(device, path, `${product.name} | Northwind`, campaign)
          : this.appContext(device),
    });
  }

  identifyWeb(t: number, device: WebDevice, extra?: Record<string, unknown>) {
    this.add(t, {
      type: "identify",
      userId: this.userId,
      anonymousId: device.anonymousId,
      traits: this.traits(extra),
      context: this.webContext(device, "/account", "My account | Northwind"),
    });
  }

  identifyApp(t: number, device: AppDevice) {
    this.add(t, {
      type: "identify",
      userId: this.userId,
      anonymousId: device.anonymousId,
      traits: this.traits(),
      context: this.appContext(device),
    });
  }

  /** The POS's identify when a loyalty card is issued: the card number and what the customer tells the till. */
  identifyStore(t: number) {
    const email = this.rng.chance(0.3)
      ? this.customer.email.replace(/^./, (c) => c.toUpperCase()).replace(/@.*/, (d) => d.toUpperCase())
      : this.customer.email;
    this.add(t, {
      type: "identify",
      anonymousId: this.loyaltyCard,
      traits: { ...this.traits(), email, loyalty_card: this.loyaltyCard },
      context: { channel: "store", library: { name: "analytics-node", version: "2.1.0" }, store: this.store },
    });
  }

  basket(items: readonly Product[], count: [number, number], quantity: [number, number]) {
    const picked = new Map<Product, number>();
    const n = this.rng.int(count[0], count[1]);
    for (let i = 0; i < n; i++) {
      const product = this.rng.pick(items);
      picked.set(product, (picked.get(product) ?? 0) + this.rng.int(quantity[0], quantity[1]));
    }
    return [...picked].map(([p, q]) => ({
      product_id: String(p.id),
      sku: `NW-${String(p.id).padStart(3, "0")}`,
      name: p.name,
      category: p.category,
      price: p.price,
      quantity: q,
    }));
  }

  order(
    t: number,
    where: { web: WebDevice } | { app: AppDevice } | "store",
    products: ReturnType<History["basket"]>,
    discount = 0,
    coupon?: string,
    campaign?: Campaign,
  ) {
    const subtotal = products.reduce((sum, p) => sum + p.price * p.quantity, 0);
    const channel = where === "store" ? "POS" : "web" in where ? "WEB" : "APP";
    const properties = {
      order_id: `${channel}-${this.customer.index}-${++this.orders}`,
      revenue: money(subtotal * (1 - discount)),
      currency: "EUR",
      discount,
      ...(coupon ? { coupon } : {}),
      products,
      ...(where === "store"
        ? { store: this.store, payment_method: this.rng.pick(["card", "card", "contactless", "cash"]) }
        : {}),
    };
    if (where === "store") {
      this.add(t, {
        type: "track",
        event: "Order Completed",
        anonymousId: this.loyaltyCard,
        properties,
        context: {
          channel: "store",
          library: { name: "analytics-node", version: "2.1.0" },
          store: this.store,
        },
      });
    } else if ("web" in where) {
      this.add(t, {
        type: "track",
        event: "Order Completed",
        userId: this.userId,
        anonymousId: where.web.anonymousId,
        properties,
        context: this.webContext(where.web, "/checkout/complete", "Thank you | Northwind", campaign),
      });
    } else {
      this.add(t, {
        type: "track",
        event: "Order Completed",
        userId: this.userId,
        anonymousId: where.app.anonymousId,
        properties,
        context: this.appContext(where.app),
      });
    }
  }

  email(t: number, event: "Email Opened" | "Email Clicked", campaign: Campaign) {
    this.add(t, {
      type: "track",
      event,
      userId: this.userId,
      properties: {
        campaign_id: campaign.id,
        campaign_name: campaign.name,
        email_subject: campaign.subject,
        email_id: `${campaign.id}-${this.customer.index}`,
        ...(event === "Email Clicked"
          ? { link_url: `https://shop.northwind.example/${campaign.sale ? "sale" : "new"}` }
          : {}),
      },
      context: { channel: "email" },
    });
  }

  social(t: number) {
    const network = this.rng.pick(socialNetworks);
    const post = this.rng.int(0, postTitles.length - 1);
    this.add(t, {
      type: "track",
      event: this.rng.chance(0.75) ? "Post Liked" : "Post Shared",
      userId: this.userId,
      properties: { network, post_id: `${network}-${2400 + post}`, post_title: postTitles[post] },
      context: { channel: "social" },
    });
  }

  call(day: number, who: "user" | "card", complaint = false) {
    this.add(this.onDay(day, 8, 18), {
      type: "track",
      event: "Call Completed",
      ...(who === "user" ? { userId: this.userId } : { anonymousId: this.loyaltyCard }),
      properties: {
        reason: complaint ? this.rng.pick(complaintReasons) : this.rng.pick(callReasons),
        duration_seconds: this.rng.int(90, complaint ? 1500 : 600),
        agent: this.rng.pick(agents),
        resolved: complaint ? false : this.rng.chance(0.85),
      },
      context: { channel: "call_center" },
    });
  }

  /** Email engagement from `from` to `to`: opens, clicks, and the web visits and orders they lead to. */
  newsletter(
    from: number,
    to: number,
    device: WebDevice,
    openRate: number,
    clickRate: number,
    buyRate: number,
  ) {
    for (const campaign of this.cal.campaigns) {
      if (campaign.sentAt < from || campaign.sentAt > to || !this.rng.chance(openRate)) continue;
      const opened = campaign.sentAt + Math.min(this.rng.exp(8 * HOUR), 4 * DAY);
      this.email(opened, "Email Opened", campaign);
      if (!this.rng.chance(clickRate)) continue;
      const clicked = opened + this.rng.int(10, 300) * 1000;
      this.email(clicked, "Email Clicked", campaign);
      const product = this.rng.pick(campaign.sale ? gifts : everyday);
      this.productViewed(clicked + 20_000, device, true, product, campaign);
      if (this.rng.chance(campaign.sale ? buyRate * 1.5 : buyRate)) {
        const discount = campaign.sale ? 0.3 : 0;
        this.order(
          clicked + this.rng.int(3, 15) * MINUTE,
          { web: device },
          this.basket([product, ...everyday], [1, 3], [1, 2]),
          discount,
          campaign.sale ? campaign.id.toUpperCase() : undefined,
          campaign,
        );
      }
    }
  }

  /**
   * Messages in time order (stable for equal times), with ids. What would lie
   * in the future is left out; browsing from before the window starts with it.
   */
  finish(seed: number): DemoMessage[] {
    const { start, now } = this.cal;
    const messages = this.drafts
      .map((d, i) => ({ ...d, t: Math.max(d.t, start), i }))
      .filter((d) => d.t < now)
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map(
        ({ t, draft }, seq) =>
          ({
            ...draft,
            messageId: `demo-${seed}-${this.customer.index}-${seq}`,
            timestamp: new Date(Math.floor(t / 1000) * 1000).toISOString(),
          }) as DemoMessage,
      );
    this.customer.cases = identityCases(messages);
    return messages;
  }
}

/** Which identity cases a customer's messages exercise, read from the messages themselves. */
function identityCases(messages: DemoMessage[]): DemoCustomer["cases"] {
  const anonymousPages = new Set<string>();
  const storeEmails = new Set<string>();
  const webEmails = new Set<string>();
  let anonymousThenIdentified = false;
  for (const m of messages) {
    if (m.type === "page" && !m.userId && m.anonymousId) anonymousPages.add(m.anonymousId);
    if (m.type !== "identify") continue;
    if (m.userId && m.anonymousId && anonymousPages.has(m.anonymousId)) anonymousThenIdentified = true;
    const email = typeof m.traits.email === "string" ? m.traits.email.toLowerCase() : undefined;
    if (email) (m.userId ? webEmails : m.context.channel === "store" ? storeEmails : new Set()).add(email);
  }
  return {
    anonymousThenIdentified,
    emailInTwoSources: [...storeEmails].some((email) => webEmails.has(email)),
  };
}

// ---------------------------------------------------------------------------
// Personas
// ---------------------------------------------------------------------------

/** Anonymous browsing in the days before `t` (not before `earliest`); the identify at `t` claims it. */
function arriveAnonymously(h: History, device: WebDevice, t: number, pages: number, earliest = t - 10 * DAY) {
  for (let i = pages; i >= 1; i--) {
    const when =
      i === 1
        ? t - h.rng.int(2, 20) * MINUTE
        : Math.max(earliest, h.onDay(t - h.rng.range(1, 10) * DAY, 7, 23));
    const product = h.rng.pick(catalogue);
    if (h.rng.chance(0.5)) h.page(when, device, false, "Home", "/");
    else h.page(when, device, false, product.name, `/products/${product.id}`);
  }
}

function loyalSocial(h: History) {
  const { rng, cal } = h;
  const activity = rng.activity(0.35);
  const start = cal.now - rng.range(90, 540) * DAY;
  const browser = h.newBrowser();
  arriveAnonymously(h, browser, start, rng.int(1, 3));
  h.identifyWeb(start, browser, { newsletter: true });
  const app = rng.chance(0.7) ? h.newApp() : undefined;
  const appFrom = start + rng.range(7, 60) * DAY;
  if (app) {
    h.add(appFrom - MINUTE, {
      type: "screen",
      name: "Welcome",
      anonymousId: app.anonymousId,
      properties: {},
      context: h.appContext(app),
    });
    h.identifyApp(appFrom, app);
  }
  const storeToo = rng.chance(0.5);
  let storeIdentified = false;

  for (let week = start + rng.range(1, 6) * DAY; week < cal.now; week += rng.range(6, 8) * DAY) {
    if (rng.chance(Math.min(0.95, Math.max(0.7, 0.85 * activity)))) {
      const basket = h.basket(everyday, [2, 4], [1, 2]);
      const roll = rng.next();
      if (storeToo && roll < 0.3) {
        const t = h.onDay(week, 9, 19);
        if (!storeIdentified) {
          h.identifyStore(t - MINUTE);
          storeIdentified = true;
        }
        h.order(t, "store", basket);
      } else if (app && week > appFrom && roll < 0.65) {
        const t = h.onDay(week, 18, 22);
        if (rng.chance(0.3)) h.productViewed(t - 3 * MINUTE, app, true, rng.pick(everyday));
        h.order(t, { app }, basket);
      } else {
        const t = h.onDay(week, 19, 23);
        if (rng.chance(0.3)) h.productViewed(t - 4 * MINUTE, browser, true, rng.pick(everyday));
        h.order(t, { web: browser }, basket, rng.chance(0.1) ? 0.1 : 0);
      }
    }
    if (rng.chance(0.35 * activity)) h.social(h.onDay(week + rng.range(0, 6) * DAY, 7, 23));
  }
  h.newsletter(start, cal.now, browser, 0.3, 0.1, 0.2);
  if (rng.chance(0.15)) h.call(start + rng.range(0.2, 0.95) * (cal.now - start), "user");
}

function holidayShopper(h: History) {
  const { rng, cal } = h;
  const windows = cal.windows.filter((w) => w.end - w.start > 3 * DAY);
  const chosen = windows.filter(() => rng.chance(0.5));
  if (chosen.length === 0) chosen.push(rng.pick(windows));
  let browser = h.newBrowser();
  let first = true;
  for (const w of chosen) {
    if (!first && rng.chance(0.7)) browser = h.newBrowser();
    const day = w.start + rng.range(0, (w.end - w.start) / DAY - 1) * DAY;
    const t = h.onDay(day, 8, 22);
    h.page(t - rng.int(5, 25) * MINUTE, browser, false, "Sale", "/sale");
    if (rng.chance(0.4)) h.productViewed(t - rng.int(2, 4) * MINUTE, browser, false, rng.pick(gifts));
    h.identifyWeb(t - MINUTE, browser);
    const discount = rng.pick([0.3, 0.4, 0.5]);
    h.order(
      t,
      { web: browser },
      h.basket(gifts, [1, 4], [1, 3]),
      discount,
      `${w.kind.toUpperCase()}${Math.round(discount * 100)}`,
    );
    first = false;
  }
}

function emailReader(h: History) {
  const { rng, cal } = h;
  const activity = rng.activity(0.5);
  const start = cal.now - rng.range(30, 600) * DAY;
  const browser = h.newBrowser();
  arriveAnonymously(h, browser, start, rng.int(1, 3));
  h.identifyWeb(start, browser, { newsletter: true });
  h.newsletter(start, cal.now, browser, Math.min(0.9, 0.2 * activity), 0.3, 0.25);
  // Now and then a visit of their own accord.
  for (let t = start + rng.exp(180 * DAY); t < cal.now; t += rng.exp((180 * DAY) / activity)) {
    const at = h.onDay(t, 19, 23);
    h.productViewed(at, browser, true, rng.pick(everyday));
    if (rng.chance(0.4))
      h.order(at + rng.int(3, 12) * MINUTE, { web: browser }, h.basket(everyday, [1, 3], [1, 2]));
  }
  if (rng.chance(0.1)) h.call(start + rng.range(0.1, 0.95) * (cal.now - start), "user");
}

function storeRegular(h: History) {
  const { rng, cal } = h;
  const activity = rng.activity(0.3);
  const start = cal.now - rng.range(45, 560) * DAY;
  const gap = rng.range(28, 63) / activity;
  let t = h.onDay(start, 9, 19);
  h.identifyStore(t - MINUTE);
  for (; t < cal.now; t = h.onDay(t + gap * rng.range(0.6, 1.4) * DAY, 9, 19)) {
    h.order(t, "store", h.basket(everyday, [1, 4], [1, 2]), rng.chance(0.05) ? 0.1 : 0);
  }
  if (rng.chance(1 / 3)) {
    // Orders once on the web shop: a userId there, and the same email as at the till.
    const browser = h.newBrowser();
    const at = h.onDay(start + rng.range(0.2, 0.95) * (cal.now - start), 19, 22);
    arriveAnonymously(h, browser, at - 2 * MINUTE, 1);
    h.identifyWeb(at - MINUTE, browser);
    h.order(at, { web: browser }, h.basket(everyday, [1, 3], [1, 2]));
  }
  if (rng.chance(0.12)) h.call(start + rng.range(0.1, 0.95) * (cal.now - start), "card");
}

function lapsedHighSpender(h: History) {
  const { rng, cal } = h;
  const start = cal.now - rng.range(560, HISTORY_DAYS - 5) * DAY;
  const lapsedAt = Math.max(start + 40 * DAY, cal.now - rng.range(LAPSED_QUIET_DAYS + 10, 520) * DAY);
  const orders = rng.int(2, 5);
  const web = rng.chance(0.65);
  const browser = h.newBrowser();
  const times = Array.from({ length: orders }, (_, i) =>
    i === 0 ? start : start + rng.range(0.1, 1) * (lapsedAt - start),
  ).sort((a, b) => a - b);
  for (const [i, day] of times.entries()) {
    const basket = h.basket(premium, [1, 3], [1, 4]);
    if (web) {
      const t = h.onDay(day, 10, 22);
      if (i === 0) {
        arriveAnonymously(h, browser, t - 2 * MINUTE, rng.int(1, 2));
        h.identifyWeb(t - MINUTE, browser);
      } else if (rng.chance(0.5)) h.productViewed(t - 5 * MINUTE, browser, true, rng.pick(premium));
      h.order(t, { web: browser }, basket);
    } else {
      const t = h.onDay(day, 10, 18);
      if (i === 0) h.identifyStore(t - MINUTE);
      h.order(t, "store", basket);
    }
  }
  // Some left after a bad experience.
  if (rng.chance(0.4)) h.call(lapsedAt + rng.range(1, 8) * DAY, web ? "user" : "card", true);
}

function newCustomer(h: History) {
  const { rng, cal } = h;
  const start = cal.now - rng.range(0.5, NEW_CUSTOMER_DAYS - 1) * DAY;
  const browser = h.newBrowser();
  const signup = start + 20 * MINUTE + rng.range(0, Math.min(7, (cal.now - start) / DAY - 0.1)) * DAY;
  arriveAnonymously(h, browser, signup, rng.int(1, 2), start);
  h.identifyWeb(signup, browser, { newsletter: rng.chance(0.6) });
  if (rng.chance(0.6)) {
    h.order(
      signup + rng.int(2, 20) * MINUTE,
      { web: browser },
      h.basket(everyday, [1, 3], [1, 2]),
      0.1,
      "WELCOME10",
    );
  }
  if (rng.chance(0.25)) {
    const app = h.newApp();
    const at = signup + rng.range(0.1, 1) * (cal.now - signup);
    h.add(at - MINUTE, {
      type: "screen",
      name: "Welcome",
      anonymousId: app.anonymousId,
      properties: {},
      context: h.appContext(app),
    });
    h.identifyApp(at, app);
    h.add(at + MINUTE, {
      type: "screen",
      name: "Home",
      userId: h.userId,
      anonymousId: app.anonymousId,
      properties: {},
      context: h.appContext(app),
    });
  }
}

const personaHistories: Record<Persona, (h: History) => void> = {
  loyal_social: loyalSocial,
  holiday_shopper: holidayShopper,
  email_reader: emailReader,
  store_regular: storeRegular,
  lapsed_high_spender: lapsedHighSpender,
  new_customer: newCustomer,
};

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

function calendar(options: DemoOptions): Calendar {
  const now = options.now.getTime();
  if (Number.isNaN(now)) throw new Error("now must be a valid date");
  if (!Number.isInteger(options.customers) || options.customers < 0)
    throw new Error("customers must be a whole number");
  const start = now - HISTORY_DAYS * DAY;
  const windows: SaleWindow[] = [];
  for (let y = new Date(start).getUTCFullYear(); y <= new Date(now).getUTCFullYear(); y++) {
    for (const w of saleWindowsOf(y)) {
      const clipped = { ...w, start: Math.max(w.start, start), end: Math.min(w.end, now - HOUR) };
      if (clipped.end > clipped.start) windows.push(clipped);
    }
  }
  return { seed: options.seed | 0, now, start, windows, campaigns: campaignsBetween(start, now) };
}

/** Customers with their messages (in time order), one at a time. */
export function* generateDemoCustomers(
  options: DemoOptions,
): Generator<{ customer: DemoCustomer; messages: DemoMessage[] }> {
  const cal = calendar(options);
  const first = options.firstIndex ?? 0;
  for (let index = first; index < first + options.customers; index++) {
    const persona = personaOf(index, cal.seed);
    const history = new History(new Rng(cal.seed, STREAM_CUSTOMER, index), cal, index, persona);
    personaHistories[persona](history);
    yield { customer: history.customer, messages: history.finish(cal.seed) };
  }
}

/**
 * The demo messages, customer after customer, each customer's in time order.
 * A generator: a million customers are never held in memory at once.
 */
export function* generateDemoMessages(options: DemoOptions): Generator<DemoMessage> {
  for (const { messages } of generateDemoCustomers(options)) yield* messages;
}
