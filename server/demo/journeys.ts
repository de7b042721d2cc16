import type { JourneyDesignInput } from "~/server/journeys/design";

// The demo journeys that seed.ts designs for two of Northwind Retail's demo
// segments: one published, one still a draft. Written as a marketer would fill
// in the grid, for the events the demo generator (./generate.ts) produces, so
// that the journeys' goals match what the demo customers actually did.

export interface DemoJourney {
  /** The demo segment (by name, see server/segments/templates.ts) it is designed for. */
  segmentName: string;
  name: string;
  description: string;
  design: JourneyDesignInput;
  /** The note of version 1; a journey without one stays a draft. */
  publishNote?: string;
}

const SHOP = "https://shop.northwind.example";
const row = (x: number, y = 0) => ({ x: x * 240, y: y * 140 });

const emailReaders: DemoJourney = {
  segmentName: "Email readers who buy on the web",
  name: "From newsletter to web order",
  description:
    "Readers who open the newsletter and buy in the web shop: turn an open into a visit, a visit into an order, and one order into a habit.",
  publishNote: "First version, agreed with the web and store teams.",
  design: {
    quietHours: { startHour: 21, endHour: 8 },
    stages: [
      {
        id: "stage-opened",
        name: "Email Opened",
        goal: { event: "Email Opened", channel: "email" },
        customerGoal: "Hear about new arrivals and offers that are worth a look.",
        doing: "Skims the Thursday newsletter on the phone over breakfast.",
        thinking: "Is there anything here for me this week?",
        emotion: 0,
        painPoints: ["Every newsletter looks the same", "Product photos do not load in some mail apps"],
        opportunities: [
          "Lead with products like the ones they viewed last",
          "Subject lines that name a product, not a campaign",
        ],
        touchpoints: [
          {
            id: "tp-newsletter",
            channel: "email",
            title: "Weekly newsletter: this week's new arrivals",
            content:
              "Three new cheeses from our affineur, each with a recipe and a wine to go with it. Ends with the week's offer.",
            link: `${SHOP}/new`,
            trigger: { kind: "segmentEntry" },
            sendWindow: { startHour: 7, endHour: 10 },
            frequencyCap: { max: 2, perDays: 7 },
            ownerTeam: "marketing",
            actionEvent: "Email Opened",
          },
          {
            id: "tp-instagram",
            channel: "social",
            title: "Instagram story: behind the counter",
            content: "Our Utrecht cheesemonger cuts this week's Manchego; swipe up for the recipe.",
            trigger: { kind: "previous" },
            delayHours: 24,
            ownerTeam: "marketing",
            actionEvent: "Post Liked",
          },
        ],
      },
      {
        id: "stage-viewed",
        name: "Product Viewed (web)",
        goal: { event: "Product Viewed", channel: "web" },
        customerGoal: "Find out whether the product suits the occasion and arrives in time.",
        doing: "Clicks through to the product page, reads the reviews, checks delivery.",
        thinking: "Will it arrive before Saturday, and is it worth the price?",
        emotion: 1,
        painPoints: [
          "Delivery costs only show at checkout",
          "Some email links open the home page, not the product",
        ],
        opportunities: [
          "Show the delivery date on the product page",
          "Link every email block to its product",
        ],
        touchpoints: [
          {
            id: "tp-viewed-email",
            channel: "email",
            title: "Still thinking about it? Serving ideas for what you looked at",
            content:
              "Three ways to serve the cheese you viewed, and the date it would arrive if you order today.",
            link: `${SHOP}/recently-viewed`,
            trigger: { kind: "event", event: "Product Viewed", channel: "web" },
            delayHours: 20,
            sendWindow: { startHour: 8, endHour: 20 },
            frequencyCap: { max: 1, perDays: 3 },
            ownerTeam: "marketing",
            actionEvent: "Email Clicked",
          },
          {
            id: "tp-banner",
            channel: "web",
            title: "Home page banner: free chilled delivery this week",
            content: "Shown to signed-in readers on the home page and product pages for seven days.",
            link: `${SHOP}/delivery`,
            trigger: { kind: "previous" },
            respectQuietHours: false,
            ownerTeam: "it",
            actionEvent: "Product Viewed",
          },
        ],
      },
      {
        id: "stage-ordered",
        name: "Order Completed (web)",
        goal: { event: "Order Completed", channel: "web" },
        customerGoal: "Order quickly and know when it will arrive.",
        doing: "Checks out as a signed-in customer and pays by card.",
        thinking: "I hope it stays cold on the way.",
        emotion: 1,
        painPoints: ["Checkout asks for the delivery address again"],
        opportunities: ["Remember the address and the chilled-delivery choice"],
        touchpoints: [
          {
            id: "tp-confirmation",
            channel: "email",
            title: "Your order is on its way",
            content:
              "Order summary, the delivery slot, and how to keep the cheese at its best until Saturday.",
            link: `${SHOP}/account/orders`,
            trigger: { kind: "event", event: "Order Completed", channel: "web" },
            respectQuietHours: false,
            ownerTeam: "it",
          },
        ],
      },
      {
        id: "stage-again",
        name: "Order Again",
        goal: { event: "Order Completed" },
        customerGoal: "Get the same quality again without searching for it.",
        doing: "Reorders a favourite, or drops into a store nearby.",
        thinking: "That was good; what else do they have?",
        emotion: 2,
        painPoints: ["Store staff cannot see web orders"],
        opportunities: [
          "A tasting in the nearest store for web customers",
          "One-click reorder of the last basket",
        ],
        touchpoints: [
          {
            id: "tp-store-tasting",
            channel: "store",
            title: "Invitation: free tasting at your nearest Northwind store",
            content:
              "Show this invitation at the counter on any Saturday this month for a tasting of three cheeses.",
            trigger: { kind: "event", event: "Order Completed", channel: "web" },
            delayHours: 14 * 24,
            ownerTeam: "service",
            actionEvent: "Order Completed",
          },
          {
            id: "tp-reorder",
            channel: "email",
            title: "Running low? Your last basket, one click away",
            content:
              "The customer's last web order, ready to order again, with one new product they have not tried.",
            link: `${SHOP}/account/reorder`,
            trigger: { kind: "previous" },
            delayHours: 7 * 24,
            sendWindow: { startHour: 17, endHour: 20 },
            ownerTeam: "marketing",
          },
        ],
      },
    ],
    flow: {
      nodes: [
        { kind: "entry", id: "entry", position: row(0) },
        { kind: "touchpoint", id: "node-newsletter", touchpointId: "tp-newsletter", position: row(1) },
        { kind: "touchpoint", id: "node-instagram", touchpointId: "tp-instagram", position: row(2) },
        { kind: "touchpoint", id: "node-viewed-email", touchpointId: "tp-viewed-email", position: row(3) },
        {
          kind: "branch",
          id: "node-banner-test",
          label: "Free-delivery banner test",
          split: {
            kind: "random",
            variants: [
              { id: "banner", label: "Banner", percent: 50 },
              { id: "control", label: "No banner", percent: 50 },
            ],
          },
          position: row(4),
        },
        { kind: "touchpoint", id: "node-banner", touchpointId: "tp-banner", position: row(5, -1) },
        { kind: "touchpoint", id: "node-confirmation", touchpointId: "tp-confirmation", position: row(6) },
        { kind: "touchpoint", id: "node-store-tasting", touchpointId: "tp-store-tasting", position: row(7) },
        { kind: "touchpoint", id: "node-reorder", touchpointId: "tp-reorder", position: row(8) },
        { kind: "exit", id: "node-exit", label: "Ordered again", position: row(9) },
      ],
      edges: [
        { id: "edge-1", source: "entry", target: "node-newsletter" },
        { id: "edge-2", source: "node-newsletter", target: "node-instagram" },
        { id: "edge-3", source: "node-instagram", target: "node-viewed-email" },
        { id: "edge-4", source: "node-viewed-email", target: "node-banner-test" },
        { id: "edge-5", source: "node-banner-test", output: "banner", target: "node-banner" },
        { id: "edge-6", source: "node-banner-test", output: "control", target: "node-confirmation" },
        { id: "edge-7", source: "node-banner", target: "node-confirmation" },
        { id: "edge-8", source: "node-confirmation", target: "node-store-tasting" },
        { id: "edge-9", source: "node-store-tasting", target: "node-reorder" },
        { id: "edge-10", source: "node-reorder", target: "node-exit" },
      ],
    },
  },
};

