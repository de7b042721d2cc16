import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { jobs, segments } from "~/db/schema";
import { insertCustomer, insertEvents } from "~/server/customers/test-fixtures";
import { describeEachDatabase } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";

// scripts/jobs-process.ts: the background work of `npm start` in a process of
// its own. It runs the jobs the app queues, stops between steps on SIGTERM, and
// exits when the launcher that started it is gone.

const script = path.resolve(import.meta.dirname, "../../scripts/jobs-process.ts");
const running: ChildProcess[] = [];

function startJobsProcess(databaseUrl: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-jobs-process-"));
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CENTRIC_DATA_DIR: dataDir, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  running.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describeEachDatabase("the jobs process", (getDb, _kind, getTestDatabase) => {
  it("runs the refresh a new segment queues, and exits cleanly on SIGTERM", async () => {
    const db = getDb();
    const { workspace, editor } = await makeWorkspace(db);
    const buyer = await insertCustomer(db, workspace.id, { name: "Ann" });
    await insertEvents(db, workspace.id, buyer, [
      { event: "Order Completed", timestamp: new Date("2026-03-02T10:00:00Z"), channel: "web" },
    ]);
    await insertCustomer(db, workspace.id, { name: "Bob" });
    const { id } = await callerAs(db, editor).segment.create({
      workspaceId: workspace.id,
      name: "Buyers",
      rule: { type: "behaviour", performed: true, event: "Order Completed" },
    });

    const worker = startJobsProcess(getTestDatabase().url);
    const refreshStatus = async () => {
      const [row] = await db
        .select({ status: jobs.status, members: segments.memberCount })
        .from(segments)
        .innerJoin(jobs, and(eq(jobs.workspaceId, segments.workspaceId), eq(jobs.id, segments.refreshJobId)))
        .where(and(eq(segments.workspaceId, workspace.id), eq(segments.id, id)));
      return row;
    };
    await expect
      .poll(refreshStatus, { timeout: 60_000, interval: 250 })
      .toEqual({ status: "succeeded", members: 1 });

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain("running segment.refresh job");
  }, 90_000);

  it("exits when the process that started it closes its channel, as a launcher that dies does", async () => {
    // While it is still loading its modules, and once it runs.
    const loading = startJobsProcess(getTestDatabase().url);
    loading.child.disconnect();
    const loaded = startJobsProcess(getTestDatabase().url);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    loaded.child.disconnect();
    expect(await loading.exited).toEqual({ code: 0, signal: null });
    expect(await loaded.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
