import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedServer } from "~/db/embedded";
import { startThrowawayPostgres } from "~/scripts/lib/throwaway-postgres";
import { createTemplateDatabase } from "./test-servers";

// ---------------------------------------------------------------------------
// Two servers for the whole Vitest run: the embedded PostgreSQL server that
// `npm start` runs (the npm package's binaries) and a throw-away PostgreSQL 15
// server (the oldest version Centric supports). Every database test file
// creates its own databases on both (test/databases.ts), so files can run in
// parallel. TEST_DATABASE_URL points the PostgreSQL half at an existing server
// instead; it must be a superuser URL because the tests CREATE DATABASE.
// ---------------------------------------------------------------------------

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the embedded server. */
    embeddedAdminUrl: string;
    /** Superuser URL of the PostgreSQL server; tests create their databases through it. */
    postgresAdminUrl: string;
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

export default async function setup(project: TestProject) {
  const started = performance.now();
  const embeddedDir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-test-embedded-"));
  // As root the server runs as the postgres user, which must be able to enter the folder.
  fs.chmodSync(embeddedDir, 0o755);
  const [embedded, postgres] = await Promise.all([
    startEmbeddedServer(embeddedDir, { durable: false, lock: false }),
    process.env.TEST_DATABASE_URL?.trim() ? undefined : startThrowawayPostgres(),
  ]);
  const postgresUrl = postgres?.url ?? process.env.TEST_DATABASE_URL!.trim();
  await Promise.all([createTemplateDatabase(embedded.url), createTemplateDatabase(postgresUrl)]);
  console.log(
    `[test] embedded PostgreSQL (${embedded.clusterDir}) and ${postgres ? `PostgreSQL 15 (${postgres.url})` : "TEST_DATABASE_URL"} ready in ${seconds(started)} s`,
  );
  project.provide("embeddedAdminUrl", embedded.url);
  project.provide("postgresAdminUrl", postgresUrl);

  return async function teardown() {
    const stop = async (what: string, step: () => Promise<void>) =>
      step().catch((error: Error) => console.error(`[test] stopping ${what}: ${error.message}`));
    await Promise.all([
      stop("the embedded server", () => embedded.stop()),
      postgres && stop("PostgreSQL", () => postgres.stop()),
    ]);
    fs.rmSync(embeddedDir, { recursive: true, force: true });
    console.log("[test] database servers stopped");
  };
}
