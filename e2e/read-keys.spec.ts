import { expect, test } from "@playwright/test";
import {
  createWorkspace,
  demo,
  expectNoSeriousViolations,
  sendMessages,
  signInAs,
  type TestWorkspace,
} from "./fixtures";

// Read keys of the profile API, in a workspace of its own: an admin creates one under
// Settings → API keys, sees it once, reads a customer's profile with it (from a server and from
// the page's own browser), and revokes it, after which the same request is refused. The
// workspace's editor sees no read keys.

test.describe.configure({ mode: "serial" });

let workspace: TestWorkspace;
const run = Date.now().toString(36);
const userId = `${run}-ada`;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  workspace = await createWorkspace(browser, "Read keys");
  await sendMessages(browser, workspace, [
    { type: "identify", userId, anonymousId: `${run}-anon`, traits: { name: "Ada Reader", plan: "gold" } },
    { type: "track", userId, event: "Product Viewed", properties: { sku: "SKU-1" } },
  ]);
});

test("an admin creates a read key, sees it once, reads a profile with it and revokes it", async ({
  page,
}) => {
  await signInAs(page, demo.admin);
  await page.goto(`/w/${workspace.slug}/settings/api-keys`);
  const section = page.getByRole("region", { name: "Read keys" });
  await expect(section.getByText("No read keys yet")).toBeVisible();

  const name = `Web shop ${run}`;
  await section.getByLabel("New read key").fill(name);
  await section.getByRole("button", { name: "Create read key" }).click();
  await expect(
    section.getByText(`The read key “${name}” was created. Copy it now: it is not shown again.`),
  ).toBeVisible();
  const key = (await section.locator("#new-read-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^crk_[0-9a-f]{32}_[0-9A-Za-z]{32}$/);
  // The examples carry the key, ready to paste.
  await expect(section.getByText(`Authorization: Bearer ${key}`).first()).toBeVisible();
  await expectNoSeriousViolations(page);

  const row = section.getByRole("table", { name: "Read keys" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");

  // From a server: by userId, and by anonymousId.
  const byUser = await page.request.get(`/v1/profiles/${encodeURIComponent(userId)}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(byUser.status()).toBe(200);
  expect(byUser.headers()["cache-control"]).toBe("private, no-store");
  const profile = (await byUser.json()) as {
    userId: string;
    traits: Record<string, unknown>;
    customerId: string;
    preferredChannel: unknown;
  };
  expect(profile.userId).toBe(userId);
  expect(profile.traits).toMatchObject({ name: "Ada Reader", plan: "gold" });
  expect(profile.preferredChannel).toEqual({
    channel: null,
    reason: expect.stringContaining("Too few reactions"),
  });
  const byAnonymous = await page.request.get(`/v1/profiles/${run}-anon?type=anonymous`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(((await byAnonymous.json()) as { customerId: string }).customerId).toBe(profile.customerId);

  // From the page's browser, as a site's script would call it.
  const fromBrowser = await page.evaluate(
    async ({ id, readKey }) => {
      const response = await fetch(`/v1/profiles/${encodeURIComponent(id)}`, {
        headers: { Authorization: `Bearer ${readKey}` },
      });
      return { status: response.status, body: (await response.json()) as { userId?: string } };
    },
    { id: userId, readKey: key },
  );
  expect(fromBrowser).toMatchObject({ status: 200, body: { userId } });

  // Once dismissed, the key is nowhere on the page, now or after a reload: only its prefix.
  await section.getByRole("button", { name: "I have copied it" }).click();
  await page.reload();
  await expect(row).toContainText("crk_…");
  expect(await page.content()).not.toContain(key.slice(-32));

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("button", { name: "Revoke read key" }).click();
  await expect(section.getByText(`The read key “${name}” was revoked.`)).toBeVisible();
  await expect(row).toContainText("Revoked");

  const revoked = await page.request.get(`/v1/profiles/${encodeURIComponent(userId)}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(revoked.status()).toBe(401);
  expect(((await revoked.json()) as { error: string }).error).toMatch(/revoked/);
});

test("the workspace's editor sees no read keys", async ({ page }) => {
  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/settings/api-keys`);
  await expect(page.getByText("Only admins manage API keys.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Read keys" })).toHaveCount(0);
});
