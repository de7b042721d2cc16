import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { Database } from "~/db";
import type { ImportKind } from "~/db/enums";
import { dataDir, resetEnvCache } from "~/server/env";
import { pauseImport, saveUpload, startImport } from "./imports";

// Uploads for tests. Uploads live in the data folder; a test process must
// never write into a developer's real one, so the first call points this
// process's data folder at a temporary directory.

let testDataDir: string | undefined;

export function testDataFolder() {
  if (!testDataDir) {
    testDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-test-data-"));
    process.env.CENTRIC_DATA_DIR = testDataDir;
    resetEnvCache();
    process.once("exit", () => fs.rmSync(testDataDir!, { recursive: true, force: true }));
  }
  return dataDir();
}

export async function uploadText(
  db: Database,
  input: {
    workspaceId: string;
    createdBy: string;
    kind: ImportKind;
    content: string | Buffer;
    fileName?: string;
  },
) {
  return saveUpload({
    db,
    dataDir: testDataFolder(),
    workspaceId: input.workspaceId,
    kind: input.kind,
    fileName: input.fileName ?? "test.csv",
    body: Readable.from([Buffer.from(input.content)]),
    createdBy: input.createdBy,
  });
}

const sample =
  "customer_id,date,event,amount\nc-1,2024-01-02,Order Completed,12.50\nc-2,2024-01-03,Order Completed,8\n";
const sampleMapping = {
  customerId: "customer_id",
  timestamp: "date",
  event: { column: "event" },
  amount: "amount",
  rename: {},
};
const sampleOptions = { encoding: "utf-8", delimiter: ",", header: true, dateFormat: "iso" } as const;

/** Imports in each state a procedure needs (server/authz.test.ts): uploaded, queued and paused. */
export async function makeImportFixtures(db: Database, workspaceId: string, createdBy: string) {
  const upload = () => uploadText(db, { workspaceId, createdBy, kind: "events", content: sample });
  const start = async (id: string) =>
    startImport({
      db,
      dataDir: testDataFolder(),
      workspaceId,
      importId: id,
      options: sampleOptions,
      mapping: sampleMapping,
      userId: createdBy,
    });
  const uploaded = await upload();
  // Its own, for import.discard, which removes the file (a rolled-back transaction does not bring it back).
  const discardable = await upload();
  const queued = await upload();
  await start(queued.id);
  const paused = await upload();
  await start(paused.id);
  await pauseImport({ db, workspaceId, importId: paused.id });
  return {
    uploaded: uploaded.id,
    discardable: discardable.id,
    queued: queued.id,
    paused: paused.id,
    mapping: sampleMapping,
    options: sampleOptions,
  };
}
