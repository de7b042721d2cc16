import { fileResponse } from "~/server/http/file-response";
import { withWorkspace } from "~/server/http/with-workspace";
import { buildScorecard, scorecardCsv, scorecardFileName } from "~/server/maturity/scorecard";

// GET /api/maturity/scorecard?workspaceId=…
// The executive scorecard as a CSV download. Any member may export it (the
// same permission as reading the scorecard); the business-unit rows list only
// the workspaces the caller is a member of, as on the page.

export const dynamic = "force-dynamic";

export const GET = withWorkspace({ permission: "workspace:read" }, async ({ db, user, workspaceId }) => {
  const scorecard = await buildScorecard(db, { workspaceId, userId: user.id });
  return fileResponse(scorecardCsv(scorecard), {
    fileName: scorecardFileName(scorecard.workspace.name),
    contentType: "text/csv; charset=utf-8",
  });
});
