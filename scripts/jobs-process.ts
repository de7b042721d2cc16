// The background work of `npm start` (server/jobs/start.ts: the job runner,
// segment membership, journeys, deliveries, scheduled value fits) in a process
// of its own beside the web server. A model fit or a journey's batch of steps
// keeps a JavaScript thread busy for up to a second at a time: here it never
// holds up a page, a tRPC call or the tracking API, and the kernel gives the
// web server's process the CPU first (this one runs at a lower priority).
//
// scripts/start.ts starts it with the database already migrated, and stops it
// with SIGTERM; it also exits when the launcher is gone (its IPC channel closes).
import os from "node:os";
import { closeSharedPools } from "~/db";
import { startJobRunner, stopJobRunner } from "~/server/jobs/start";

const LOWER_PRIORITY = 10;

try {
  os.setPriority(LOWER_PRIORITY);
} catch {
  // Not allowed here (a container without CAP_SYS_NICE may refuse): it runs at the same priority.
}

startJobRunner();

let exiting = false;
async function exit(reason: string) {
  if (exiting) return;
  exiting = true;
  const force = setTimeout(() => {
    console.error(`[centric jobs] Stopping took longer than 15 s (${reason}); exiting anyway.`);
    process.exit(1);
  }, 15_000);
  force.unref();
  await stopJobRunner();
  await closeSharedPools().catch(() => undefined);
  process.exit(0);
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => void exit(signal));
process.on("disconnect", () => void exit("the launcher is gone"));
// The launcher may have died while this process was still loading its modules.
if (process.send !== undefined && !process.connected) void exit("the launcher is gone");
