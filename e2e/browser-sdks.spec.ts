import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { bundleSdk, shopPage, startPageServer, type PageServer } from "./browser-sdk-pages";
import { createWorkspace, demo, expectNoSeriousViolations, signInAs, type TestWorkspace } from "./fixtures";

// The browser tracking clients, unmodified, on a shop's page of another origin
// than Centric's: @segment/analytics-next (from npm, and from the script tag
// Settings → API keys shows, loading analytics.js from Centric) and
// @rudderstack/analytics-js v3. A visitor browses anonymously, signs in
// (identify), and browses on; their whole history must be on one profile,
// reached by any of their ids, all on the web channel. No request may leave
// this machine: no CDN, no Segment, no RudderStack. The visitors arrive in a
// workspace of its own (e2e/fixtures.ts createWorkspace, by the demo admin), so
// the demo workspace's customer counts do not change under other specs.

const { admin } = demo;

let pages: PageServer;
let workspace: TestWorkspace;

test.beforeAll(async ({ browser }) => {
  workspace = await createWorkspace(browser, "Browser SDKs");
  pages = await startPageServer();
  pages.serve("/analytics-next.js", "text/javascript", await bundleSdk("analytics-next"));
  pages.serve("/rudderstack.js", "text/javascript", await bundleSdk("rudderstack"));
  pages.serve("/npm.html", "text/html", shopPage(`<script src="/analytics-next.js"></script>`));
  pages.serve("/rudderstack.html", "text/html", shopPage(`<script src="/rudderstack.js"></script>`));
});
test.afterAll(() => pages.close());

function unique(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A new write key of the spec's workspace, created as an admin does it, on the admin's page. */
async function createKey(page: Page, name: string): Promise<string> {
  await signInAs(page, admin);
  await page.goto(`/w/${workspace.slug}/settings/api-keys`);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const row = page.getByRole("table", { name: "Write keys" }).getByRole("row").filter({ hasText: name });
  const key = (await row.locator("code").first().textContent())?.trim() ?? "";
  expect(key).toMatch(/^[0-9A-Za-z]{32}$/);
  return key;
}

/** A visitor's browser: no Centric cookies, and every request off this machine refused and remembered. */
async function visitor(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; offMachine: string[] }> {
  const context = await browser.newContext();
  const offMachine: string[] = [];
  await context.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => {
      offMachine.push(route.request().url());
      return route.abort();
    },
  );
  return { context, page: await context.newPage(), offMachine };
}

/** A query of Centric's own API, as the signed-in admin's page makes it. */
async function query<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.get(
    `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
  );
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

interface TimelineEvent {
  type: string;
  event: string | null;
  channel: string;
}

/**
 * The visitor's events, once all `expected` have arrived: one profile found by
 * the user id, the anonymous id and the email alike, and its timeline.
 */
async function profileOf(
  page: Page,
  ids: { userId: string; anonymousId: string; email: string },
  expected: number,
): Promise<{ customerIds: string[]; events: TimelineEvent[] }> {
  const { id: workspaceId } = await query<{ id: string }>(page, "workspace.get", { slug: workspace.slug });
  const find = async (search: string) =>
    (
      await query<{ customers: { id: string }[] }>(page, "customer.list", { workspaceId, search })
    ).customers.map((c) => c.id);
  let events: TimelineEvent[] = [];
  await expect
    .poll(
      async () => {
        const [customerId] = await find(ids.userId);
        if (!customerId) return 0;
        events = (
          await query<{ events: TimelineEvent[] }>(page, "customer.timeline", { workspaceId, customerId })
        ).events;
        return events.length;
      },
      { message: `${expected} events on ${ids.userId}'s timeline`, timeout: 20_000 },
    )
    .toBe(expected);
  const customerIds = [
    ...new Set([...(await find(ids.userId)), ...(await find(ids.anonymousId)), ...(await find(ids.email))]),
  ];
  return { customerIds, events };
}

function expectOneWebProfile(profile: { customerIds: string[]; events: TimelineEvent[] }) {
  expect(profile.customerIds, "one profile for the user id, the anonymous id and the email").toHaveLength(1);
  expect(profile.events.map((e) => e.type).sort()).toEqual(["identify", "page", "track", "track"]);
  expect(
    profile.events
      .filter((e) => e.type === "track")
      .map((e) => e.event)
      .sort(),
  ).toEqual(["Order Completed", "Product Viewed"]);
  expect(new Set(profile.events.map((e) => e.channel))).toEqual(new Set(["web"]));
}

