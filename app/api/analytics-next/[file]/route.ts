import { answerBundleRequest } from "~/server/analytics-next/bundle";

// Also at /analytics.js/v1/<writeKey>/analytics.min.js and /analytics-next/bundles/<file>
// (next.config.js): the paths of Segment's CDN that the snippet and the bundle ask for.
export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  return answerBundleRequest((await params).file);
}
