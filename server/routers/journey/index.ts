import "server-only";
import { createTRPCRouter } from "~/server/trpc";
import { analyticsProcedures } from "./analytics";
import { commentProcedures } from "./comments";
import { designProcedures } from "./designs";
import { impactProcedures } from "./impact";
import { runProcedures } from "./run";
import { transferProcedures } from "./transfer";
import { versionProcedures } from "./versions";

// Journeys: a design per segment (server/journeys/). Designs arrive as unknown
// and are validated by parseDesign, whose errors name the path of each bad
// field (error.data.inputIssues). Saves name the revision they started from
// and are refused with CONFLICT when someone else saved in between.

export const journeyRouter = createTRPCRouter({
  ...designProcedures,
  ...versionProcedures,
  ...commentProcedures,
  ...analyticsProcedures,
  ...transferProcedures,
  ...runProcedures,
  ...impactProcedures,
});
