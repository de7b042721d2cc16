// `npm start` / `npm run dev`: one process that runs the embedded database (or
// connects to DATABASE_URL), applies migrations, seeds the demo workspace,
// builds the app when its sources changed, and serves it with Next.js's
// custom-server API; the background jobs run in a child process
// (scripts/jobs-process.ts). One Ctrl-C stops database, web server and jobs
// cleanly; the jobs process also exits when this one is killed.
//
//   node --import tsx scripts/start.ts [--dev] [--skip-build] [--port N]
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { closeSharedPools, connect, type DatabaseHandle } from "~/db";
import { DataDirLockedError } from "~/db/data-dir-lock";
import { startEmbeddedServer, type EmbeddedServer } from "~/db/embedded";
import { legacyPgliteBlocksStart } from "~/db/legacy-pglite";
import { migrateDatabase } from "~/db/migrate";
import type { DemoSignIn, DemoWriteKey } from "~/server/demo/seed";
import { dataDir as resolveDataDir, env, EnvError, resetEnvCache, type Env } from "~/server/env";
import { stampClientAddress } from "~/server/http/client-address";
import { loadOrCreateSecrets } from "~/server/secrets";
import { curlTrackCommand } from "~/server/writekeys/examples";

// @next/env is CommonJS without named exports that Node's ESM loader can see.
const { loadEnvConfig, updateInitialEnv } = createRequire(import.meta.url)(
  "@next/env",
) as typeof import("@next/env");

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const nextBin = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
const buildHashFile = path.join(repoRoot, ".next", "centric-build-hash");

const usage = `Usage: npm start [-- --port N] [-- --skip-build]
       npm run dev [-- --port N]

  --dev          run Next.js in development mode (hot reload, no build)
  --skip-build   serve the existing production build even if the sources changed
  --port N       listen on port N (default: PORT, else 3000)`;

/** A start-up failure whose message says it all: printed without a stack trace. */
class StartError extends Error {}

function log(message: string) {
  console.log(`[centric] ${message}`);
}

