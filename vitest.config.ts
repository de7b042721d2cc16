import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: { "~": root },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", ".next/**", "e2e/**", ".data/**", ".test-data/**"],
    environment: "node",
    // bcrypt at its production cost takes a quarter of a second per hash; tests create many users.
    env: { CENTRIC_BCRYPT_COST: "4" },
    // Starts one throw-away PostgreSQL server for the whole run (test/databases.ts).
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    // Each database test file starts PGlite (1-5 s on a busy machine) and creates a
    // PostgreSQL database, both in beforeAll hooks.
    testTimeout: 30_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
  },
});
