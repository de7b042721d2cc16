import type { JourneyAnalytics } from "~/server/journeys/analytics";
import { parseDesign, type JourneyDesign } from "~/server/journeys/design";

/**
 * A small design with fixed ids for the helpers' tests: an email in Discover,
 * a web page in Consider, Buy with a goal and Use without one.
 */
export function testDesign(): JourneyDesign {
  const touchpoint = (id: string, channel: string, title: string, actionEvent: string | null = null) => ({
    id,
    channel,
    title,
    trigger: { kind: "segmentEntry" },
    ownerTeam: "marketing",
    actionEvent,
  });
  return parseDesign({
    stages: [
      {
        id: "discover",
        name: "Discover",
        goal: { event: "Email Opened" },
        touchpoints: [touchpoint("welcome", "email", "Welcome email", "Email Clicked")],
      },
      {
        id: "consider",
        name: "Consider",
        goal: { event: "Product Viewed" },
        touchpoints: [touchpoint("lookbook", "web", "Lookbook page")],
      },
      { id: "buy", name: "Buy", goal: { event: "Order Completed" }, touchpoints: [] },
      { id: "use", name: "Use", touchpoints: [touchpoint("tips", "mobile", "Care tips")] },
    ],
    flow: {
      nodes: [
        { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
        { kind: "touchpoint", id: "n-welcome", touchpointId: "welcome", position: { x: 100, y: 0 } },
        { kind: "touchpoint", id: "n-lookbook", touchpointId: "lookbook", position: { x: 200, y: 0 } },
        { kind: "touchpoint", id: "n-tips", touchpointId: "tips", position: { x: 300, y: 0 } },
      ],
      edges: [],
    },
  });
}

/**
 * Figures for testDesign as the server would give them: 200 members, each stage
 * reached by no more than the stage before; the
 * welcome email mostly answered on the web (seed 001's email reader who buys
 * there); Use has no goal, so its step and its touchpoint's stage count are null.
 */
export function testAnalytics(): JourneyAnalytics {
  return {
    window: { from: new Date("2026-08-25T00:00:00Z"), to: new Date("2026-11-23T00:00:00Z") },
    members: 200,
    membersWithEvents: 150,
    stages: [
      { stageId: "discover", reached: 120, performedGoal: 120 },
      // 80 viewed a product, 20 of them before opening an email: not in the funnel.
      { stageId: "consider", reached: 60, performedGoal: 80 },
      { stageId: "buy", reached: 0, performedGoal: 30 },
      { stageId: "use", reached: null, performedGoal: null },
    ],
    steps: [
      {
        fromStageId: "discover",
        toStageId: "consider",
        reached: 120,
        converted: 60,
        conversion: 0.5,
        dropOff: 60,
        medianHours: 30,
      },
      {
        fromStageId: "consider",
        toStageId: "buy",
        reached: 60,
        converted: 0,
        conversion: 0,
        dropOff: 60,
        medianHours: null,
      },
      {
        fromStageId: "buy",
        toStageId: "use",
        reached: 0,
        converted: null,
        conversion: null,
        dropOff: null,
        medianHours: null,
      },
    ],
    touchpoints: [
      {
        touchpointId: "welcome",
        stageId: "discover",
        channel: "email",
        action: {
          measure: "action",
          event: "Email Clicked",
          acted: 50,
          onDesignedChannel: 10,
          onOtherChannels: 40,
          byChannel: { email: 10, web: 35, mobile: 5 },
          reachedStage: null,
          deliveries: [],
        },
      },
      {
        touchpointId: "lookbook",
        stageId: "consider",
        channel: "web",
        action: {
          measure: "action",
          event: "Product Viewed",
          acted: 0,
          onDesignedChannel: 0,
          onOtherChannels: 0,
          byChannel: {},
          reachedStage: null,
          deliveries: [],
        },
      },
      { touchpointId: "tips", stageId: "use", channel: "mobile", action: null },
    ],
    paths: {
      top: [
        {
          stages: [
            { stageId: "discover", channel: "email" },
            { stageId: "consider", channel: "web" },
          ],
          members: 40,
          share: 0.2,
          followsDesign: true,
        },
        {
          stages: [
            { stageId: "consider", channel: "web" },
            { stageId: "discover", channel: "email" },
          ],
          members: 20,
          share: 0.1,
          followsDesign: false,
        },
      ],
      distinct: 7,
      noStage: 60,
    },
  };
}
