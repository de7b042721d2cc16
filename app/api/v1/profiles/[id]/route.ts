import { getDb } from "~/db";
import { handleProfileRequest, profilePreflight } from "~/server/profiles/http";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleProfileRequest(getDb(), request, (await params).id);
}

export function OPTIONS(request: Request) {
  return profilePreflight(getDb(), request);
}
