import { getDb } from "~/db";
import { handleTrackingRequest, preflight } from "~/server/ingest/http";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ type: string }> }) {
  return handleTrackingRequest(getDb(), request, (await params).type);
}

export function OPTIONS() {
  return preflight();
}
