import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { beforeAll, expect, it } from "vitest";
import type { Database, DbOrTx } from "~/db";
import { appRouter } from "~/server/root";
import type { SessionUser } from "~/server/auth/session-user";
import { createContext } from "~/server/trpc";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeProcedureFixture, matrix, paths, procedures, type Fixture } from "~/test/procedure-matrix";

// Every string in every procedure's input, replaced in turn by text
// PostgreSQL cannot store or by a megabyte, sent over HTTP as a browser
// would: the answer is never a 500 and never shows SQL. Each procedure runs in
// a transaction that is rolled back, so what one stores does not change what
// the next is called on.

const hostileStrings = [
  { what: "a NUL character", value: "before\u0000after" },
  { what: "a lone surrogate", value: "before\ud800after" },
  { what: "a megabyte of text", value: "x".repeat(1024 * 1024) },
];

type Path = (string | number)[];

function stringPaths(value: unknown, at: Path = []): Path[] {
  if (typeof value === "string") return [at];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringPaths(item, [...at, i]));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...at, key]));
  }
  return [];
}

function replaced(value: unknown, at: Path, by: string): unknown {
  if (at.length === 0) return by;
  const [key, ...rest] = at;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[key!] = replaced(copy[key!], rest, by);
  return copy;
}

async function callOverHttp(db: DbOrTx, user: SessionUser | null, path: string, input: unknown) {
  const isQuery = procedures[path]!._def.type === "query";
  const payload = JSON.stringify({ json: input });
  const url = `http://centric.test/api/trpc/${path}${isQuery ? `?input=${encodeURIComponent(payload)}` : ""}`;
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, {
      method: isQuery ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: isQuery ? undefined : payload,
    }),
    router: appRouter,
    createContext: () => createContext({ db: db as Database, session: user ? { user } : null }),
    onError: () => undefined,
  });
  return { status: response.status, text: await response.text() };
}

class RollBack extends Error {}

describeEachDatabase("hostile strings in tRPC inputs", (getDb) => {
  let f: Fixture;
  beforeAll(async () => {
    await truncateAllTables(getDb());
    f = await makeProcedureFixture(getDb());
  });

  it.each(paths)("%s answers no 500 and no SQL, whatever its strings hold", async (path) => {
    const row = matrix[path]!;
    const caller = row.access.kind === "public" ? null : f.a.admin;
    const input = row.input(f);
    const answers: { where: string; status: number; text: string }[] = [];
    await getDb()
      .transaction(async (tx) => {
        for (const at of stringPaths(input)) {
          for (const { what, value } of hostileStrings) {
            const { status, text } = await callOverHttp(tx, caller, path, replaced(input, at, value));
            answers.push({ where: `${at.join(".") || "(input)"} = ${what}`, status, text: text.slice(0, 2000) });
          }
        }
        throw new RollBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RollBack)) throw error;
      });
    const failures = answers.filter(
      ({ status, text }) => status >= 500 || /Failed query|\bselect\b[\s\S]*\bfrom\b|insert into|params:/i.test(text),
    );
    expect(failures.map(({ where, status, text }) => `${where}: ${status} ${text.slice(0, 300)}`)).toEqual([]);
  });
});
