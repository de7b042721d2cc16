import { getDb } from "~/db";
import { getSessionUser } from "~/server/auth/session";
import { NotFoundError } from "~/server/errors";
import { workspaceRole } from "~/server/imports/upload-auth";
import { can } from "~/server/permissions";
import { exportFileName, segmentMembersCsv, segmentName } from "~/server/segments/export";

// GET /api/segments/export?workspaceId=…&segmentId=…
// A segment's members as a CSV download, streamed page by page. Any member of
// the workspace may export (the same permission as reading the segment).

export const dynamic = "force-dynamic";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(status: number, error: string) {
  return Response.json({ error }, { status });
}

export async function GET(request: Request) {
  const user = await getSessionUser();
  if (!user) return fail(401, "Sign in to export segments.");
  const url = new URL(request.url);
  const workspaceId = url.searchParams.get("workspaceId") ?? "";
  const segmentId = url.searchParams.get("segmentId") ?? "";
  if (!uuid.test(workspaceId)) return fail(400, "workspaceId must be a workspace id.");
  if (!uuid.test(segmentId)) return fail(400, "segmentId must be a segment id.");

  const db = getDb();
  const role = await workspaceRole(db, { workspaceId, userId: user.id });
  if (!role || !can(role, "workspace:read")) return fail(403, "You are not a member of this workspace.");
  let name: string;
  try {
    name = await segmentName(db, workspaceId, segmentId);
  } catch (error) {
    if (error instanceof NotFoundError) return fail(404, error.message);
    throw error;
  }

  const rows = segmentMembersCsv(db, { workspaceId, segmentId });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await rows.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error("[segments] export failed:", error);
        controller.error(error);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(name)}"`,
      "cache-control": "no-store",
    },
  });
}
