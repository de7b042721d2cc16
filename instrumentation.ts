// Next.js calls register() once when a server process starts (never during
// `next build`). The Node.js server runs the background jobs (server/jobs).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startJobRunner } = await import("./server/jobs/start");
  startJobRunner();
}
