import { expect, type Browser } from "@playwright/test";
import { demoJourneys, type DemoJourney } from "~/server/demo/journeys";
import { segmentTemplates } from "~/server/segments/templates";
import { apiAs, createWorkspace, demo, sendMessages, type Api, type TestWorkspace } from "./fixtures";

// A workspace whose pages look the same on every run and every day, for the
// screenshot tests and the export timings: made through the API like every
// spec's own workspace, with a fixed name, customers from a fixed generator,
// one segment, one published journey (the demo's newsletter journey, so the
// grid is full) and two final maturity assessments.
//
// Events are placed a whole number of days before today, at fixed hours, and
// never on a day at the edge of a window the pages count in (7, 30, 90, 365 …
// days), so every figure relative to "now" (active customers, events per day,
// segment members) is the same whatever the day or hour of the run. Only the
// dates written on the pages move with the day; the specs mask those.

const DAY = 86_400_000;
export const FIXED_NAME = "Northwind Garden";
export const FIXED_SEGMENT = "Email readers who buy on the web";
const newsletter = demoJourneys.find((j) => j.segmentName === FIXED_SEGMENT)!;
export const FIXED_JOURNEY = newsletter.name;
/** The customer whose page is photographed: one with events on every channel. */
export const FIXED_CUSTOMER = { userId: "garden-0", name: "Ada Lindqvist" };

/** Days near a window's edge, where an hour's difference in the run's time would move an event across it. */
const edges = [7, 14, 28, 30, 31, 60, 90, 91, 180, 365];
const nearEdge = (day: number) => edges.some((edge) => Math.abs(day - edge) <= 1);

/** An ISO time `days` whole days before today (UTC) at `hour`: never in the future, since days ≥ 1. */
function daysAgo(days: number, hour: number) {
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  return new Date(midnight - days * DAY + hour * 3_600_000).toISOString();
}

/** A small seeded generator (mulberry32): the same customers on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const firstNames = [
  "Ada",
  "Bram",
  "Cleo",
  "Daan",
  "Elin",
  "Femke",
  "Gus",
  "Hana",
  "Ivo",
  "Jule",
  "Kees",
  "Lotte",
];
const lastNames = ["Lindqvist", "de Vries", "Okafor", "Jansen", "Moreau", "Bakker", "Novak", "Visser"];

/** What a customer does on each channel: the event and its channel as the tracking API reads it. */
const activities = [
  { event: "Email Opened", channel: "email" },
  { event: "Product Viewed", channel: "web" },
  { event: "Application Opened", channel: "app" },
  { event: "Support Call", channel: "phone" },
  { event: "Post Liked", channel: "instagram" },
] as const;

/** The tracking messages of the workspace's customers: identifies, activities and purchases. */
export function fixedMessages(customers = 40): object[] {
  const random = generator(20_260_101);
  const messages: object[] = [];
  for (let i = 0; i < customers; i++) {
    const userId = `garden-${i}`;
    const [first, last] =
      i === 0
        ? FIXED_CUSTOMER.name.split(" ")
        : [firstNames[i % firstNames.length]!, lastNames[(i * 7) % lastNames.length]!];
    const firstDay = 40 + Math.floor(random() * 320);
    messages.push({
      type: "identify",
      userId,
      messageId: `${userId}-identify`,
      timestamp: daysAgo(firstDay, 9),
      traits: { email: `${first!.toLowerCase()}.${i}@garden.example`, firstName: first, lastName: last },
    });
    // The first customer does everything, so their page has a lane per channel.
    const count = i === 0 ? 40 : 4 + Math.floor(random() * 16);
    for (let n = 0; n < count; n++) {
      const day = 1 + Math.floor(random() * firstDay);
      if (nearEdge(day)) continue;
      const hour = 8 + Math.floor(random() * 12);
      const kind = i === 0 ? n % (activities.length + 1) : Math.floor(random() * (activities.length + 1));
      const base = { type: "track", userId, messageId: `${userId}-${n}`, timestamp: daysAgo(day, hour) };
      if (kind === activities.length) {
        const channel = random() < 0.6 ? "web" : "pos";
        const revenue = Math.round((15 + random() * 120) * 100) / 100;
        // A web order follows a look at the product and the basket, as the journeys' stages expect.
        if (channel === "web") {
          for (const [step, event] of [
            [2, "Product Viewed"],
            [1, "Product Added"],
          ] as const) {
            const stepId = `${userId}-${n}-${event}`;
            messages.push({
              ...base,
              messageId: stepId,
              event,
              timestamp: daysAgo(day, hour - step),
              properties: { channel },
            });
          }
        }
        messages.push({ ...base, event: "Order Completed", properties: { revenue, channel } });
      } else {
        const { event, channel } = activities[kind]!;
        messages.push({ ...base, event, properties: { channel } });
      }
    }
  }
  return messages;
}

