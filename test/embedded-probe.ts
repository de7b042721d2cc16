// A small program that starts the embedded database of one data folder the way
// the launcher does, for db/embedded.test.ts, which kills it with -9 (alone or
// with its process group, the server included) and starts it again.
//
//   embedded-probe.ts <dataDir> write <slug>     insert a workspace, a user and a membership in one transaction,
//                                                print COMMITTED <slug>, keep running
//   embedded-probe.ts <dataDir> read             print ROW <slug> per workspace and USERS <n>, stop cleanly, exit
//   embedded-probe.ts <dataDir> hold             print READY and keep running
//
// Every command first prints SERVER <pid>, the database server's pid.
// Exit codes: 0 done, 1 unexpected error, 2 the folder is locked by another process.
import { asc, count } from "drizzle-orm";
import { connect } from "~/db";
import { DataDirLockedError } from "~/db/data-dir-lock";
import { startEmbeddedServer } from "~/db/embedded";
import { migrateDatabase } from "~/db/migrate";
import { memberships, users, workspaces } from "~/db/schema";

const [dataDir, command, value = ""] = process.argv.slice(2);

function keepRunning() {
  setInterval(() => {}, 1 << 30);
}

async function main() {
  if (!dataDir || !command) throw new Error("usage: embedded-probe.ts <dataDir> write|read|hold [value]");

  const server = await startEmbeddedServer(dataDir, { log: (message) => console.log(`LOG ${message}`) });
  console.log(`SERVER ${server.pid}`);
  const handle = connect(server.url, { max: 2 });
  await migrateDatabase(handle.db);

  switch (command) {
    case "write": {
      await handle.db.transaction(async (tx) => {
        const [workspace] = await tx
          .insert(workspaces)
          .values({ slug: value, name: `Probe ${value}` })
          .returning({ id: workspaces.id });
        const [user] = await tx
          .insert(users)
          .values({ email: `${value}@probe.test`, name: `Probe ${value}`, passwordHash: "x" })
          .returning({ id: users.id });
        await tx.insert(memberships).values({ workspaceId: workspace!.id, userId: user!.id, role: "admin" });
      });
      console.log(`COMMITTED ${value}`);
      return keepRunning();
    }
    case "read": {
      const rows = await handle.db
        .select({ slug: workspaces.slug })
        .from(workspaces)
        .orderBy(asc(workspaces.slug));
      for (const row of rows) console.log(`ROW ${row.slug}`);
      const [users_] = await handle.db.select({ n: count() }).from(users);
      console.log(`USERS ${users_?.n ?? 0}`);
      await handle.close();
      await server.stop();
      console.log("DONE");
      return;
    }
    case "hold": {
      console.log("READY");
      return keepRunning();
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
