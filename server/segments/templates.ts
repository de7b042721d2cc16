import type { Rule } from "./rules";

// Starting points for new segments. They use the demo's vocabulary
// (server/demo/generate.ts), which follows Segment's e-commerce spec:
// purchases are "Order Completed" with properties.discount the fraction taken off,
// and holiday shoppers buy only in the sale periods, with at least 30 % off.

export interface SegmentTemplate {
  key: string;
  name: string;
  description: string;
  rule: Rule;
}

const purchase = "Order Completed";
/** The demo's sale periods, the same every year: the holiday season and the summer sale. */
const salePeriods = [
  { from: "11-20", to: "12-31" },
  { from: "06-25", to: "07-31" },
];

export const segmentTemplates: readonly SegmentTemplate[] = [
  {
    key: "loyal-weekly",
    name: "Loyal weekly customers",
    // "Most weeks of the last quarter" is counted exactly, as distinct calendar
    // weeks (UTC) with a purchase, rather than approximated by a number of orders.
    description: "Bought in at least 8 of the last 13 weeks and liked or shared a post in the last 90 days.",
    rule: {
      type: "and",
      rules: [
        {
          type: "behaviour",
          performed: true,
          event: purchase,
          window: { lastDays: 91 },
          weeks: { atLeast: 8 },
        },
        { type: "behaviour", performed: true, channel: "social", window: { lastDays: 90 } },
      ],
    },
  },
  {
    key: "holiday-discount",
    name: "Casual holiday discount shoppers",
    description:
      "At most 4 purchases, all in the sale periods (20 Nov–31 Dec, 25 Jun–31 Jul) and all with at least 30 % off.",
    rule: {
      type: "and",
      rules: [
        { type: "behaviour", performed: true, event: purchase, times: { atMost: 4 } },
        // With no purchase outside the sale periods, this one is in them: the periods are tested once.
        {
          type: "behaviour",
          performed: true,
          event: purchase,
          properties: [{ property: "discount", test: { op: "gte", value: 0.3 } }],
        },
        {
          type: "behaviour",
          performed: false,
          event: purchase,
          season: { periods: salePeriods, outside: true },
        },
        {
          type: "behaviour",
          performed: false,
          event: purchase,
          properties: [{ property: "discount", test: { op: "lt", value: 0.3 } }],
        },
      ],
    },
  },
  {
    key: "email-web-buyers",
    name: "Email readers who buy on the web",
    description: "Opened at least 2 newsletters in the last year and bought on the web.",
    rule: {
      type: "and",
      rules: [
        {
          type: "behaviour",
          performed: true,
          event: "Email Opened",
          channel: "email",
          window: { lastDays: 365 },
          times: { atLeast: 2 },
        },
        { type: "behaviour", performed: true, event: purchase, channel: "web" },
      ],
    },
  },
  {
    key: "at-risk-high-value",
    name: "At-risk high value",
    description: "P(alive) at most 50 % and predicted or past value in the top 20 % of the workspace.",
    rule: {
      type: "and",
      rules: [
        { type: "value", measure: "pAlive", op: "lte", value: 0.5 },
        {
          type: "or",
          rules: [
            { type: "value", measure: "clv", op: "topPercent", value: 20 },
            { type: "value", measure: "pastRevenue", op: "topPercent", value: 20 },
          ],
        },
      ],
    },
  },
  {
    key: "new-customers",
    name: "New customers",
    description: "First seen in the last 30 days.",
    rule: { type: "eventTime", which: "first", after: { daysAgo: 30 } },
  },
];
