import { expect, test, type Page } from "@playwright/test";
import { demo, expectNoSeriousViolations, signInAs } from "./fixtures";

// Write keys as an admin manages them under Settings → API keys. Every run
// creates its own key, so the seeded "Demo web site" key stays as it is.

const { admin, viewer, retail } = demo;

function unique(prefix: string) {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

function settingsNav(page: Page) {
  return page.getByRole("navigation", { name: "Settings" });
}

function track(page: Page, key: string) {
  return page.request.post("/api/v1/track", {
    headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` },
    data: { userId: "e2e-write-keys", event: "Key Checked" },
  });
}

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("an admin creates a write key, copies it, sends an event with it and revokes it", async ({ page }) => {
  await signInAs(page, admin);
  await page.goto(`/w/${retail.slug}/settings`);
  await settingsNav(page).getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${retail.slug}/settings/api-keys$`));
  await expect(settingsNav(page).getByRole("link", { name: "API keys" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  const table = page.getByRole("table", { name: "Write keys" });
  await expect(table.getByRole("row").filter({ hasText: "Demo web site" })).toContainText("Active");

  // An empty name is refused beside the field.
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Name the key after where it is used")).toBeVisible();

  const name = unique("E2E shop");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `The write key “${name}” was created.` }),
  ).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("");

  // Newest first, active, never used.
  const row = table.getByRole("row").filter({ hasText: name });
  await expect(table.getByRole("row").nth(1)).toContainText(name);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");
  const key = (await row.locator("code").textContent())?.trim() ?? "";
  expect(key).toMatch(/^[0-9A-Za-z]{32}$/);

  await row.getByRole("button", { name: `Copy the key of ${name}` }).click();
  await expect(row.getByRole("button", { name: `Copied the key of ${name}` })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // The first-event examples use the newest key and the address the admin is on.
  const origin = new URL(page.url()).origin;
  await expect(page.getByRole("heading", { name: "Send your first event" })).toBeVisible();
  await expect(page.locator("#curl-track")).toContainText(`curl -u ${key}: ${origin}/api/v1/track`);
  await expect(page.locator("#analytics-node")).toContainText(
    `new Analytics({ writeKey: "${key}", host: "${origin}" })`,
  );

  await expectNoSeriousViolations(page);

  // The key works, and the table says when it was last used.
  expect((await track(page, key)).status()).toBe(200);
  await page.reload();
  await expect(table.getByRole("row").filter({ hasText: name })).toContainText("just now");

  // Revoke, with an inline confirmation that can be cancelled.
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole("group", { name: `Confirm revoking ${name}` });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `The write key “${name}” was revoked.` }),
  ).toBeVisible();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);

  // Refused at once; the examples go back to the seeded key.
  expect((await track(page, key)).status()).toBe(401);
  await expect(page.locator("#curl-track")).not.toContainText(key);
  await page.reload();
  await expect(table.getByRole("row").filter({ hasText: name })).toContainText("Revoked");
});

test("an admin sees what the tracking API refused from each key, and why", async ({ page }) => {
  await signInAs(page, admin);
  await page.goto(`/w/${retail.slug}/settings/api-keys`);
  const name = unique("E2E refusals");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const row = page.getByRole("table", { name: "Write keys" }).getByRole("row").filter({ hasText: name });
  const key = (await row.locator("code").textContent())?.trim() ?? "";

  const authorization = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
  const batch = await page.request.post("/v1/batch", {
    headers: { authorization },
    data: {
      batch: [
        { type: "track", userId: "e2e-refusals", event: "Fine" },
        { type: "track", event: "Order Completed", properties: { sku: "E2E-1" } },
      ],
    },
  });
  expect(await batch.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
  const malformed = await page.request.post("/v1/track", {
    headers: { authorization, "content-type": "application/json" },
    data: Buffer.from(`{"writeKey": "${key}", "userId": `),
  });
  expect(malformed.status()).toBe(400);

  // Refusals are written within a second of arriving.
  const card = page.getByRole("region", { name: "Refused messages" });
  const record = card.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
  await expect(async () => {
    await card.getByRole("button", { name: "Refresh" }).click();
    await expect(record).toContainText("2 refused", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(record).toContainText("1 message: broke the tracking spec (400)");
  await expect(record).toContainText("1 message: a body that is not a JSON object or batch (400)");

  await record.getByText("Latest refused messages (2)").click();
  const examples = record.getByRole("list").last();
  await expect(examples).toContainText("userId or anonymousId is required");
  await expect(examples).toContainText("message 1 of its batch");
  await expect(examples).toContainText('"properties":{"sku":"E2E-1"}');
  await expect(examples).toContainText("Malformed JSON");
  await expect(examples).toContainText('{"writeKey": "…", "userId":');
  // The record never repeats the key itself.
  await expect(card).not.toContainText(key);
  await expectNoSeriousViolations(page);
});

test("a viewer sees how to send events, with a placeholder key, but no keys and no controls", async ({ page }) => {
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}/settings`);
  // Everyone reads the Outbox; Destinations and the audit log are for admins.
  await expect(settingsNav(page).getByRole("link")).toHaveText(["General", "Members", "API keys", "Outbox"]);

  await page.goto(`/w/${retail.slug}/settings/api-keys`);
  await expect(page.getByText("Only admins manage API keys.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Send test event|Origins|Revoke/ })).toHaveCount(0);
  await expect(page.locator("#analytics-next-script")).toContainText('analytics.load("YOUR_WRITE_KEY")');
  await expect(page.locator("#curl-track")).toContainText("curl -u YOUR_WRITE_KEY:");
});
