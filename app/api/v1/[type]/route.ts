import { getDb } from "~/db";
import { preflight } from "~/server/ingest/cors";
import { handleTrackingRequest } from "~/server/ingest/http";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ type: string }> }) {
  return handleTrackingRequest(getDb(), request, (await params).type);
}

export function OPTIONS(request: Request) {
  return preflight(getDb(), request);
}
