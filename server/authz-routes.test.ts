import fs from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { connect, type Database } from "~/db";
import { roles, type Role } from "~/db/enums";
import { POST as uploadImport } from "~/app/api/imports/upload/route";
import { GET as downloadAttachment } from "~/app/api/maturity/attachment/route";
import { GET as exportScorecard } from "~/app/api/maturity/scorecard/route";
import { GET as exportSegment } from "~/app/api/segments/export/route";
import { makeCustomerWithEvent } from "~/server/customers/test-fixtures";
import { resetEnvCache } from "~/server/env";
import { INTERNAL_ERROR_MESSAGE } from "~/server/errors";
import { testDataFolder } from "~/server/imports/test-fixtures";
import { addAttachment, createAssessment } from "~/server/maturity/assessments";
import { can, type Permission } from "~/server/permissions";
import { refreshSegmentIn } from "~/server/segments/membership";
import { createSegment } from "~/server/segments/store";
import type { SessionUser } from "~/server/auth/session-user";
import { describeEachDatabase, transactionPerTest } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";

// The authorization matrix of the route handlers under app/api, as
// server/authz.test.ts is for the procedures: each route is called signed out,
// as a member of another workspace, as each role, and (for writes) from
// another site, and no refusal carries anything of the workspace it refused.
// A route handler added without a row here fails the first test.

const testDb = vi.hoisted(() => ({ current: undefined as Database | undefined }));
vi.mock("~/db", async (importOriginal) => ({
  ...(await importOriginal<typeof import("~/db")>()),
  getDb: () => testDb.current!,
}));

const SECRET = "route-matrix-secret-route-matrix-secret";
const HOST = "centric.test";

/** Route handlers that are not a workspace's, with the reason they need no row. */
const outsideTheMatrix: Record<string, string> = {
  "GET /api/health": "liveness for load balancers: answers { ok: true } to anyone",
  "GET /api/auth/[...nextauth]": "next-auth's own sign-in endpoints",
  "POST /api/auth/[...nextauth]": "next-auth's own sign-in endpoints (it checks its CSRF token)",
  "GET /api/trpc/[trpc]": "the procedures, covered by server/authz.test.ts",
  "POST /api/trpc/[trpc]": "the procedures, covered by server/authz.test.ts",
  "POST /api/v1/[type]":
    "the tracking API: a write key, not a session, and called from other sites by design",
  "OPTIONS /api/v1/[type]": "the tracking API's CORS preflight",
  "GET /api/v1/profiles/[id]":
    "the profile API: a read key, not a session; its matrix (another workspace's key, write keys, revoked keys) is server/profiles/http.test.ts",
  "OPTIONS /api/v1/profiles/[id]": "the profile API's CORS preflight",
  "GET /api/v1/projects/[writeKey]/settings":
    "analytics.js's settings: a write key, not a session, names them, and they hold nothing of the workspace",
  "GET /api/analytics-next/[file]": "the analytics.js bundle, a public script from an npm package",
};

interface Fixture {
  a: Awaited<ReturnType<typeof makeWorkspace>>;
  /** Admin of another workspace, member of nothing in `a`. */
  outsider: SessionUser;
  outsiderWorkspaceId: string;
  segmentId: string;
  attachmentId: string;
}

interface RouteCall {
  query: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
}

interface Row {
  handler: (request: Request) => Promise<Response>;
  permission: Permission;
  /** A call that succeeds for an allowed caller. */
  call: (f: Fixture, workspaceId: string) => RouteCall;
  /** The status of that success. */
  ok: number;
}

const matrix: Record<string, Row> = {
  "POST /api/imports/upload": {
    handler: uploadImport,
    permission: "content:write",
    call: (_f, workspaceId) => ({
      query: { workspaceId, kind: "events" },
      body: "customer,timestamp\nc-1,2024-01-01\n",
      headers: { "x-file-name": "orders.csv" },
    }),
    ok: 201,
  },
  "GET /api/segments/export": {
    handler: exportSegment,
    permission: "workspace:read",
    call: (f, workspaceId) => ({ query: { workspaceId, segmentId: f.segmentId } }),
    ok: 200,
  },
  "GET /api/maturity/scorecard": {
    handler: exportScorecard,
    permission: "workspace:read",
    call: (_f, workspaceId) => ({ query: { workspaceId } }),
    ok: 200,
  },
  "GET /api/maturity/attachment": {
    handler: downloadAttachment,
    permission: "workspace:read",
    call: (f, workspaceId) => ({ query: { workspaceId, id: f.attachmentId } }),
    ok: 200,
  },
};