export interface FixedWorkspace extends TestWorkspace {
  segmentId: string;
  journeyId: string;
}

/** A segment from one of the templates (server/segments/templates.ts), under the template's name. */
export async function createTemplateSegment(api: Api, workspaceId: string, key: string) {
  const template = segmentTemplates.find((t) => t.key === key)!;
  return api.mutate<{ id: string }>("segment.create", {
    workspaceId,
    name: template.name,
    description: template.description,
    rule: template.rule,
  });
}

/** One of the demo's journeys (server/demo/journeys.ts), published when it has a note. */
export async function createDemoJourney(
  api: Api,
  workspaceId: string,
  segmentId: string,
  journey: DemoJourney,
) {
  const created = await api.mutate<{ id: string }>("journey.create", {
    workspaceId,
    segmentId,
    name: journey.name,
    description: journey.description,
    design: journey.design,
  });
  if (journey.publishNote) {
    await api.mutate("journey.publish", { workspaceId, id: created.id, note: journey.publishNote });
  }
  return created;
}

/** Waits until the segment's members and its size history have been computed (both background jobs). */
export async function segmentComputed(api: Api, workspaceId: string, segmentId: string) {
  const done = (job: { status: string } | null) =>
    job !== null && !["queued", "running"].includes(job.status);
  await expect
    .poll(
      async () => {
        const segment = await api.query<{
          refresh: { status: string } | null;
          history: { status: string } | null;
        }>("segment.get", { workspaceId, id: segmentId });
        return done(segment.refresh) && done(segment.history);
      },
      { timeout: 120_000, intervals: [1_000], message: "the segment's members and history" },
    )
    .toBe(true);
}

/** Makes the workspace and fills it, and waits for the segment's background jobs. */
export async function createFixedWorkspace(browser: Browser, label: string): Promise<FixedWorkspace> {
  const workspace = await createWorkspace(browser, label);
  await sendMessages(browser, workspace, fixedMessages());
  const admin = await apiAs(browser, demo.admin);
  try {
    // The name on every page; the run's own suffix would differ on each screenshot.
    await admin.mutate("workspace.update", { workspaceId: workspace.id, data: { name: FIXED_NAME } });
    const segment = await createTemplateSegment(admin, workspace.id, "email-web-buyers");
    const journey = await createDemoJourney(admin, workspace.id, segment.id, newsletter);
    await fixedAssessments(admin, workspace.id);
    await segmentComputed(admin, workspace.id, segment.id);
    return { ...workspace, name: FIXED_NAME, segmentId: segment.id, journeyId: journey.id };
  } finally {
    await admin.dispose();
  }
}

/** Two final assessments on fixed dates with fixed levels, and targets: the scorecard's content. */
async function fixedAssessments(api: Api, workspaceId: string) {
  const { model } = await api.query<{ model: { dimensions: { key: string }[] } }>("maturity.model.get", {
    workspaceId,
  });
  const assessments = [
    { title: "Baseline assessment", assessedOn: "2025-11-14", levels: [1, 2, 1, 2, 1, 1, 2] },
    { title: "Half-year review", assessedOn: "2026-05-15", levels: [2, 3, 2, 3, 2, 2, 3] },
  ];
  for (const [index, assessment] of assessments.entries()) {
    const { id } = await api.mutate<{ id: string }>("maturity.assessment.create", {
      workspaceId,
      title: assessment.title,
      assessedOn: assessment.assessedOn,
    });
    await api.mutate("maturity.assessment.saveScores", {
      workspaceId,
      assessmentId: id,
      scores: model.dimensions.map((d, k) => ({
        dimensionKey: d.key,
        level: assessment.levels[k % assessment.levels.length]!,
      })),
    });
    if (index === assessments.length - 1) {
      for (const d of model.dimensions.slice(0, 4)) {
        await api.mutate("maturity.assessment.setTarget", {
          workspaceId,
          assessmentId: id,
          dimensionKey: d.key,
          targetLevel: 4,
          targetDate: "2027-06-30",
        });
      }
    }
    await api.mutate("maturity.assessment.finalise", { workspaceId, assessmentId: id });
  }
}
