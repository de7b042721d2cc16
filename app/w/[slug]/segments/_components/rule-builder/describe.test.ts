import { describe, expect, it } from "vitest";
import type { Rule } from "~/server/segments/rules";
import { segmentTemplates } from "~/server/segments/templates";
import { describeRule } from "./describe";

function template(key: string) {
  const found = segmentTemplates.find((t) => t.key === key);
  if (!found) throw new Error(key);
  return found.rule;
}

describe("describeRule", () => {
  it("reads the templates as sentences", () => {
    expect(describeRule(template("loyal-weekly"))).toBe(
      "Performed Order Completed in at least 8 distinct weeks in the last 91 days and Performed any event on Social in the last 90 days",
    );
    expect(describeRule(template("holiday-discount"))).toBe(
      "Performed Order Completed at most 4 times and Performed Order Completed where discount is at least 0.3 and Did not perform Order Completed outside 20 Nov–31 Dec and 25 Jun–31 Jul of any year and Did not perform Order Completed where discount is less than 0.3",
    );
    expect(describeRule(template("at-risk-high-value"))).toBe(
      "Probability alive at most 50 % and (Predicted lifetime value in the top 20 % of customers or Past revenue in the top 20 % of customers)",
    );
    expect(describeRule(template("new-customers"))).toBe("First any event was within the last 30 days");
  });

  it.each<[Rule, string]>([
    [
      { type: "trait", field: "traits.city", test: { op: "in", values: ["Utrecht", "Delft"] } },
      'Trait "city" is one of "Utrecht", "Delft"',
    ],
    [{ type: "trait", field: "email", test: { op: "isSet" } }, "Email is set"],
    [{ type: "trait", field: "traits.vip", test: { op: "equals", value: true } }, 'Trait "vip" is true'],
    [
      {
        type: "behaviour",
        performed: true,
        event: "Email Opened",
        times: { atLeast: 2, atMost: 5 },
        window: { from: "2024-01-01", to: "2024-03-31" },
      },
      "Performed Email Opened between 2 and 5 times between 2024-01-01 and 2024-03-31",
    ],
    [
      {
        type: "behaviour",
        performed: true,
        event: "Order Completed",
        season: { periods: [{ from: "12-15", to: "01-06" }] },
      },
      "Performed Order Completed in 15 Dec–6 Jan of any year",
    ],
    [
      { type: "behaviour", performed: true, eventType: "page", times: { atLeast: 1 } },
      "Performed any page view event at least 1 time",
    ],
    [
      { type: "eventTime", which: "last", event: "Order Completed", before: { daysAgo: 180 } },
      "Last Order Completed was more than 180 days ago",
    ],
    [
      {
        type: "eventTime",
        which: "first",
        after: { date: "2024-05-01" },
        before: { date: "2024-06-01T00:00:00Z" },
      },
      "First any event was after 2024-05-01 and before 2024-06-01",
    ],
    [{ type: "channelShare", channel: "mobile", op: "gte", value: 0.25 }, "At least 25 % of events on App"],
    [{ type: "channelCount", op: "equals", value: 1 }, "Used exactly 1 channel"],
    [{ type: "eventCount", op: "lte", value: 3 }, "At most 3 events in total"],
    [{ type: "rfmGroup", groups: ["at risk", "cannot lose"] }, "RFM group is At risk or Cannot lose"],
    [
      { type: "value", measure: "expectedPurchases90d", op: "gte", value: 1.5 },
      "Expected purchases (next 90 days) at least 1.5",
    ],
    [
      { type: "spend", op: "gte", value: 250, window: { lastDays: 365 } },
      "Spent at least 250 in the last 365 days",
    ],
    [
      { type: "not", rule: { type: "segment", segmentId: "x", member: true } },
      "not (Member of another segment)",
    ],
  ])("%j", (rule, text) => {
    expect(describeRule(rule)).toBe(text);
  });

  it("keeps the counts beside the event and the property filters last", () => {
    expect(
      describeRule({
        type: "behaviour",
        performed: true,
        event: "Order Completed",
        channel: "web",
        properties: [{ property: "discount", test: { op: "gte", value: 0.3 } }],
        times: { atLeast: 2 },
        window: { lastDays: 30 },
      }),
    ).toBe(
      "Performed Order Completed on Web at least 2 times in the last 30 days where discount is at least 0.3",
    );
  });

  it("names segments when it can, and nests groups in parentheses", () => {
    const rule: Rule = {
      type: "or",
      rules: [
        { type: "segment", segmentId: "s1", member: false },
        {
          type: "and",
          rules: [
            { type: "eventCount", op: "gte", value: 10 },
            { type: "channelCount", op: "gte", value: 2 },
          ],
        },
      ],
    };
    expect(describeRule(rule, { segmentName: (id) => (id === "s1" ? "VIP" : undefined) })).toBe(
      'Not a member of segment "VIP" or (At least 10 events in total and Used at least 2 channels)',
    );
  });
});