/** "METHOD /api/…" of every route handler under app/api, read from the files' exports. */
function routeHandlersOnDisk(): string[] {
  const apiDir = path.join(import.meta.dirname, "..", "app", "api");
  const found: string[] = [];
  for (const file of fs.readdirSync(apiDir, { recursive: true, encoding: "utf8" })) {
    if (path.basename(file) !== "route.ts") continue;
    const source = fs.readFileSync(path.join(apiDir, file), "utf8");
    const route = `/api/${path.dirname(file).split(path.sep).join("/")}`;
    const methods = source.matchAll(
      /export (?:const|(?:async )?function) (GET|POST|PUT|PATCH|DELETE|OPTIONS)\b|\bas (GET|POST|PUT|PATCH|DELETE|OPTIONS)\b/g,
    );
    for (const [, declared, renamed] of methods) found.push(`${declared ?? renamed} ${route}`);
  }
  return found.sort();
}

async function sessionCookie(user: SessionUser) {
  const token = await encode({ token: { sub: user.id, email: user.email, name: user.name }, secret: SECRET });
  return `next-auth.session-token=${token}`;
}

async function send(
  key: string,
  user: SessionUser | null,
  workspaceId: string,
  f: Fixture,
  extraHeaders: Record<string, string> = {},
) {
  const row = matrix[key]!;
  const [method, pathname] = key.split(" ") as [string, string];
  const { query, body, headers } = row.call(f, workspaceId);
  const request = new Request(`http://${HOST}${pathname}?${new URLSearchParams(query)}`, {
    method,
    headers: {
      host: HOST,
      ...headers,
      ...(user ? { cookie: await sessionCookie(user) } : {}),
      ...extraHeaders,
    },
    body,
  });
  const response = await row.handler(request);
  const text = await response.text();
  return { status: response.status, text, headers: response.headers };
}

const keys = Object.keys(matrix).sort();
const writes = keys.filter((key) => !key.startsWith("GET "));

describe("route handler matrix", () => {
  it("has a row for every route handler under app/api that is not exempt, and none for routes that are gone", () => {
    const onDisk = routeHandlersOnDisk().filter((route) => !(route in outsideTheMatrix));
    expect(onDisk).toEqual(keys);
  });
});

