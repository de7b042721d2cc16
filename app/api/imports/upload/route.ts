import { Readable } from "node:stream";
import { z } from "zod";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { getDb } from "~/db";
import { importKindEnum } from "~/db/schema";
import { getSessionUser } from "~/server/auth/session";
import { dataDir } from "~/server/env";
import { RuleError } from "~/server/errors";
import { formatBytes, MAX_UPLOAD_BYTES, saveUpload, UploadTooLargeError } from "~/server/imports/imports";
import { workspaceRole } from "~/server/imports/upload-auth";
import { can } from "~/server/permissions";

// POST /api/imports/upload?workspaceId=…&kind=events|customers
// The file is the raw request body, its name in the X-File-Name header
// (URI-encoded). The body is streamed to disk, never held in memory; the
// answer is the new import's id. The caller must be signed in and allowed to
// change the workspace's data (the same permission table as every procedure).

export const dynamic = "force-dynamic";

function fail(status: number, error: string) {
  return Response.json({ error }, { status });
}

export async function POST(request: Request) {
  const user = await getSessionUser();
  if (!user) return fail(401, "Sign in to upload files.");

  const url = new URL(request.url);
  const workspaceId = url.searchParams.get("workspaceId") ?? "";
  const kind = url.searchParams.get("kind") ?? "";
  if (!z.uuid().safeParse(workspaceId).success) return fail(400, "workspaceId must be a workspace id.");
  if (!(importKindEnum.enumValues as readonly string[]).includes(kind)) {
    return fail(400, `kind must be one of ${importKindEnum.enumValues.join(", ")}.`);
  }

  const db = getDb();
  const role = await workspaceRole(db, { workspaceId, userId: user.id });
  if (!role) return fail(403, "You are not a member of this workspace.");
  if (!can(role, "content:write")) return fail(403, `Your role (${role}) does not allow importing data.`);

  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) {
    return fail(413, `The file is larger than ${formatBytes(MAX_UPLOAD_BYTES)}, the most one import takes.`);
  }
  if (!request.body) return fail(400, "The request has no file in its body.");
  let fileName = "upload.csv";
  try {
    fileName = decodeURIComponent(request.headers.get("x-file-name") ?? fileName);
  } catch {
    return fail(400, "X-File-Name must be URI-encoded.");
  }

  try {
    const saved = await saveUpload({
      db,
      dataDir: dataDir(),
      workspaceId,
      kind: kind as (typeof importKindEnum.enumValues)[number],
      fileName,
      body: Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>),
      createdBy: user.id,
    });
    return Response.json(saved, { status: 201 });
  } catch (error) {
    if (error instanceof UploadTooLargeError) return fail(413, error.message);
    if (error instanceof RuleError) return fail(400, error.message);
    throw error;
  }
}
