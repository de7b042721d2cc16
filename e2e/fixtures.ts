import { readFile } from "node:fs/promises";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

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

/** Where e2e/auth.setup.ts saves a demo user's signed-in browser state for this run. */
export function sessionFile(user: { email: string }) {
  return path.join(process.env.CENTRIC_E2E_DATA_DIR!, "sessions", `${user.email}.json`);
}

/**
 * Signs the page's browser context in as a demo user with the session the setup
 * project saved, and lands on their first workspace as the sign-in form does.
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