describeEachDatabase("route handler authorization", (getDb, _kind, getTestDatabase) => {
  let f: Fixture;
  /** What of workspace A no refusal may carry: its name, ids, a customer's email, a file's name. */
  let secretsOfA: string[];

  beforeAll(() => {
    process.env.NEXTAUTH_SECRET = SECRET;
    resetEnvCache();
    testDataFolder();
  });

  afterAll(() => {
    delete process.env.NEXTAUTH_SECRET;
    resetEnvCache();
  });

  beforeAll(async () => {
    const db = getDb();
    const a = await makeWorkspace(db, "Brand A Confidential");
    const other = await makeWorkspace(db, "Brand B");
    await makeCustomerWithEvent(db, a.workspace.id);
    const segment = await createSegment(db, {
      workspaceId: a.workspace.id,
      userId: a.admin.id,
      name: "Secret Segment",
      description: "",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "off",
    });
    await db.transaction((tx) =>
      refreshSegmentIn(tx, { workspaceId: a.workspace.id, segmentId: segment.id }),
    );
    const { id: assessmentId } = await createAssessment(db, {
      workspaceId: a.workspace.id,
      userId: a.admin.id,
      title: "Spring",
      assessedOn: "2026-04-01",
      modelId: null,
    });
    const file = await addAttachment(db, {
      workspaceId: a.workspace.id,
      assessmentId,
      userId: a.admin.id,
      dimensionKey: "governance",
      fileName: "board-minutes.txt",
      data: Buffer.from("The board agreed the budget."),
    });
    f = {
      a,
      outsider: other.admin,
      outsiderWorkspaceId: other.workspace.id,
      segmentId: segment.id,
      attachmentId: file.id,
    };
    secretsOfA = [
      "Brand A Confidential",
      a.workspace.slug,
      "ada.fixture@example.test",
      "Secret Segment",
      "secret-segment",
      "board-minutes",
      "The board agreed",
    ];
  });

  // Each test sees the fixture as built: the routes run in a transaction that is rolled back.
  const getTx = transactionPerTest(getDb);
  beforeEach(() => {
    testDb.current = getTx();
  });

  function expectNothingOfA(answer: { text: string; headers: Headers }) {
    const everything = `${answer.text}\n${[...answer.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}`;
    for (const secret of secretsOfA) expect(everything).not.toContain(secret);
  }

  it.each(keys)("%s refuses a caller without a session (401)", async (key) => {
    const answer = await send(key, null, f.a.workspace.id, f);
    expect(answer.status).toBe(401);
    expectNothingOfA(answer);
  });

  it.each(keys)("%s refuses a member of another workspace (403, nothing of the workspace)", async (key) => {
    const answer = await send(key, f.outsider, f.a.workspace.id, f);
    expect(answer.status).toBe(403);
    expectNothingOfA(answer);
  });

  it.each(["GET /api/segments/export", "GET /api/maturity/attachment"])(
    "%s finds nothing of another workspace through the caller's own workspace id (404)",
    async (key) => {
      const answer = await send(key, f.outsider, f.outsiderWorkspaceId, f);
      expect(answer.status).toBe(404);
      expectNothingOfA(answer);
    },
  );

  it.each(writes)("%s refuses a viewer (403)", async (key) => {
    const answer = await send(key, f.a.viewer, f.a.workspace.id, f);
    expect(answer.status).toBe(403);
  });

  const roleCases = keys.flatMap((key) => roles.map((role) => [key, role] as [string, Role]));
  it.each(roleCases)("%s as %s follows the permission table", async (key, role) => {
    const user = { admin: f.a.admin, editor: f.a.editor, viewer: f.a.viewer }[role];
    const answer = await send(key, user, f.a.workspace.id, f);
    expect(answer.status).toBe(can(role, matrix[key]!.permission) ? matrix[key]!.ok : 403);
  });

  it.each(writes)(
    "%s refuses an admin's request sent from another site (403), and takes it from its own",
    async (key) => {
      const foreign = await send(key, f.a.admin, f.a.workspace.id, f, { origin: "https://attacker.example" });
      expect(foreign.status).toBe(403);
      expect(JSON.parse(foreign.text)).toEqual({
        error: "This request came from another site, so it was refused.",
      });
      const sandboxed = await send(key, f.a.admin, f.a.workspace.id, f, { origin: "null" });
      expect(sandboxed.status).toBe(403);
      const own = await send(key, f.a.admin, f.a.workspace.id, f, { origin: `http://${HOST}` });
      expect(own.status).toBe(matrix[key]!.ok);
    },
  );

  it("answers a failure of the server's own with a generic 500 and logs the error in full", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // A pool that has been closed: the membership lookup fails.
    const closed = connect(getTestDatabase().url, { max: 1 });
    await closed.close();
    testDb.current = closed.db;
    try {
      for (const key of keys) {
        const answer = await send(key, f.a.admin, f.a.workspace.id, f);
        expect(answer.status, key).toBe(500);
        expect(JSON.parse(answer.text), key).toEqual({ error: INTERNAL_ERROR_MESSAGE });
        expectNothingOfA(answer);
        expect(answer.text).not.toMatch(/pool|select |memberships|\.ts:/i);
      }
      expect(logged).toHaveBeenCalledTimes(keys.length);
      expect(String(logged.mock.calls[0]?.[0])).toMatch(/^\[api\] (GET|POST) \/api\//);
      expect(logged.mock.calls[0]?.[1]).toBeInstanceOf(Error);
    } finally {
      logged.mockRestore();
      testDb.current = getTx();
    }
  });

  it("answers the downloads as attachments the browser must not sniff, with the workspace's data", async () => {
    for (const key of keys.filter((k) => k.startsWith("GET "))) {
      const answer = await send(key, f.a.viewer, f.a.workspace.id, f);
      expect(answer.status, key).toBe(200);
      expect(answer.headers.get("content-disposition"), key).toMatch(/^attachment; filename="[^"]+"/);
      expect(answer.headers.get("x-content-type-options"), key).toBe("nosniff");
    }
    const exported = await send("GET /api/segments/export", f.a.viewer, f.a.workspace.id, f);
    expect(exported.text).toContain("ada.fixture@example.test");
    const evidence = await send("GET /api/maturity/attachment", f.a.viewer, f.a.workspace.id, f);
    expect(evidence.text).toBe("The board agreed the budget.");
    expect(evidence.headers.get("content-type")).toBe("text/plain");
  });
});
