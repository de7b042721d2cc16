import { describe, expect, it } from "vitest";
import { emptyDesign } from "~/server/journeys/design";
import { addTouchpoint, type NewTouchpoint } from "~/server/journeys/edit";
import { alignStages, compareChannelMix, emotionLabel, touchpointsByChannel } from "./compare";

const email: NewTouchpoint = {
  channel: "email",
  title: "Weekly offers",
  content: "",
  link: null,
  trigger: { kind: "segmentEntry" },
  delayHours: 0,
  sendWindow: null,
  respectQuietHours: true,
  frequencyCap: null,
  ownerTeam: "marketing",
  actionEvent: null,
};

describe("comparing two journeys", () => {
  it("pairs stages by position and leaves a gap where one journey has fewer", () => {
    const loyal = emptyDesign(["Discover", "Buy", "Stay"]);
    const holiday = emptyDesign(["Inspire", "Buy"]);
    const rows = alignStages(loyal, holiday);
    expect(rows.map((r) => [r.position, r.a?.name ?? null, r.b?.name ?? null])).toEqual([
      [0, "Discover", "Inspire"],
      [1, "Buy", "Buy"],
      [2, "Stay", null],
    ]);
  });

  it("counts touchpoints per channel, listing only channels either journey uses", () => {
    let loyal = emptyDesign(["Discover", "Buy"]);
    loyal = addTouchpoint(loyal, loyal.stages[0]!.id, email).design;
    loyal = addTouchpoint(loyal, loyal.stages[1]!.id, { ...email, title: "Receipt" }).design;
    loyal = addTouchpoint(loyal, loyal.stages[1]!.id, { ...email, channel: "mobile", title: "Push" }).design;
    let holiday = emptyDesign(["Inspire"]);
    holiday = addTouchpoint(holiday, holiday.stages[0]!.id, {
      ...email,
      channel: "social",
      title: "Gift ideas",
    }).design;

    expect(compareChannelMix(loyal, holiday)).toEqual([
      { channel: "mobile", a: 1, b: 0 },
      { channel: "email", a: 2, b: 0 },
      { channel: "social", a: 0, b: 1 },
    ]);
    expect(touchpointsByChannel(loyal.stages[1]!)).toEqual([
      { channel: "mobile", titles: ["Push"] },
      { channel: "email", titles: ["Receipt"] },
    ]);
  });

  it("names the emotion scores", () => {
    expect([-2, -1, 0, 1, 2].map(emotionLabel)).toEqual([
      "Very negative",
      "Negative",
      "Neutral",
      "Positive",
      "Very positive",
    ]);
  });
});
