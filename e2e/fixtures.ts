import { readFile } from "node:fs/promises";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type APIResponse, type Browser, type Page } from "@playwright/test";

// The demo sign-ins that `npm start` seeds (server/demo/seed.ts), and the sign-in steps every spec shares.

export const demo = {
  admin: { email: "admin@centric.demo", password: "centric-admin-demo", name: "Alex Admin" },
  editor: { email: "editor@centric.demo", password: "centric-editor-demo", name: "Maria Marketing" },
  viewer: { email: "viewer@centric.demo", password: "centric-viewer-demo", name: "Eva Executive" },
  retail: { name: "Northwind Retail", slug: "northwind-retail" },
  online: { name: "Northwind Online", slug: "northwind-online" },
};

/** Signs in through the sign-in form. */
export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/w\/[a-z0-9-]+/);
}

/** Where a user's signed-in browser state is saved for this run (e2e/auth.setup.ts for the demo users). */
export function sessionFile(user: { email: string }) {
  return path.join(process.env.CENTRIC_E2E_DATA_DIR!, "sessions", `${user.email}.json`);
}

/**
 * Signs the page's browser context in with the session saved for the user (by the
 * setup project, or by createWorkspace for a workspace's own users), and lands on
 * their first workspace as the sign-in form does.
 */
export async function signInAs(page: Page, user: { email: string }) {
  const { cookies } = JSON.parse(await readFile(sessionFile(user), "utf8")) as {
    cookies: Parameters<ReturnType<Page["context"]>["addCookies"]>[0];
  };
  await page.context().addCookies(cookies);
  await page.goto("/");
  await expect(page).toHaveURL(/\/w\/[a-z0-9-]+/);
}

/** No serious or critical axe-core violations on the page as it is now; lists them when there are. */
export async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

/** The id of the first record of a kind ("customers", "maturity/assessments" …) linked from the page, once its list has loaded. */
export async function firstLinkedId(page: Page, slug: string, kind: string): Promise<string> {
  const prefix = `/w/${slug}/${kind}/`;
  const ids = () =>
    page
      .locator(`a[href^="${prefix}"]`)
      .evaluateAll(
        (links, start) =>
          links
            .map((a) => a.getAttribute("href")!.slice(start.length))
            .filter((rest) => /^[0-9a-f-]{36}$/.test(rest)),
        prefix,
      );
  await expect
    .poll(async () => (await ids()).length, { message: `a link to one of the ${kind}` })
    .toBeGreaterThan(0);
  return (await ids())[0]!;
}

// ---------------------------------------------------------------------------
// Setting up data through the app's own API (tRPC over HTTP, as the browser
// sends it), so that a spec works on a workspace of its own instead of the
// shared demo data and runs in parallel with the others.
// ---------------------------------------------------------------------------

/** tRPC calls as a signed-in user. */
export interface Api {
  query<T = unknown>(path: string, input?: unknown): Promise<T>;
  mutate<T = unknown>(path: string, input?: unknown): Promise<T>;
  /** Plain HTTP requests with the same session. */
  request: APIRequestContext;
  dispose(): Promise<void>;
}

async function unwrap<T>(path: string, response: APIResponse): Promise<T> {
  const body = (await response.json()) as {
    result?: { data?: { json?: T } };
    error?: { json?: { message?: string } };
  };
  if (!response.ok() || body.error) {
    throw new Error(`${path} answered ${response.status()}: ${body.error?.json?.message ?? "no message"}`);
  }
  return body.result!.data!.json as T;
}

/** Calls the API with the session saved for the user (see sessionFile). */
export async function apiAs(browser: Browser, user: { email: string }): Promise<Api> {
  const context = await browser.newContext({ storageState: sessionFile(user) });
  const { request } = context;
  return {
    async query<T>(path: string, input?: unknown) {
      const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
      return unwrap<T>(path, await request.get(`/api/trpc/${path}${query}`));
    },
    async mutate<T>(path: string, input?: unknown) {
      return unwrap<T>(path, await request.post(`/api/trpc/${path}`, { data: { json: input ?? null } }));
    },
    request,
    dispose: () => context.close(),
  };
}

export interface TestUser {
  email: string;
  password: string;
  name: string;
}

export interface TestWorkspace {
  id: string;
  slug: string;
  name: string;
  /** The workspace's own editor and viewer: accounts made for it, members of nothing else. */
  editor: TestUser;
  viewer: TestUser;
}

/**
 * Signs a user in through next-auth's credentials endpoint, as the sign-in form
 * does, and saves the session where signInAs finds it.
 */
async function saveSession(browser: Browser, user: TestUser) {
  const context = await browser.newContext();
  try {
    const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await context.request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: user.email, password: user.password, json: "true" },
    });
    if (!(await context.cookies()).some((c) => c.name.endsWith("next-auth.session-token"))) {
      throw new Error(`${user.email} could not sign in.`);
    }
    await context.storageState({ path: sessionFile(user) });
  } finally {
    await context.close();
  }
}

/**
 * A new workspace, named for the spec and the run, made by the demo admin, with
 * an editor and a viewer of its own: new accounts that accept their invitations,
 * so that nothing counted over the demo users' workspaces (the scorecard's
 * business units, the workspace switcher) changes while specs run in parallel.
 */
export async function createWorkspace(browser: Browser, name: string): Promise<TestWorkspace> {
  const admin = await apiAs(browser, demo.admin);
  try {
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const created = await admin.mutate<{ id: string; slug: string; name: string }>("workspace.create", {
      name: `${name} ${run}`,
    });
    const member = async (role: "editor" | "viewer", personName: string): Promise<TestUser> => {
      const user = { email: `${role}-${run}@e2e.example.com`, password: `e2e-password-${run}`, name: personName };
      const { token } = await admin.mutate<{ token: string }>("member.add", {
        workspaceId: created.id,
        email: user.email,
        role,
      });
      await admin.mutate("invitation.accept", { token, name: user.name, password: user.password });
      await saveSession(browser, user);
      return user;
    };
    return {
      ...created,
      editor: await member("editor", `Maria Marketing ${run}`),
      viewer: await member("viewer", `Eva Executive ${run}`),
    };
  } finally {
    await admin.dispose();
  }
}

/**
 * Sends tracking messages (identify, track …) into a workspace as an SDK would:
 * POST /api/v1/batch with a write key the admin creates for it.
 */
export async function sendMessages(browser: Browser, workspace: TestWorkspace, messages: object[]) {
  const admin = await apiAs(browser, demo.admin);
  try {
    const { key } = await admin.mutate<{ key: string }>("writeKey.create", {
      workspaceId: workspace.id,
      name: "End-to-end test data",
    });
    const authorization = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
    for (let i = 0; i < messages.length; i += 100) {
      const response = await admin.request.post("/api/v1/batch", {
        headers: { authorization },
        data: { batch: messages.slice(i, i + 100) },
      });
      if (!response.ok()) throw new Error(`/api/v1/batch answered ${response.status()}: ${await response.text()}`);
    }
  } finally {
    await admin.dispose();
  }
}
