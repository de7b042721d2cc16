// What each part of the product is for, shown on the dashboard and on the
// pages of modules that have not landed yet. One list so both say the same.

export interface Pillar {
  path: "maturity" | "journeys" | "segments" | "customers" | "value";
  title: string;
  summary: string;
  /** What the page will hold once its module lands; empty once it has. */
  upcoming: string[];
}

export const pillars: Pillar[] = [
  {
    path: "maturity",
    title: "Maturity",
    summary:
      "Where this business unit stands on the customer-centricity journey, where it aims, and what moves it.",
    // Landed: the scorecard, assessments, initiatives and the model.
    upcoming: [],
  },
  {
    path: "journeys",
    title: "Journeys",
    summary:
      "A journey per segment: stages, touchpoints by channel, message and timing, and how real customers moved.",
    // Landed: journeys/ is the module itself.
    upcoming: [],
  },
  {
    path: "segments",
    title: "Segments",
    summary: "Groups of customers defined by behaviour, traits and value — there is no average customer.",
    // Landed: segments/ is the module itself.
    upcoming: [],
  },
  {
    path: "customers",
    title: "Customers",
    summary: "Every customer's whole cross-channel history and value in one place.",
    upcoming: [
      "Events from web, app, email, store, call centre and social through a Segment-compatible API and CSV import",
      "Identities resolved into one profile, with merge history",
      "A unified timeline, channel mix and value: RFM, probability alive, expected purchases and lifetime value",
    ],
  },
  {
    path: "value",
    title: "Customer value",
    summary:
      "Customers as assets: who is likely to stay and buy, what each is worth, and where the value sits.",
    // Landed, including the portfolio of a segment.
    upcoming: [],
  },
];

export function pillar(path: Pillar["path"]) {
  return pillars.find((p) => p.path === path)!;
}
