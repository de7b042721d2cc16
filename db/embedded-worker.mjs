// Runs PGlite (PostgreSQL compiled to WebAssembly) on its own thread and serves
// it over a Unix socket with the PostgreSQL wire protocol. PGlite executes
// queries synchronously, so on the main thread one slow query would stall the
// whole web server; here it only delays other database work, and the app talks
// to it with the same node-postgres driver it uses for a real server.
//
// Plain JavaScript on purpose: worker threads are started by file path, outside
// any TypeScript loader (tsx, Vitest, Next.js).
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const { dataDir, socketPath } = workerData;

try {
  // relaxedDurability stays off: every statement's file system changes are
  // synced before its result is sent, so an acknowledged COMMIT is on disk.
  const db = await PGlite.create(dataDir, { relaxedDurability: false });
  // The app's pool holds one connection at a time (db/index.ts), but pg-pool
  // drops a client whose query failed and reconnects at once, before the old
  // socket has closed; with a limit of 1 that reconnect is refused (EPIPE).
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8 });
  await server.start();
  parentPort.postMessage({ type: "ready" });

  parentPort.on("message", async (message) => {
    if (message?.type !== "stop") return;
    try {
      await server.stop();
      await db.close();
      parentPort.postMessage({ type: "stopped" });
    } catch (error) {
      parentPort.postMessage({ type: "error", message: String(error?.stack ?? error) });
    }
  });
} catch (error) {
  parentPort.postMessage({ type: "error", message: String(error?.stack ?? error) });
}
