import "server-only";
import { z } from "zod";
import { goLive, pauseRun, resumeRun, stopRun } from "~/server/journeys/run/control";
import { DEFAULT_HOLDOUT_PERCENT, MAX_HOLDOUT_PERCENT } from "~/server/journeys/impact/holdout";
import { dryRun } from "~/server/journeys/run/dry-run";
import { ZDryRun, ZRunChanged, ZRunState, ZRunStopped, ZWentLive } from "~/server/journeys/run/outputs";
import { runState } from "~/server/journeys/run/state";
import { workspaceProcedure } from "~/server/trpc";
import { journeyId, quoted, ZJourneyId } from "./inputs";

// Running a journey: its state for everyone, going live, pausing, resuming and
// stopping for editors, and a dry run of what going live would send.

const ZHoldoutPercent = z
  .number()
  .int("The holdout is a whole percentage")
  .min(0, "The holdout cannot be negative")
  .max(MAX_HOLDOUT_PERCENT, `The holdout is at most ${MAX_HOLDOUT_PERCENT} %`);
const ZTimeZone = z.string().trim().min(1, "Choose a time zone").max(64, "That is not a time zone");

export const ZGoLiveInput = z.object({
  id: journeyId,
  reentryDays: z
    .number()
    .int("Re-entry is a whole number of days")
    .min(0, "Re-entry cannot be negative")
    .max(3650, "Re-entry is at most 3,650 days")
    .nullable(),
  exitOnSegmentLeave: z.boolean(),
  moveToNewVersion: z.boolean(),
  timezone: ZTimeZone,
  holdoutPercent: ZHoldoutPercent.default(DEFAULT_HOLDOUT_PERCENT),
});
export const ZDryRunInput = z.object({
  id: journeyId,
  timezone: ZTimeZone,
  holdoutPercent: ZHoldoutPercent.default(DEFAULT_HOLDOUT_PERCENT),
});

export const runProcedures = {
  runState: workspaceProcedure("workspace:read")
    .input(ZJourneyId)
    .output(ZRunState)
    .query(({ ctx, input }) => runState(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id })),

  goLive: workspaceProcedure("content:write")
    .input(ZGoLiveInput)
    .output(ZWentLive)
    .mutation(async ({ ctx, input }) => {
      const { id, workspaceId: _workspace, ...settings } = input;
      const live = await goLive(ctx.db, {
        workspaceId: ctx.workspaceId,
        journeyId: id,
        userId: ctx.session.user.id,
        ...settings,
      });
      ctx.audit({
        summary: `started the journey ${quoted(live.name)} (version ${live.version}) for ${live.members} members, holding out ${settings.holdoutPercent} %`,
        details: { journeyId: id, runId: live.runId, ...settings },
      });
      return live;
    }),

  pause: workspaceProcedure("content:write")
    .input(ZJourneyId)
    .output(ZRunChanged)
    .mutation(async ({ ctx, input }) => {
      const paused = await pauseRun(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id });
      ctx.audit({ summary: `paused the journey ${quoted(paused.name)}`, details: { journeyId: input.id } });
      return paused;
    }),

  resume: workspaceProcedure("content:write")
    .input(ZJourneyId)
    .output(ZRunChanged)
    .mutation(async ({ ctx, input }) => {
      const resumed = await resumeRun(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id });
      ctx.audit({ summary: `resumed the journey ${quoted(resumed.name)}`, details: { journeyId: input.id } });
      return resumed;
    }),

  stop: workspaceProcedure("content:write")
    .input(ZJourneyId)
    .output(ZRunStopped)
    .mutation(async ({ ctx, input }) => {
      const stopped = await stopRun(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id });
      ctx.audit({
        summary: `stopped the journey ${quoted(stopped.name)}; ${stopped.exited} customers on their way left it`,
        details: { journeyId: input.id, exited: stopped.exited },
      });
      return stopped;
    }),

  dryRun: workspaceProcedure("workspace:read")
    .input(ZDryRunInput)
    .output(ZDryRun)
    .query(({ ctx, input }) =>
      dryRun(ctx.db, {
        workspaceId: ctx.workspaceId,
        journeyId: input.id,
        timezone: input.timezone,
        holdoutPercent: input.holdoutPercent,
      }),
    ),
};
