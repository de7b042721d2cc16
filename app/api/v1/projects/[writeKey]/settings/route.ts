import { getDb } from "~/db";
import { answerSettingsRequest } from "~/server/analytics-next/settings";

export const dynamic = "force-dynamic";

// Also at /v1/projects/<writeKey>/settings (next.config.js), where analytics.js looks for it.
export async function GET(request: Request, { params }: { params: Promise<{ writeKey: string }> }) {
  return answerSettingsRequest(getDb(), request, (await params).writeKey);
}