const person = () => {
  const userId = unique("browser-sdk");
  return { userId, traits: { name: `Bea ${userId}`, email: `${userId}@example.test` } };
};

declare global {
  interface Window {
    AnalyticsBrowser: typeof import("@segment/analytics-next").AnalyticsBrowser;
    RudderAnalytics: typeof import("@rudderstack/analytics-js").RudderAnalytics;
    analytics: import("@segment/analytics-next").AnalyticsSnippet;
  }
}

test("@segment/analytics-next from npm sends a visitor's anonymous and signed-in events to one profile", async ({
  page,
  browser,
  baseURL,
}) => {
  const writeKey = await createKey(page, unique("npm shop"));
  const { userId, traits } = person();
  const shop = await visitor(browser);
  await shop.page.goto(`${pages.origin}/npm.html`);
  const anonymousId = await shop.page.evaluate(
    async ({ writeKey, cdnURL, userId, traits }) => {
      // As Settings → API keys shows it: the settings, and so the API host, come from Centric.
      const [analytics] = await window.AnalyticsBrowser.load({ writeKey, cdnURL });
      await analytics.page("Home");
      await analytics.track("Product Viewed", { sku: "SKU-1" });
      const anonymousId = analytics.user().anonymousId()!;
      await analytics.identify(userId, traits);
      await analytics.track("Order Completed", { revenue: 42.5, currency: "EUR" });
      return anonymousId;
    },
    { writeKey, cdnURL: baseURL!, userId, traits },
  );
  expectOneWebProfile(await profileOf(page, { userId, anonymousId, email: traits.email }, 4));
  expect(shop.offMachine).toEqual([]);
  await shop.context.close();
});

test("analytics.js from the script tag Settings → API keys shows loads from Centric and sends to it", async ({
  page,
  browser,
}) => {
  const writeKey = await createKey(page, unique("tag shop"));
  // The snippet exactly as a person copies it from the page.
  const snippet = (await page.locator("#analytics-next-script").textContent()) ?? "";
  expect(snippet).toContain(`analytics.load("${writeKey}")`);
  pages.serve("/tag.html", "text/html", shopPage(snippet));

  const { userId, traits } = person();
  const shop = await visitor(browser);
  const fromCentric: string[] = [];
  shop.page.on("request", (request) => fromCentric.push(new URL(request.url()).pathname));
  await shop.page.goto(`${pages.origin}/tag.html`);
  const anonymousId = await shop.page.evaluate(
    async ({ userId, traits }) => {
      // The snippet's page() is queued; these are too, until analytics.js has loaded.
      window.analytics.track("Product Viewed", { sku: "SKU-2" });
      await new Promise<void>((resolve) => void window.analytics.ready(() => resolve()));
      const anonymousId = (await window.analytics.user()).anonymousId()!;
      await window.analytics.identify(userId, traits);
      await window.analytics.track("Order Completed", { revenue: 12, currency: "EUR" });
      return anonymousId;
    },
    { userId, traits },
  );
  expectOneWebProfile(await profileOf(page, { userId, anonymousId, email: traits.email }, 4));
  expect(fromCentric).toContain(`/analytics.js/v1/${writeKey}/analytics.min.js`);
  expect(fromCentric).toContain(`/v1/projects/${writeKey}/settings`);
  expect(shop.offMachine).toEqual([]);
  await shop.context.close();
});

