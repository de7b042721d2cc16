import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Browser } from "@playwright/test";
import {
  apiAs,
  createWorkspace,
  demo,
  expectNoSeriousViolations,
  sendMessages,
  signInAs,
  type TestWorkspace,
} from "./fixtures";

// Consent, in a workspace of its own (e2e/fixtures.ts createWorkspace) with two customers known by
// user id and email: its editor unsubscribes one from email on the customer page and its viewer sees
// that without controls; the admin adds a suppressed address (after a refused one) and removes it; a
// customer's unsubscribe link, made by the app's own function with the server's secret
// (e2e/unsubscribe-link.ts), asks before it unsubscribes, unsubscribes on the button, takes a
// one-click POST, and refuses an altered token.

test.describe.configure({ mode: "serial" });

let workspace: TestWorkspace;
const run = Date.now().toString(36);
const people = [
  { userId: `${run}-ada`, email: `ada-${run}@example.com`, name: `Ada Consent ${run}` },
  { userId: `${run}-bo`, email: `bo-${run}@example.com`, name: `Bo Consent ${run}` },
];
const customerIds: string[] = [];

async function consentOf(browser: Browser, customerId: string) {
  const api = await apiAs(browser, workspace.viewer);
  try {
    return await api.query<{ channel: string; state: string; source: string | null }[]>(
      "consent.ofCustomer",
      {
        workspaceId: workspace.id,
        customerId,
      },
    );
  } finally {
    await api.dispose();
  }
}

/** The customer's unsubscribe link, as the app signs it with its secret (in the run's data folder). */
async function unsubscribeLink(customerId: string, channel: string) {
  const { NEXTAUTH_SECRET } = JSON.parse(
    await readFile(path.join(process.env.CENTRIC_E2E_DATA_DIR!, "secrets.json"), "utf8"),
  ) as { NEXTAUTH_SECRET: string };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      "e2e/unsubscribe-link.ts",
      workspace.id,
      customerId,
      channel,
    ],
    { env: { ...process.env, NEXTAUTH_SECRET, NEXTAUTH_URL: test.info().project.use.baseURL } },
  );
  return stdout.trim();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  workspace = await createWorkspace(browser, "Consent");
  await sendMessages(
    browser,
    workspace,
    people.map((p) => ({ type: "identify", userId: p.userId, traits: { email: p.email, name: p.name } })),
  );
  const api = await apiAs(browser, workspace.editor);
  try {
    for (const person of people) {
      const { customers } = await api.query<{ customers: { id: string }[] }>("customer.list", {
        workspaceId: workspace.id,
        search: person.email,
      });
      customerIds.push(customers[0]!.id);
    }
  } finally {
    await api.dispose();
  }
});

test("an editor unsubscribes a customer from email; a viewer reads it without controls", async ({
  page,
  browser,
}) => {
  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/customers/${customerIds[0]}`);
  const card = page.getByRole("region", { name: "Consent" });
  await expect(card.getByText("Email: Subscribed")).toBeVisible();
  await card.getByRole("button", { name: "Unsubscribe email" }).click();
  await expect(card.getByText("Email: Unsubscribed")).toBeVisible();
  await expect(card.getByText(/by hand \(Maria Marketing/)).toBeVisible();
  await expect(card.getByRole("button", { name: "Subscribe email" })).toBeVisible();
  expect((await consentOf(browser, customerIds[0]!)).find((c) => c.channel === "email")).toMatchObject({
    state: "unsubscribed",
    source: "manual",
  });
  // The change is on the timeline.
  await expect(
    page
      .getByRole("region", { name: "Timeline" })
      .getByRole("button", { name: /^Email: Unsubscribed, Tracked event/ }),
  ).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.context().clearCookies();
  await signInAs(page, workspace.viewer);
  await page.goto(`/w/${workspace.slug}/customers/${customerIds[0]}`);
  const viewerCard = page.getByRole("region", { name: "Consent" });
  await expect(viewerCard.getByText("Email: Unsubscribed")).toBeVisible();
  await expect(viewerCard.getByRole("button")).toHaveCount(0);
});

test("an admin adds a suppressed address, after a refused one, and removes it", async ({ page }) => {
  await signInAs(page, demo.admin);
  await page.goto(`/w/${workspace.slug}/settings/suppressions`);
  await expect(page.getByRole("link", { name: "Suppression list" })).toBeVisible();
  await expect(page.getByText("No address is suppressed")).toBeVisible();

  await page.getByRole("combobox", { name: "Channel" }).selectOption("email");
  await page.getByRole("textbox", { name: "Address" }).fill("not-an-address");
  await page.getByRole("textbox", { name: "Reason" }).fill("hard bounce");
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That is not an email address." })).toBeVisible();

  await page.getByRole("textbox", { name: "Address" }).fill(`  BOUNCED-${run}@Example.com `);
  await page.getByRole("button", { name: "Add" }).click();
  const table = page.getByRole("table", { name: "Suppressed addresses" });
  const row = table.getByRole("row").filter({ hasText: `bounced-${run}@example.com` });
  await expect(row).toContainText("hard bounce");
  await expectNoSeriousViolations(page);

  await row.getByRole("button", { name: /^Remove / }).click();
  await row.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(page.getByText("No address is suppressed")).toBeVisible();
});

test("the unsubscribe link asks first, unsubscribes on the button and on a one-click POST, and refuses an altered token", async ({
  browser,
}) => {
  const link = await unsubscribeLink(customerIds[1]!, "email");
  // A stranger's browser: no Centric session.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(link);
    await expect(
      page.getByRole("heading", { name: `Unsubscribe from email from ${workspace.name}?` }),
    ).toBeVisible();
    // Opening the page changed nothing.
    expect((await consentOf(browser, customerIds[1]!)).find((c) => c.channel === "email")?.state).toBe(
      "subscribed",
    );
    await expectNoSeriousViolations(page);
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
    expect((await consentOf(browser, customerIds[1]!)).find((c) => c.channel === "email")).toMatchObject({
      state: "unsubscribed",
      source: "link",
    });

    const mobile = await unsubscribeLink(customerIds[1]!, "mobile");
    const response = await context.request.post(mobile, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: "List-Unsubscribe=One-Click",
    });
    expect(response.status()).toBe(200);
    expect(response.headers()["x-frame-options"]).toBe("DENY");
    expect((await consentOf(browser, customerIds[1]!)).find((c) => c.channel === "mobile")?.state).toBe(
      "unsubscribed",
    );

    // A character inside the signature: the last one carries padding bits, so changing it can leave
    // the decoded signature as it was.
    const at = link.length - 5;
    const altered = `${link.slice(0, at)}${link[at] === "A" ? "B" : "A"}${link.slice(at + 1)}`;
    await page.goto(altered);
    await expect(page.getByRole("heading", { name: "This unsubscribe link is not valid" })).toBeVisible();
    const refused = await context.request.post(altered, { data: "List-Unsubscribe=One-Click" });
    expect(refused.status()).toBe(400);
  } finally {
    await context.close();
  }
});
