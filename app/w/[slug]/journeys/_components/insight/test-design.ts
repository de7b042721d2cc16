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