test("@rudderstack/analytics-js v3 sends a visitor's anonymous and signed-in events to one profile", async ({
  page,
  browser,
  baseURL,
}) => {
  const writeKey = await createKey(page, unique("rudder shop"));
  const { userId, traits } = person();
  const shop = await visitor(browser);
  await shop.page.goto(`${pages.origin}/rudderstack.html`);
  const anonymousId = await shop.page.evaluate(
    async ({ writeKey, dataPlaneUrl, userId, traits }) => {
      const rudder = new window.RudderAnalytics();
      // Its source configuration given here rather than fetched from RudderStack's control plane:
      // no device-mode destinations, and its own error and metrics reporting off.
      rudder.load(writeKey, dataPlaneUrl, {
        getSourceConfig: () => ({
          source: {
            id: "centric",
            name: "Centric",
            writeKey,
            enabled: true,
            workspaceId: "centric",
            config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
            destinations: [],
          },
        }),
        polyfillIfRequired: false,
        logLevel: "ERROR",
      });
      await new Promise<void>((resolve) => rudder.ready(() => resolve()));
      rudder.page("Home");
      rudder.track("Product Viewed", { sku: "SKU-3" });
      const anonymousId = rudder.getAnonymousId()!;
      rudder.identify(userId, traits);
      rudder.track("Order Completed", { revenue: 30, currency: "EUR" });
      return anonymousId;
    },
    { writeKey, dataPlaneUrl: baseURL!, userId, traits },
  );
  expectOneWebProfile(await profileOf(page, { userId, anonymousId, email: traits.email }, 4));
  expect(shop.offMachine).toEqual([]);
  await shop.context.close();
});

test("a key's allowed origins: a shop's page not listed is refused and shown, then listed it sends", async ({
  page,
  browser,
}) => {
  const name = unique("origin shop");
  const writeKey = await createKey(page, name);
  const row = page
    .getByRole("table", { name: "Write keys" })
    .getByRole("row")
    .filter({ hasText: name })
    .first();
  const editor = page.getByRole("form", { name: `Allowed origins of ${name}` });

  await row.getByRole("button", { name: `Origins allowed for ${name}` }).click();
  await editor.getByRole("textbox").fill("shop.example\nhttps://elsewhere.example/cart");
  await editor.getByRole("button", { name: "Save origins" }).click();
  await expect(editor.getByRole("alert")).toContainText("needs its scheme: write https://shop.example");
  await expect(editor.getByRole("alert")).toContainText("has a path");
  await expectNoSeriousViolations(page);
  await editor.getByRole("textbox").fill("https://elsewhere.example");
  await editor.getByRole("button", { name: "Save origins" }).click();
  await expect(row).toContainText("https://elsewhere.example");

  const shop = await visitor(browser);
  await shop.page.goto(`${pages.origin}/npm.html`);
  const send = () =>
    shop.page.evaluate(
      async ({ url, writeKey }) => {
        const response = await fetch(url, {
          method: "POST",
          headers: { Authorization: `Basic ${btoa(`${writeKey}:`)}`, "Content-Type": "application/json" },
          body: JSON.stringify({ anonymousId: "origin-check", event: "Origin Checked" }),
        });
        return { status: response.status, body: (await response.json()) as { error?: string } };
      },
      { url: new URL("/v1/track", page.url()).href, writeKey },
    );
  const refused = await send();
  expect(refused.status).toBe(403);
  expect(refused.body.error).toContain(`does not allow pages of ${pages.origin}`);

  // The refusal is written within a second of it.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "Refused messages" })).toContainText("Origin not allowed", {
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });

  await row.getByRole("button", { name: `Origins allowed for ${name}` }).click();
  await editor.getByRole("textbox").fill(`https://elsewhere.example\n${pages.origin}`);
  await editor.getByRole("button", { name: "Save origins" }).click();
  await expect(row).toContainText(pages.origin);
  expect((await send()).status).toBe(200);
  await shop.context.close();
});

test("Send test event puts an event on the key's test customer, linked from the page", async ({ page }) => {
  const name = unique("testbutton");
  await createKey(page, name);
  const row = page
    .getByRole("table", { name: "Write keys" })
    .getByRole("row")
    .filter({ hasText: name })
    .first();
  await row.getByRole("button", { name: `Send test event with ${name}` }).click();
  const arrived = page.getByRole("status").filter({ hasText: "Centric Test Event” arrived" });
  await expect(arrived).toContainText(`centric-test-${name.toLowerCase()}`);
  await arrived.getByRole("link", { name: "Open their timeline" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspace.slug}/customers/[0-9a-f-]{36}$`));
  // The lanes are the default view; the event is on the list too.
  await expect(page.getByRole("button", { name: /^Other: Centric Test Event/ })).toBeVisible();
  await page.getByRole("button", { name: "List" }).click();
  await expect(page.getByRole("list", { name: /^Events/ })).toContainText("Centric Test Event");
});
