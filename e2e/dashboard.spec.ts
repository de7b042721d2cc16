import { expect, test, type Page } from "@playwright/test";
import { demo, expectNoSeriousViolations, firstLinkedId, signInAs } from "./fixtures";

// The workspace dashboard against the data it summarises: the customer counts
// against the customer list (read page by page through the API), each segment's
// size against the segment list, the predicted value against the portfolio's
// total and the maturity index against the scorecard. Northwind Online has no
// customer data, so it shows how to start.

const { viewer, retail, online } = demo;

/** A query of Centric's own API, as the signed-in page makes it. */
async function query<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.get(
    `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
  );
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** How many customers the customer list holds with these filters, following every page. */
async function customerListTotal(page: Page, workspaceId: string, filters: Record<string, unknown> = {}) {
  let total = 0;
  let cursor: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const result = await query<{ customers: unknown[]; nextCursor?: string }>(page, "customer.list", {
      workspaceId,
      limit: 100,
      ...filters,
      ...(cursor ? { cursor } : {}),
    });
    total += result.customers.length;
    if (!result.nextCursor) return total;
    cursor = result.nextCursor;
  }
  throw new Error("the customer list never ended");
}

const count = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

test("the dashboard's figures are those of the pages they link to", async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: retail.name })).toBeVisible();
  await expect(page.getByTestId("dashboard-customers")).toHaveText(/^\d[\d,]*$/, { timeout: 30_000 });
  await expect(page.getByTestId("dashboard-identified")).toHaveText(/^\d+%$/);
  await expect(page.getByText("No events in the last 30 days")).toHaveCount(0);

  // Hovering the events chart reads out a day's count.
  const chart = page.getByRole("img", { name: /^Events per day from / });
  await chart.hover();
  await expect(chart.getByText(/^Events: /)).toBeVisible();
  await expect(page.getByTestId("dashboard-journeys").getByRole("listitem").first()).toContainText(/\d+%/);
  await expectNoSeriousViolations(page);

  const { id: workspaceId } = await query<{ id: string }>(page, "workspace.get", { slug: retail.slug });
  // Specs running beside this one send events into the demo workspace, which adds customers and
  // refreshes segments: when a figure moved between reading the dashboard and reading its page,
  // both are read again.
  await expect(async () => {
    await page.goto(`/w/${retail.slug}`);
    await expect(page.getByTestId("dashboard-customers")).toHaveText(/^\d[\d,]*$/, { timeout: 30_000 });
    const customers = count(await page.getByTestId("dashboard-customers").textContent());
    const active = count(
      (await page.getByTestId("dashboard-active-customers").textContent())?.replace(/30 days/, "") ?? null,
    );
    // Each segment's size as the segment list gives it.
    const segmentRows = page.getByTestId("dashboard-segments").getByRole("row");
    await expect(segmentRows.first()).toBeVisible();
    const dashboardSizes = new Map<string, string>();
    for (const row of await segmentRows.all()) {
      const cells = row.getByRole("cell");
      dashboardSizes.set(
        (await cells.nth(0).textContent())!.trim(),
        (await cells.nth(1).textContent())!.trim(),
      );
    }
    const maturityIndex = (await page.getByTestId("dashboard-maturity-index").textContent())!.trim();
    const predictedValue = (await page.getByTestId("dashboard-predicted-value").textContent())!.trim();

    expect(customers).toBe(await customerListTotal(page, workspaceId));
    expect(active).toBe(await customerListTotal(page, workspaceId, { lastSeenWithinDays: 30 }));

    await page.goto(`/w/${retail.slug}/segments`);
    for (const [name, size] of dashboardSizes) {
      const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
      await expect(row.getByRole("cell").nth(1)).toHaveText(size);
    }

    await page.goto(`/w/${retail.slug}/value/portfolio`);
    await expect(
      page
        .getByRole("row", { name: /^All groups/ })
        .getByRole("cell")
        .last(),
    ).toHaveText(predictedValue);

    await page.goto(`/w/${retail.slug}/maturity`);
    await expect(page.getByTestId("maturity-index")).toHaveText(
      new RegExp(`^${maturityIndex.replace(".", "\\.")}`),
    );
  }).toPass({ timeout: 150_000 });
});

test("a workspace without customer data shows how to start, at phone width too", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs(page, viewer);
  await page.goto(`/w/${online.slug}`);
  await expect(page.getByRole("heading", { name: "Getting started" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("dashboard-customers")).toHaveText("0");
  await expect(page.getByText("No events in the last 30 days")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("list filters stay in the URL across a reload", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, viewer);

  // Initiatives: the status filter and the grouping.
  await page.goto(`/w/${retail.slug}/maturity/initiatives`);
  await expect(page.getByText("E-mail receipts in store")).toBeVisible({ timeout: 30_000 });
  await page.getByLabel("Filter by status").selectOption({ label: "Blocked" });
  await page.getByLabel("Group by").selectOption({ label: "Status" });
  // Both choices are in the URL before the reload (it is written a moment after each change).
  await expect(page).toHaveURL(/status=blocked/);
  await expect(page).toHaveURL(/group=status/);
  await expect(page.getByText("Win-back offer for holiday discount shoppers")).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel("Filter by status")).toHaveValue("blocked");
  await expect(page.getByLabel("Group by")).toHaveValue("status");
  await expect(page.getByText("E-mail receipts in store")).toBeVisible();
  await expect(page.getByText("Win-back offer for holiday discount shoppers")).toHaveCount(0);

  // A segment's activity: who left only.
  await page.goto(`/w/${retail.slug}/segments`);
  const segmentId = await firstLinkedId(page, retail.slug, "segments");
  await page.goto(`/w/${retail.slug}/segments/${segmentId}`);
  await page.getByLabel("Show", { exact: true }).selectOption("left");
  await expect(page).toHaveURL(/change=left/);
  await page.reload();
  await expect(page.getByLabel("Show", { exact: true })).toHaveValue("left");

  // A customer's timeline: one kind of event.
  await page.goto(`/w/${retail.slug}/customers`);
  const customerId = await firstLinkedId(page, retail.slug, "customers");
  await page.goto(`/w/${retail.slug}/customers/${customerId}`);
  // The page opens on the lanes; the kind filter is the list's, and the view is kept too.
  await page.getByRole("button", { name: "List" }).click();
  await expect(page).toHaveURL(/view=list/);
  await page.getByLabel("Kind", { exact: true }).selectOption("track");
  await expect(page).toHaveURL(/type=track/);
  await page.reload();
  await expect(page.getByRole("button", { name: "List", pressed: true })).toBeVisible();
  await expect(page.getByLabel("Kind", { exact: true })).toHaveValue("track");
});
