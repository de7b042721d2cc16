import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run server code outside a React server bundle, where `server-only` would throw.
    alias: { "~": root, "server-only": `${root}node_modules/server-only/empty.js` },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", ".next/**", "e2e/**", ".data/**", ".test-data/**"],
    environment: "node",
    // bcrypt at its production cost takes a quarter of a second per hash; tests create many users.
    // The app's secret, as the launcher always sets it: destination credentials are sealed with it.
    env: {
      CENTRIC_BCRYPT_COST: "4",
      NEXTAUTH_SECRET: "vitest-only-secret-vitest-only-secret-0123",
      NEXTAUTH_URL: "http://centric.test",
    },
    // Starts the embedded server and a throw-away PostgreSQL 15 server for the whole run (test/databases.ts).
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    // Database tests spend most of their time waiting for a server: three files at a time keep two
    // cores busy, where the default (one fewer than the cores) runs one file at a time.
    maxWorkers: 3,
    // Each database test file creates its databases in beforeAll hooks, which wait
    // for the servers on a busy machine; the heaviest tests (a whole CDNOW import or two
    // value fits) share the cores with two other files.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
  },
});