const holidayShoppers: DemoJourney = {
  segmentName: "Casual holiday discount shoppers",
  name: "Holiday sale, and a reason to come back",
  description:
    "Shoppers who only buy in the sales: make the sale easy to find, then give them one reason to come back outside it.",
  design: {
    quietHours: { startHour: 21, endHour: 8 },
    stages: [
      {
        id: "stage-announced",
        name: "Sale Announced",
        goal: { event: "Email Opened", channel: "email" },
        customerGoal: "Know when the sale starts and what is in it.",
        doing: "Waits for the sale; compares with other shops.",
        thinking: "Only if it is a real bargain.",
        emotion: 0,
        painPoints: ["Unsubscribes after the season", "A new browser every season: we do not recognise them"],
        opportunities: ["Ask for the email address once, at the start of the sale"],
        touchpoints: [
          {
            id: "tp-preview",
            channel: "email",
            title: "Winter sale preview: 30% off gift boxes from Friday",
            content: "The ten gift boxes in the sale, with their prices before and after.",
            link: "https://shop.northwind.example/sale",
            trigger: { kind: "segmentEntry" },
            sendWindow: { startHour: 9, endHour: 12 },
            ownerTeam: "marketing",
            actionEvent: "Email Opened",
          },
          {
            id: "tp-facebook",
            channel: "social",
            title: "Facebook post: gift boxes under €30",
            content: "A carousel of the five cheapest gift boxes, linking to the sale page.",
            trigger: { kind: "previous" },
            delayHours: 48,
            ownerTeam: "marketing",
            actionEvent: "Post Liked",
          },
        ],
      },
      {
        id: "stage-bought",
        name: "Discount Order (web)",
        goal: { event: "Order Completed", channel: "web" },
        customerGoal: "Get a good gift at a good price, delivered before the holidays.",
        doing: "Orders one or two gift boxes as a guest.",
        thinking: "Will it arrive before Christmas?",
        emotion: 1,
        painPoints: ["The sale page is slow on the first morning"],
        opportunities: ["Offer an account after the order, not before it"],
        touchpoints: [
          {
            id: "tp-packed",
            channel: "email",
            title: "Your gift box is packed and on its way",
            content: "Delivery date, a gift message preview, and how to change the address.",
            trigger: { kind: "event", event: "Order Completed", channel: "web" },
            respectQuietHours: false,
            ownerTeam: "it",
          },
        ],
      },
      {
        id: "stage-off-season",
        name: "Off-season",
        customerGoal: "Nothing in particular: they will be back for the next sale.",
        emotion: -1,
        painPoints: ["Newsletters at full price feel irrelevant to them"],
        opportunities: ["One personal offer in spring instead of the weekly newsletter"],
        touchpoints: [
          {
            id: "tp-spring",
            channel: "email",
            title: "A spring treat for you: 15% off one order",
            content: "A single code, valid for two weeks, on the kind of gift box they bought.",
            trigger: { kind: "previous" },
            delayHours: 90 * 24,
            ownerTeam: "marketing",
            actionEvent: "Order Completed",
          },
        ],
      },
    ],
    flow: {
      nodes: [
        { kind: "entry", id: "entry", position: row(0) },
        { kind: "touchpoint", id: "node-preview", touchpointId: "tp-preview", position: row(1) },
        { kind: "touchpoint", id: "node-facebook", touchpointId: "tp-facebook", position: row(2) },
        {
          kind: "branch",
          id: "node-ordered",
          label: "Ordered within 14 days?",
          split: { kind: "event", event: "Order Completed", channel: "web", withinDays: 14 },
          position: row(3),
        },
        { kind: "touchpoint", id: "node-packed", touchpointId: "tp-packed", position: row(4, -1) },
        { kind: "touchpoint", id: "node-spring", touchpointId: "tp-spring", position: row(5, -1) },
        { kind: "exit", id: "node-came-back", label: "Came back", position: row(6, -1) },
        { kind: "exit", id: "node-no-order", label: "No order this season", position: row(4, 1) },
      ],
      edges: [
        { id: "edge-1", source: "entry", target: "node-preview" },
        { id: "edge-2", source: "node-preview", target: "node-facebook" },
        { id: "edge-3", source: "node-facebook", target: "node-ordered" },
        { id: "edge-4", source: "node-ordered", output: "yes", target: "node-packed" },
        { id: "edge-5", source: "node-ordered", output: "no", target: "node-no-order" },
        { id: "edge-6", source: "node-packed", target: "node-spring" },
        { id: "edge-7", source: "node-spring", target: "node-came-back" },
      ],
    },
  },
};

export const demoJourneys: readonly DemoJourney[] = [emailReaders, holidayShoppers];