function seconds(since: number) {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------
// Options and environment
// ---------------------------------------------------------------------------

interface Options {
  dev: boolean;
  skipBuild: boolean;
  port?: string;
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dev: { type: "boolean", default: false },
        "skip-build": { type: "boolean", default: false },
        port: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StartError(`${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return { dev: values.dev, skipBuild: values["skip-build"], port: values.port };
}

/**
 * Sets variables for this process and for Next.js, which may reload the .env
 * files in development and restores its snapshot of the environment when it does.
 */
function setEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  updateInitialEnv(vars);
  resetEnvCache();
}

function loadEnv(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) throw new StartError(error.message);
    throw error;
  }
}

/** The innermost cause's message: "connect ECONNREFUSED …" rather than the query that hit it. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

function describeDatabase(embedded: EmbeddedServer | undefined, databaseUrl: string) {
  if (embedded) return `embedded PostgreSQL in ${embedded.clusterDir} (socket ${embedded.socketDir})`;
  try {
    const url = new URL(databaseUrl);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : "";
    return `PostgreSQL at ${user}${url.host || "local socket"}${url.pathname}`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

// ---------------------------------------------------------------------------
// Build: only when the inputs changed since the last successful build
// ---------------------------------------------------------------------------

const buildInputs = [
  "app",
  "server",
  "db",
  "public",
  "proxy.ts",
  "middleware.ts",
  "instrumentation.ts",
  "instrumentation-client.ts",
  "next.config.js",
  "package.json",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
  "tsconfig.build.json",
  // NEXT_PUBLIC_* values are inlined into the build.
  ".env",
  ".env.local",
  ".env.production",
  ".env.production.local",
];

/** A hash of the build's inputs: file paths and contents (tests excluded, they are not built). */
function buildInputsHash(root = repoRoot) {
  const hash = crypto.createHash("sha256");
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) {
        if (name === "node_modules" || /\.test\.tsx?$/.test(name)) continue;
        visit(path.join(relative, name));
      }
    } else if (stat.isFile()) {
      hash.update(`${relative}\0${stat.size}\0`).update(fs.readFileSync(full)).update("\0");
    }
  };
  for (const input of buildInputs) visit(input);
  return hash.digest("hex");
}

function buildIsCurrent(hash: string) {
  try {
    return (
      fs.existsSync(path.join(repoRoot, ".next", "BUILD_ID")) &&
      fs.readFileSync(buildHashFile, "utf8").trim() === hash
    );
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// What has been started, so that shutdown can stop it in reverse order
// ---------------------------------------------------------------------------

type NextApp = ReturnType<typeof import("next").default>;

const started: {
  embedded?: EmbeddedServer;
  setupDb?: DatabaseHandle;
  build?: ChildProcess;
  httpServer?: http.Server;
  app?: NextApp;
  jobs?: ChildProcess;
} = {};

let stopping: Promise<never> | undefined;

/** Upgraded connections (the dev server's hot-reload WebSockets), which server.close() would wait for forever. */
const upgradedSockets = new Set<Duplex>();

function trackUpgrades(server: http.Server) {
  server.on("upgrade", (_req, socket: Duplex) => {
    upgradedSockets.add(socket);
    socket.once("close", () => upgradedSockets.delete(socket));
  });
}

function closeHttpServer(server: http.Server) {
  return new Promise<void>((resolve) => {
    // Finish requests in flight; drop idle keep-alive connections now and busy ones after 3 s.
    const force = setTimeout(() => server.closeAllConnections(), 3_000);
    const giveUp = setTimeout(resolve, 5_000);
    server.close(() => {
      clearTimeout(force);
      clearTimeout(giveUp);
      resolve();
    });
    server.closeIdleConnections();
    for (const socket of upgradedSockets) socket.destroy();
  });
}

function shutdown(reason: string, exitCode: number): Promise<never> {
  stopping ??= (async () => {
    if (reason) log(reason);
    const deadline = setTimeout(() => {
      console.error("[centric] Stopping took longer than 20 s; exiting anyway.");
      process.exit(exitCode || 1);
    }, 20_000);
    deadline.unref();
    const attempt = async (what: string, step: () => Promise<unknown> | unknown) => {
      try {
        await step();
      } catch (error) {
        console.error(`[centric] Could not ${what}: ${(error as Error).message}`);
      }
    };

    if (started.build && started.build.exitCode === null) started.build.kill("SIGTERM");
    if (started.httpServer?.listening)
      await attempt("close the web server", () => closeHttpServer(started.httpServer!));
    if (started.app) await attempt("stop Next.js", () => started.app!.close());
    if (started.jobs) await attempt("stop the background jobs", () => stopJobsProcess(started.jobs!));
    const setupDb = started.setupDb;
    started.setupDb = undefined;
    if (setupDb) await attempt("close the set-up connection", () => setupDb.close());
    // The app's own pools, created on first use in db/index.ts.
    await attempt("close the database pools", closeSharedPools);
    // Stopping the embedded server releases the data folder's lock.
    if (started.embedded) await attempt("stop the embedded database", () => started.embedded!.stop());
    if (exitCode === 0) log("Stopped.");
    process.exit(exitCode);
  })();
  return stopping;
}

function handleSignals() {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    // Ctrl-C reaches every process of the terminal's group (npm and us): later
    // copies of a signal are ignored.
    process.on(signal, () => void shutdown(`Received ${signal}, stopping…`, 0));
  }
}

// ---------------------------------------------------------------------------
// Start-up
// ---------------------------------------------------------------------------

function listen(server: http.Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(
          new StartError(
            `Port ${port} is already in use. Stop what uses it, or choose another port with --port N.`,
          ),
        );
      } else if (error.code === "EACCES") {
        reject(
          new StartError(`Not allowed to listen on port ${port}. Choose a port above 1023 with --port N.`),
        );
      } else reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

async function runBuild() {
  // The build must not need the database: without its URL, a page that
  // queries at build time fails loudly instead of holding a connection.
  const buildEnv = { ...process.env };
  delete buildEnv.CENTRIC_EMBEDDED_URL;
  const child = spawn(process.execPath, [nextBin, "build"], {
    cwd: repoRoot,
    env: buildEnv,
    stdio: "inherit",
  });
  started.build = child;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve(exitCode));
  });
  started.build = undefined;
  if (stopping) await stopping;
  if (code !== 0)
    throw new StartError(`The build failed (next build exited with ${code}); see its output above.`);
}

const jobsScript = path.join(repoRoot, "scripts", "jobs-process.ts");
const JOBS_RESTART_MS = 5_000;

/** The background jobs' process; started again when it dies while the app runs. */
function startJobsProcess(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", jobsScript], {
    cwd: repoRoot,
    env: process.env,
    // The IPC channel closes when this process dies, however it dies: the jobs process then exits.
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.once("exit", (code, signal) => {
    if (stopping || started.jobs !== child) return;
    log(`The background jobs stopped (${signal ?? `exit code ${code}`}); starting them again in 5 s.`);
    setTimeout(() => {
      if (!stopping && started.jobs === child) started.jobs = startJobsProcess();
    }, JOBS_RESTART_MS).unref();
  });
  return child;
}

/** SIGTERM, then SIGKILL if it has not exited in 15 s (a job hands itself back between steps). */
async function stopJobsProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

function printBanner(
  url: string,
  database: string,
  signIns: DemoSignIn[],
  writeKeys: DemoWriteKey[],
  options: Options,
) {
  const lines = ["", `  Centric is running at ${url}${options.dev ? "  (development mode)" : ""}`, ""];
  if (signIns.length > 0) {
    lines.push("  Demo sign-ins:");
    const width = (pick: (s: (typeof signIns)[number]) => string) =>
      Math.max(...signIns.map((s) => pick(s).length));
    const [emailWidth, passwordWidth, roleWidth] = [
      width((s) => s.email),
      width((s) => s.password),
      width((s) => s.role),
    ];
    for (const s of signIns) {
      lines.push(
        `    ${s.email.padEnd(emailWidth)}  ${s.password.padEnd(passwordWidth)}  ${s.role.padEnd(roleWidth)}  ${s.workspace}`,
      );
    }
    lines.push("");
  }
  for (const { workspace, key } of writeKeys) {
    lines.push(`  Tracking API write key (${workspace}): ${key}`);
  }
  if (writeKeys[0]) lines.push(`    ${curlTrackCommand(url, writeKeys[0].key, { oneLine: true })}`, "");
  lines.push(`  Database: ${database}`, "  Stop with Ctrl-C (or SIGTERM).", "");
  console.log(lines.join("\n"));
}

async function main() {
  const options = parseOptions();
  handleSignals();

  // 1. Environment: the .env files first, as Next.js itself would load them,
  // so that the launcher and the app agree on every value.
  setEnv({ NODE_ENV: options.dev ? "development" : "production" });
  loadEnvConfig(repoRoot, options.dev, { info: (...args) => log(args.join(" ")), error: console.error });
  if (options.port !== undefined) setEnv({ PORT: options.port });
  let e = loadEnv();
  const port = e.PORT;
  const folder = resolveDataDir(e);

  // 2. Secrets, generated on first start and kept in the data folder.
  let secretsSource: string;
  try {
    const { secrets, source } = loadOrCreateSecrets(folder);
    secretsSource = source;
    setEnv({ NEXTAUTH_SECRET: secrets.NEXTAUTH_SECRET });
  } catch (error) {
    throw new StartError((error as Error).message);
  }
  if (!e.NEXTAUTH_URL) setEnv({ NEXTAUTH_URL: `http://localhost:${port}` });
  e = loadEnv();

  // 3. Database.
  let databaseUrl: string;
  if (e.DATABASE_URL) {
    databaseUrl = e.DATABASE_URL;
  } else {
    const legacy = legacyPgliteBlocksStart(folder);
    if (legacy) throw new StartError(legacy);
    const t0 = performance.now();
    try {
      started.embedded = await startEmbeddedServer(folder, { log });
    } catch (error) {
      if (error instanceof DataDirLockedError) throw new StartError(error.message);
      throw new StartError((error as Error).message);
    }
    if (stopping) await stopping;
    databaseUrl = started.embedded.url;
    setEnv({ CENTRIC_EMBEDDED_URL: databaseUrl });
    log(`Embedded database started in ${seconds(t0)} (${started.embedded.clusterDir}).`);
  }
  const database = describeDatabase(started.embedded, databaseUrl);

  // Take the port now, so that a port clash shows before a long build; answer
  // "starting" until Next.js is ready.
  let handler: http.RequestListener = (_req, res) => {
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "5" });
    res.end("Centric is starting. Try again in a few seconds.\n");
  };
  const httpServer = http.createServer((req, res) => handler(req, res));
  started.httpServer = httpServer;
  trackUpgrades(httpServer);
  await listen(httpServer, port, e.HOST);

  // 4. Migrations and demo data, on a pool of their own, closed before the app opens its pools.
  const t1 = performance.now();
  const setupDb = connect(databaseUrl, { max: 4, applicationName: "centric-setup" });
  started.setupDb = setupDb;
  let signIns: DemoSignIn[];
  let writeKeys: DemoWriteKey[];
  let seeded: boolean;
  let customersLoaded: number;
  try {
    await migrateDatabase(setupDb.db);
    const { seedDemo } = await import("~/server/demo/seed");
    ({
      signIns,
      writeKeys,
      created: seeded,
      customersLoaded,
    } = await seedDemo(setupDb.db, {
      onProgress: log,
    }));
  } catch (error) {
    if (stopping) await stopping;
    if (!started.embedded) {
      throw new StartError(`Could not prepare the database (${database}): ${rootMessage(error)}`);
    }
    throw error;
  } finally {
    // Unless a shutdown under way has closed it already.
    if (started.setupDb === setupDb) {
      started.setupDb = undefined;
      await setupDb.close();
    }
  }
  const demoData = [
    seeded && "demo data",
    customersLoaded > 0 && `${customersLoaded.toLocaleString("en")} demo customers`,
  ]
    .filter(Boolean)
    .join(" with ");
  log(`Database migrated${demoData ? ` and ${demoData} created` : ""} in ${seconds(t1)}.`);
  if (secretsSource === "generated")
    log(`Generated NEXTAUTH_SECRET in ${path.join(folder, "secrets.json")}.`);

  // 5. Build, when the sources changed since the last build.
  if (!options.dev && !options.skipBuild) {
    const hash = buildInputsHash();
    if (buildIsCurrent(hash)) {
      log("The production build is up to date.");
    } else {
      log("Building the app (next build)…");
      const t2 = performance.now();
      await runBuild();
      fs.writeFileSync(buildHashFile, `${hash}\n`);
      log(`Built in ${seconds(t2)}.`);
    }
  }

  // 6. Serve Next.js in this process.
  const t3 = performance.now();
  // Production runs the background jobs in a process of their own (scripts/jobs-process.ts).
  if (!options.dev) setEnv({ CENTRIC_JOBS_PROCESS: "separate" });
  const { default: next } = await import("next");
  const hostname = e.HOST === "0.0.0.0" || e.HOST === "::" ? "localhost" : e.HOST;
  const app = next({ dev: options.dev, dir: repoRoot, hostname, port, httpServer });
  started.app = app;
  try {
    await app.prepare();
  } catch (error) {
    if (!options.dev && !fs.existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) {
      throw new StartError(
        "There is no production build to serve: run without --skip-build (or `npm run build`).",
      );
    }
    throw error;
  }
  if (stopping) await stopping;
  const handle = app.getRequestHandler();
  // tRPC straight from this server in production (server/api/trpc-node.ts says why);
  // `next dev` reaches the same endpoint through the Next.js route, so that edits reload.
  const trpc = options.dev ? undefined : await import("~/server/api/trpc-node");
  // The profile API likewise (server/profiles/node.ts).
  const profiles = options.dev ? undefined : await import("~/server/profiles/node");
  handler = (req, res) => {
    stampClientAddress(req, e.TRUSTED_PROXIES);
    if (answersSmallJson(req)) sendApiResponsesWhole(req, res);
    // Through a promise, so that a handler that throws at once is answered like one that rejects.
    const served = Promise.resolve().then(() =>
      trpc?.isTrpcRequest(req)
        ? trpc.handleTrpcRequest(req, res)
        : profiles?.isProfileRequest(req)
          ? profiles.handleProfileNodeRequest(req, res)
          : handle(req, res),
    );
    served.catch((error: unknown) => {
      console.error("[centric] Unhandled error for", req.method, req.url, error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("Internal server error\n");
    });
  };
  log(`Next.js ready in ${seconds(t3)}.`);
  if (!options.dev) started.jobs = startJobsProcess();

  // 7. Banner.
  const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  printBanner(`http://${shownHost}:${port}`, database, signIns, writeKeys, options);
  log(`Ready ${seconds(0)} after launch.`);
}

main().catch((error: unknown) => {
  // A failure caused by a shutdown already under way (a signal during start-up) is not news.
  if (stopping) return;
  if (error instanceof StartError) console.error(`\n[centric] ${error.message}\n`);
  else console.error("\n[centric] Start-up failed:", error);
  void shutdown("", 1);
});

/** tRPC, the tracking API and health: small JSON answers. File downloads (exports, evidence) are not among them. */
function answersSmallJson(req: http.IncomingMessage) {
  return req.url !== undefined && /^\/(v1\/|api\/v1\/|api\/trpc\/|api\/health(\?|$))/.test(req.url);
}

/**
 * Small JSON answers go out uncompressed and in one write:
 * - Next.js would gzip every one the client offers to accept: zlib's set-up
 *   per request costs more than most of these calls' own work, for JSON of a
 *   few hundred bytes to a few tens of KB (docs/benchmarks.md#timeline). Pages
 *   and assets are still compressed; a reverse proxy can compress the rest for
 *   slow links.
 * - Next.js flushes the headers on their own before the body, which costs a
 *   second socket write per response. Without the early flush Node sends the
 *   headers with the body.
 */
function sendApiResponsesWhole(req: http.IncomingMessage, res: http.ServerResponse) {
  delete req.headers["accept-encoding"];
  res.flushHeaders = () => {};
}
