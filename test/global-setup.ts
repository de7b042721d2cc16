import type { TestProject } from "vitest/node";
import { startThrowawayPostgres } from "~/scripts/lib/throwaway-postgres";

// ---------------------------------------------------------------------------
// One throw-away PostgreSQL 15 server for the whole Vitest run. Every database
// test file creates its own database on it (test/databases.ts), so files can
// run in parallel. TEST_DATABASE_URL points the tests at an existing server
// instead; it must be a superuser URL because the tests CREATE DATABASE.
// ---------------------------------------------------------------------------

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server; tests create their databases through it. */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL?.trim();
  if (external) {
    project.provide("postgresAdminUrl", external);
    return;
  }
  const started = performance.now();
  const server = await startThrowawayPostgres();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[test] PostgreSQL 15 started at ${server.url} in ${seconds} s (${server.dir})`);
  project.provide("postgresAdminUrl", server.url);

  return async function teardown() {
    await server
      .stop()
      .catch((error: Error) => console.error(`[test] stopping PostgreSQL: ${error.message}`));
    console.log("[test] PostgreSQL stopped");
  };
}
