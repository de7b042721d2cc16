import "server-only";
import type { Database } from "~/db";
import { segmentMembers } from "~/db/schema";
import { createSegment } from "~/server/segments/store";
import { makeWorkspace } from "~/test/fixtures";
import type { JourneyDesignInput } from "../design";
import { createJourney } from "../store";
import { publishJourney } from "../versions";
import { goLive, type GoLiveInput } from "./control";
import { followLiveRuns } from "./entries";
import { runDueSteps } from "./runner";

// What the runner's tests share: a workspace with one segment, publishing a
// journey for it, going live (nobody held out unless a test says so), and one
// turn of the runner's loop at a time the test chooses.

export type RunnerKit = Awaited<ReturnType<typeof runnerKit>>;

export async function runnerKit(db: Database, name = "Runner") {
  const ws = await makeWorkspace(db, name);
  const workspaceId = ws.workspace.id;
  const { id: segmentId } = await createSegment(db, {
    workspaceId,
    userId: ws.admin.id,
    name: "Readers",
    description: "",
    rule: { type: "eventCount", op: "gte", value: 1 },
    schedule: "off",
  });

  /** A journey designed for the segment (or another) and published as version 1; its id. */
  const published = async (journeyName: string, design: JourneyDesignInput, forSegment = segmentId) => {
    const { id } = await createJourney(db, {
      workspaceId,
      userId: ws.editor.id,
      segmentId: forSegment,
      name: journeyName,
      description: "",
      design,
    });
    await publishJourney(db, { workspaceId, userId: ws.editor.id, id });
    return id;
  };

  const live = (journeyId: string, options: Partial<GoLiveInput> = {}) =>
    goLive(db, {
      workspaceId,
      journeyId,
      userId: ws.editor.id,
      reentryDays: null,
      exitOnSegmentLeave: false,
      moveToNewVersion: false,
      timezone: "UTC",
      holdoutPercent: 0,
      ...options,
    });

  /** One turn of the runner's loop at `now`: entries and events followed, then every due step. */
  const turn = async (now: Date) => {
    while (await followLiveRuns(db, { workspaceId, now }));
    while ((await runDueSteps(db, { workspaceId, now })).steps > 0);
  };

  const addMembers = (ids: string[]) =>
    db.insert(segmentMembers).values(ids.map((customerId) => ({ workspaceId, segmentId, customerId })));

  return { ws, workspaceId, segmentId, published, live, turn, addMembers };
}
