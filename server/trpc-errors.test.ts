import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { beforeEach, expect, it } from "vitest";
import { connect, type Database } from "~/db";
import { appRouter } from "~/server/root";
import { INTERNAL_ERROR_MESSAGE } from "~/server/errors";
import type { SessionUser } from "~/server/auth/session-user";
import { createContext } from "~/server/trpc";
import { createInvitation } from "~/server/workspaces/invitations";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";

// What a caller over HTTP is told when something goes wrong: text the database
// cannot store is a 400 that names the field, and a failure of the server's own
// is a generic 500 — never the SQL, its parameters or a stack.

async function call(
  db: Database,
  user: SessionUser | null,
  procedure: string,
  input: unknown,
  method: "GET" | "POST" = "GET",
) {
  const payload = encodeURIComponent(JSON.stringify({ json: input }));
  const url = `http://centric.test/api/trpc/${procedure}${method === "GET" ? `?input=${payload}` : ""}`;
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "POST" ? JSON.stringify({ json: input }) : undefined,
    }),
    router: appRouter,
    createContext: () => createContext({ db, session: user ? { user } : null }),
    onError: () => undefined,
  });
  const text = await response.text();
  const body = JSON.parse(text) as { error?: { json: { message: string; data: { code: string } } } };
  return { status: response.status, text, error: body.error?.json };
}

describeEachDatabase("errors over HTTP", (getDb, _kind, getTestDatabase) => {
  beforeEach(() => truncateAllTables(getDb()));

  it("refuses a NUL character or a lone surrogate in any input as a 400 that names the field", async () => {
    const db = getDb();
    const { workspace, viewer } = await makeWorkspace(db);
    for (const search of ["a\u0000b", "lone \ud800"]) {
      const { status, text, error } = await call(db, viewer, "customer.list", { workspaceId: workspace.id, search });
      expect(status).toBe(400);
      expect(error?.message).toMatch(/^search contains a (NUL character|lone UTF-16 surrogate)/);
      expect(text).not.toMatch(/Failed query|select |params/i);
    }
  });

  it("does not answer the public invitation acceptance with the query (or the new password's hash)", async () => {
    const db = getDb();
    const { workspace, admin } = await makeWorkspace(db);
    const { token } = await createInvitation(db, {
      workspaceId: workspace.id,
      email: "new.person@example.test",
      role: "viewer",
      invitedBy: admin.id,
    });
    const { status, text, error } = await call(
      db,
      null,
      "invitation.accept",
      { token, name: "New\u0000Person", password: "a long enough password" },
      "POST",
    );
    expect(status).toBe(400);
    expect(error?.message).toBe("name contains a NUL character (\\u0000), which cannot be stored");
    expect(text).not.toMatch(/\$2[aby]\$|Failed query|insert into/i);
  });

  it("answers a failure of the server's own with a generic message, whatever it was", async () => {
    const { workspace, viewer } = await makeWorkspace(getDb());
    // A pool that has been closed: every query fails inside the procedure.
    const closed = connect(getTestDatabase().url, { max: 1 });
    await closed.close();
    const { status, text, error } = await call(closed.db, viewer, "customer.list", { workspaceId: workspace.id });
    expect(status).toBe(500);
    expect(error?.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(error?.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(text).not.toMatch(/pool|Failed query|select |stack|\.ts:/i);
  });

  it("says what is wrong with an input in words, not as a JSON string of issues", async () => {
    const db = getDb();
    const { workspace, admin } = await makeWorkspace(db);
    const { status, error } = await call(
      db,
      admin,
      "member.add",
      { workspaceId: workspace.id, email: "not an email", role: "owner" },
      "POST",
    );
    expect(status).toBe(400);
    expect(error?.message).toMatch(/^email: .+ \(and 1 more problem\)$/);
    expect(error?.message).not.toContain("[");
  });
});
