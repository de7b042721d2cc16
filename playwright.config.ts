import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// ---------------------------------------------------------------------------
// End-to-end tests drive Debian's Chromium against a production build served
// by scripts/start.ts, with its embedded database in a fresh folder per run.
// E2E_BASE_URL runs them against a server you started yourself instead.
// The specs create and change data, so they refuse any server or database
// that is not on this machine.
// ---------------------------------------------------------------------------

const isCI = Boolean(process.env.CI);
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`;
const databaseUrl = process.env.E2E_DATABASE_URL ?? "";

const localHosts = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
function assertLocal(what: string, url: string) {
  const { hostname } = new URL(url);
  if (!localHosts.has(hostname)) {
    throw new Error(`Refusing to run the end-to-end tests against ${what} ${url}: they change its data.`);
  }
}
assertLocal("the server", baseURL);
if (databaseUrl) assertLocal("the database", databaseUrl);

// Workers load this file again; the variable makes them agree on the folder (specs may read it).
// In the system's temp folder, not the checkout: run as root, the embedded server runs as the
// postgres user, which cannot enter a checkout under a private folder such as /root.
process.env.CENTRIC_E2E_DATA_DIR ??= path.join(os.tmpdir(), `centric-e2e-${Date.now()}`);
const dataDir = process.env.CENTRIC_E2E_DATA_DIR;

export default defineConfig({
  testDir: "e2e",
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  // Two cores, on CI as here: the server, the build cache and Chromium already share them. Two
  // spec files at a time still finish much sooner than one (the specs mostly wait for the server),
  // and specs that change data work in workspaces of their own, so files need not wait for others.
  workers: 2,
  reporter: isCI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  timeout: 30_000,
  // Screenshot baselines (e2e/screenshots.spec.ts) live beside the specs, without the platform in
  // their names: CI runs the same Debian Chromium. The tolerance absorbs anti-aliasing and the
  // few pixels that move with the day (gridlines of time axes whose labels are masked).
  snapshotPathTemplate: "{testDir}/__screenshots__/{testFilePath}/{arg}{ext}",
  expect: {
    timeout: 10_000,
    toHaveScreenshot: { maxDiffPixelRatio: 0.003, animations: "disabled", caret: "hide" },
    toMatchSnapshot: { maxDiffPixelRatio: 0.003 },
  },
  use: {
    baseURL,
    headless: true,
    screenshot: "only-on-failure",
    trace: "on-first-retry",
    launchOptions: {
      executablePath: "/usr/lib/chromium/chromium",
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // Signs each demo user in once; the specs reuse those sessions (e2e/fixtures.ts signInAs).
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: { browserName: "chromium" } },
    { name: "chromium", use: { browserName: "chromium" }, dependencies: ["setup"] },
  ],
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: `node --import tsx scripts/start.ts --skip-build --port ${port}`,
        url: `${baseURL}/api/health`,
        timeout: 180_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        // Lets scripts/start.ts stop the embedded database cleanly.
        gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
        env: {
          CENTRIC_DATA_DIR: dataDir,
          CENTRIC_BCRYPT_COST: "4",
          NEXTAUTH_URL: baseURL,
          // Never the DATABASE_URL of the shell: the embedded database, unless a local one is named.
          DATABASE_URL: databaseUrl,
        },
      },
});
