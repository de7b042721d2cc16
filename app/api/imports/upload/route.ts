import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { z } from "zod";
import { importKinds } from "~/db/enums";
import { dataDir } from "~/server/env";
import { withApiSecurityHeaders } from "~/server/http/security-headers";
import { jsonError, withWorkspace } from "~/server/http/with-workspace";
import { formatBytes, MAX_UPLOAD_BYTES, saveUpload } from "~/server/imports/imports";

// POST /api/imports/upload?workspaceId=…&kind=events|customers
// The file is the raw request body, its name in the X-File-Name header
// (URI-encoded). The body is streamed to disk, never held in memory; the
// answer is the new import's id.

export const dynamic = "force-dynamic";

// proxy.ts does not run for this route: Next.js buffers a body for the proxy and cuts it at 10 MB,
// which would store the first 10 MB of a larger file as if it were whole. So its headers are set here.
export const POST = async (request: Request) => withApiSecurityHeaders(await upload(request));

const upload = withWorkspace(
  {
    permission: "content:write",
    input: {
      kind: z.enum(importKinds, `kind must be one of ${importKinds.join(", ")}`),
    },
  },
  async ({ request, db, user, workspaceId, input }) => {
    const declared = Number(request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) {
      return jsonError(
        413,
        `The file is larger than ${formatBytes(MAX_UPLOAD_BYTES)}, the most one import takes.`,
      );
    }
    if (!request.body) return jsonError(400, "The request has no file in its body.");
    let fileName = "upload.csv";
    try {
      fileName = decodeURIComponent(request.headers.get("x-file-name") ?? fileName);
    } catch {
      return jsonError(400, "X-File-Name must be URI-encoded.");
    }
    const saved = await saveUpload({
      db,
      dataDir: dataDir(),
      workspaceId,
      kind: input.kind,
      fileName,
      body: Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>),
      createdBy: user.id,
    });
    return Response.json(saved, { status: 201 });
  },
);
