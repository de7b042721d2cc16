import { z } from "zod";
import { fileResponse } from "~/server/http/file-response";
import { withWorkspace } from "~/server/http/with-workspace";
import { exportFileName, segmentMembersCsv, segmentName } from "~/server/segments/export";

// GET /api/segments/export?workspaceId=…&segmentId=…
// A segment's members as a CSV download, streamed page by page. Any member of
// the workspace may export (the same permission as reading the segment).

export const dynamic = "force-dynamic";

export const GET = withWorkspace(
  { permission: "workspace:read", input: { segmentId: z.uuid("segmentId must be a segment id") } },
  async ({ db, workspaceId, input }) => {
    const name = await segmentName(db, workspaceId, input.segmentId);
    const rows = segmentMembersCsv(db, { workspaceId, segmentId: input.segmentId });
    const encoder = new TextEncoder();
    // The status is sent before the rows are read: a failure part-way can only cut the download short.
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
    return fileResponse(body, { fileName: exportFileName(name), contentType: "text/csv; charset=utf-8" });
  },
);
