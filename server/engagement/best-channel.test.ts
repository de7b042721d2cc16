import { describe, expect, it } from "vitest";
import type { Channel } from "~/db/enums";
import { preferredChannel } from "./best-channel";
import { emptyHistory, addReactions, reactionKind, type ReactionKind } from "./reactions";

// The preferred-channel rule on hand-made histories.

const day = (d: number) => new Date(Date.UTC(2030, 2, d, 12));

/** A history from [channel, kind, count, day of the latest] rows. */
function history(rows: [Channel, ReactionKind, number, number][]) {
  const h = emptyHistory();
  for (const [channel, kind, count, d] of rows) addReactions(h, channel, kind, count, day(d));
  return h.channels;
}

describe("what counts as a reaction", () => {
  it("tells message opens and clicks from purchases and visits", () => {
    expect(reactionKind("track", "Email Opened")).toBe("open");
    expect(reactionKind("track", "Push Notification Opened")).toBe("open");
    expect(reactionKind("track", "Email Clicked")).toBe("click");
    expect(reactionKind("track", "Email Link Clicked")).toBe("click");
    expect(reactionKind("track", "Order Completed")).toBe("purchase");
    expect(reactionKind("track", "Product Viewed")).toBe("visit");
    // The app opened is a visit, not an answer to a message.
    expect(reactionKind("track", "Application Opened")).toBe("visit");
    expect(reactionKind("page", null)).toBe("visit");
    expect(reactionKind("screen", "Home")).toBe("visit");
    expect(reactionKind("identify", null)).toBeNull();
  });
});

describe("the preferred channel", () => {
  it("is email for the email reader who buys on the web (seed 001)", () => {
    const result = preferredChannel(
      history([
        ["email", "open", 14, 20],
        ["email", "click", 6, 20],
        // Each click led to a product page on the web, and some to an order there: more web events than email ones.
        ["web", "visit", 22, 21],
        ["web", "purchase", 4, 21],
      ]),
    );
    expect(result).toEqual({
      channel: "email",
      reason: "Reads email (14 opens, 6 clicks) and buys on the web (4 orders): email reaches them best",
    });
  });

  it("needs 3 answers on a channel before answers count, else takes where they are most active", () => {
    const result = preferredChannel(
      history([
        ["email", "open", 2, 5],
        ["store", "purchase", 5, 9],
        ["web", "visit", 3, 10],
      ]),
    );
    expect(result.channel).toBe("store");
    expect(result.reason).toBe(
      "Answers too few messages (fewer than 3 opens and clicks on any channel) and is most active in store " +
        "(0 visits, 5 orders): the store reaches them best",
    );
  });

  it("breaks a tie in answers by clicks, then by the latest reaction", () => {
    const byClicks = preferredChannel(
      history([
        ["email", "open", 4, 1],
        ["email", "click", 1, 1],
        ["mobile", "open", 3, 1],
        ["mobile", "click", 2, 1],
      ]),
    );
    expect(byClicks.channel).toBe("mobile");
    expect(byClicks.reason).toBe(
      "Answers messages in the app (3 opens, 2 clicks): the app reaches them best",
    );

    const byRecency = preferredChannel(
      history([
        ["email", "open", 3, 1],
        ["mobile", "open", 3, 7],
      ]),
    );
    expect(byRecency.channel).toBe("mobile");
    const sameDay = preferredChannel(
      history([
        ["mobile", "open", 3, 7],
        ["email", "open", 3, 7],
      ]),
    );
    // Fully tied: the order of the channel list, so the answer never depends on the rows' order.
    expect(sameDay.channel).toBe("mobile");
  });

  it("breaks a tie in activity by purchases", () => {
    const result = preferredChannel(
      history([
        ["web", "visit", 4, 9],
        ["store", "visit", 1, 2],
        ["store", "purchase", 3, 2],
      ]),
    );
    expect(result.channel).toBe("store");
  });

  it("has none with too few reactions, and says why", () => {
    expect(
      preferredChannel(
        history([
          ["email", "open", 1, 3],
          ["web", "visit", 2, 4],
        ]),
      ),
    ).toEqual({
      channel: null,
      reason: "Too few reactions in the last 180 days (3; 3 on one channel needed): no preferred channel",
    });
    expect(preferredChannel([]).channel).toBeNull();
  });
});
