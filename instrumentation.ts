// Next.js calls register() once when a server process starts (never during
// `next build`). The background jobs (server/jobs) run in this process under
// `next dev`; `npm start` runs them in a process of their own
// (scripts/jobs-process.ts) and says so with CENTRIC_JOBS_PROCESS.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.CENTRIC_JOBS_PROCESS === "separate") return;
  const { startJobRunner } = await import("./server/jobs/start");
  startJobRunner();
}
