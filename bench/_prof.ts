import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect } from "~/db";
import { createWorkspace } from "~/server/workspaces/workspaces";
import { createUser } from "~/server/users/users";
import { saveUpload, startImport } from "~/server/imports/imports";
import { createImportJobHandler } from "~/server/imports/job";
import { IMPORT_JOB_KIND } from "~/server/imports/job-kind";
import { JobRunner } from "~/server/jobs/runner";
import { migrateDatabase } from "~/db/migrate";
import { startThrowawayPostgres } from "~/scripts/lib/throwaway-postgres";

const server = await startThrowawayPostgres({ durable: true });
const { db, close } = connect(server.url, { max: 8 });
await migrateDatabase(db);
const user = await createUser(db, { email: "p@example.com", name: "P", password: "password-123456" });
const ws = await createWorkspace(db, { userId: user.id, name: "Prof", requireAdmin: false });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "prof-"));
const saved = await saveUpload({ db, dataDir, workspaceId: ws.id, kind: "events", fileName: "x.csv", body: fs.createReadStream("/tmp/bench-import.csv"), createdBy: user.id });
await startImport({ db, dataDir, workspaceId: ws.id, importId: saved.id, userId: user.id,
  options: { encoding: "utf-8", delimiter: ",", header: true, dateFormat: "iso" },
  mapping: { customerId: "customer_id", timestamp: "timestamp", event: { column: "event" }, channel: { column: "channel" }, amount: "amount", rename: {} } });
const t = performance.now();
const cpu = process.cpuUsage();
await new JobRunner({ db, handlers: new Map([[IMPORT_JOB_KIND, createImportJobHandler({ dataDir })]]), pollMs: 20, log: () => {} }).runOnce();
const used = process.cpuUsage(cpu);
console.log(`import ${((performance.now() - t) / 1000).toFixed(1)} s, node CPU ${((used.user + used.system) / 1e6).toFixed(1)} s`);
await close(); await server.stop();
