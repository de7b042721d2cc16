import { z } from "zod";
import { fileResponse } from "~/server/http/file-response";
import { withWorkspace } from "~/server/http/with-workspace";
import { getAttachment } from "~/server/maturity/assessments";

// GET /api/maturity/attachment?workspaceId=…&id=…
// An evidence file of an assessment, as the download it was uploaded as. Any
// member may download it (the same permission as reading the assessment).

export const dynamic = "force-dynamic";

export const GET = withWorkspace(
  { permission: "workspace:read", input: { id: z.uuid("id must be an evidence file's id") } },
  async ({ db, workspaceId, input }) => {
    const file = await getAttachment(db, { workspaceId, id: input.id });
    return fileResponse(new Uint8Array(file.data), {
      fileName: file.fileName,
      contentType: file.contentType,
    });
  },
);
