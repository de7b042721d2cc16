import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { resetEnvCache } from "~/server/env";

// In production one process holds two copies of the server modules: the
// launcher's (tRPC, server/api/trpc-node.ts) and Next.js's server bundle (pages,
// route handlers, the job runner from instrumentation.ts). Their state must be
// one per process: one pair of database pools, one decoded-token cache.
// Loading the modules twice here stands for the two copies.

beforeAll(() => {
  // Pools are opened lazily: nothing here connects.
  process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:9/unused";
  resetEnvCache();
});

afterAll(async () => {
  const { closeSharedPools } = await import("~/db");
  await closeSharedPools();
  delete process.env.DATABASE_URL;
  resetEnvCache();
});

it("shares the database pools and the decoded-token cache between copies of the modules", async () => {
  const first = { db: await import("~/db"), tokens: await import("~/server/auth/session-token") };
  vi.resetModules();
  const second = { db: await import("~/db"), tokens: await import("~/server/auth/session-token") };
  expect(second.db).not.toBe(first.db);
  expect(second.db.getDb()).toBe(first.db.getDb());
  expect(second.db.getBackgroundDb()).toBe(first.db.getBackgroundDb());
  expect(second.tokens.decodedTokenCache()).toBe(first.tokens.decodedTokenCache());
});
