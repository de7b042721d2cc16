import { Analytics } from "@segment/analytics-node";
import { expect, test } from "@playwright/test";
import { createWorkspace, demo, signInAs } from "./fixtures";

// The whole path of pillar 3: a real Segment client library sends events to the
// running app with the workspace's write key, and a person finds them on the
// customer's timeline. In a workspace of its own (e2e/fixtures.ts
// createWorkspace, by the demo admin), so the demo workspace's customer counts
// do not change under other specs.

test("events sent with @segment/analytics-node appear on the customer's timeline", async ({
  page,
  baseURL,
  browser,
}) => {
  const workspace = await createWorkspace(browser, "Timeline");
  await signInAs(page, demo.admin);
  await page.goto(`/w/${workspace.slug}/settings/api-keys`);
  await page.getByLabel("Name").fill("Web site");
  await page.getByRole("button", { name: "Create key" }).click();
  const keyRow = page
    .getByRole("table", { name: "Write keys" })
    .getByRole("row")
    .filter({ hasText: "Web site" });
  const writeKey = (await keyRow.locator("code").first().textContent())?.trim() ?? "";
  expect(writeKey).toMatch(/^[0-9A-Za-z]{32}$/);

  const run = Date.now().toString(36);
  const userId = `e2e-${run}`;
  const email = `grace.${run}@example.test`;
  const analytics = new Analytics({ writeKey, host: baseURL!, flushAt: 10, maxRetries: 1 });
  analytics.page({
    anonymousId: `anon-${run}`,
    name: "Spring collection",
    timestamp: new Date(Date.now() - 3_600_000),
  });
  analytics.identify({ userId, anonymousId: `anon-${run}`, traits: { name: `Grace ${run}`, email } });
  analytics.track({
    userId,
    event: "Order Completed",
    properties: { revenue: 84.5, currency: "EUR", note: "<b>not bold</b>" },
    context: { channel: "store" },
  });
  await analytics.closeAndFlush({ timeout: 15_000 });

  await page.goto(`/w/${workspace.slug}/customers`);
  await page.getByLabel("Search").fill(email);
  const row = page.getByRole("row").filter({ hasText: `Grace ${run}` });
  await expect(row).toBeVisible();
  await row.getByRole("link").first().click();

  await expect(page.getByRole("heading", { level: 1, name: `Grace ${run}` })).toBeVisible();
  // The lanes are the default view; this checks the list.
  await page.getByRole("button", { name: "List" }).click();
  const timeline = page.getByRole("list", { name: /^Events/ });
  // The anonymous page view was attached to Grace when identify linked the two ids.
  await expect(timeline.getByRole("button")).toHaveCount(3);
  const order = timeline.getByRole("button", { name: /Order Completed/ });
  await expect(order).toBeVisible();
  await expect(timeline.getByRole("button", { name: /Spring collection/ })).toBeVisible();

  await order.click();
  const panel = page.getByRole("complementary", { name: "Event details" });
  await expect(panel).toContainText("Order Completed");
  await expect(panel).toContainText('"revenue": 84.5');
  await expect(panel).toContainText('"name": "@segment/analytics-node"');
  // Property values are text, never markup.
  await expect(panel).toContainText('"note": "<b>not bold</b>"');
});
