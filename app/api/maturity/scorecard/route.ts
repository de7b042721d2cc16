import { getDb } from "~/db";
import { getSessionUser } from "~/server/auth/session";
import { workspaceRole } from "~/server/imports/upload-auth";
import { buildScorecard, scorecardCsv, scorecardFileName } from "~/server/maturity/scorecard";
import { can } from "~/server/permissions";

// GET /api/maturity/scorecard?workspaceId=…
// The executive scorecard as a CSV download. Any member may export it (the
// same permission as reading the scorecard); the business-unit rows list only
// the workspaces the caller is a member of, as on the page.

export const dynamic = "force-dynamic";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(status: number, error: string) {
  return Response.json({ error }, { status });
}

export async function GET(request: Request) {
  const user = await getSessionUser();
  if (!user) return fail(401, "Sign in to export the scorecard.");
  const workspaceId = new URL(request.url).searchParams.get("workspaceId") ?? "";
  if (!uuid.test(workspaceId)) return fail(400, "workspaceId must be a workspace id.");

  const db = getDb();
  const role = await workspaceRole(db, { workspaceId, userId: user.id });
  if (!role || !can(role, "workspace:read")) return fail(403, "You are not a member of this workspace.");
  const scorecard = await buildScorecard(db, { workspaceId, userId: user.id });
  return new Response(scorecardCsv(scorecard), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${scorecardFileName(scorecard.workspace.name)}"`,
      "cache-control": "no-store",
    },
  });
}
