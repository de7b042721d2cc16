import { expect, test, type Page } from "@playwright/test";
import { demo, expectNoSeriousViolations, firstLinkedId, signInAs } from "./fixtures";

// The customer page tells a customer's whole story: the segments they are in
// and their journey stage, and their history in one lane per channel.

const SEGMENT = "Email readers who buy on the web";
const JOURNEY = "From newsletter to web order";

/** A member of the demo segment that the published demo journey follows. */
async function openSegmentMember(page: Page) {
  await page.goto(`/w/${demo.retail.slug}/segments`);
  await page.getByRole("link", { name: SEGMENT }).first().click();
  await expect(page).toHaveURL(/\/segments\/[0-9a-f-]{36}/);
  const customerId = await firstLinkedId(page, demo.retail.slug, "customers");
  await page.goto(`/w/${demo.retail.slug}/customers/${customerId}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  return customerId;
}

test("a customer's segments, journey stage and channel lanes, with an event's details", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, demo.viewer);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await openSegmentMember(page);

  const standing = page.getByRole("region", { name: "Segments and journeys" });
  const segmentLink = standing.getByRole("link", { name: SEGMENT });
  await expect(segmentLink).toBeVisible();
  await expect(standing.getByText(/since \d{1,2} \w{3} \d{4}/).first()).toBeVisible();
  // The demo journey is designed for the segment and live: its stage, and the customer's way through it.
  await expect(standing.getByRole("link", { name: JOURNEY }).first()).toHaveAttribute(
    "href",
    /\/journeys\/[0-9a-f-]{36}$/,
  );
  await expect(standing.getByRole("region", { name: "In live journeys" })).toContainText(JOURNEY);
  await expect(standing.getByText(/Stage \d+ of \d+|No stage reached yet/).first()).toBeVisible();

  // Lanes are the default view, one per channel the customer has events on.
  await expect(page.getByRole("button", { name: "Lanes", pressed: true })).toBeVisible();
  const mix = page.getByRole("region", { name: "Channel mix" });
  const lanes = page.getByRole("group", { name: /^Events on the lanes/ });
  await expect(lanes.getByRole("group", { name: "Email lane" })).toBeVisible();
  await expect(lanes.getByRole("group", { name: "Web lane" })).toBeVisible();
  // As many lanes as the channel mix names channels.
  await expect(lanes.getByRole("group", { name: / lane$/ })).toHaveCount(
    await mix.getByRole("listitem").count(),
  );

  // Dense stretches come as buckets; zoom into one with a purchase until single events show.
  for (let step = 0; step < 6; step++) {
    const bucket = lanes.getByRole("button", { name: /purchases? totalling .*Zoom in$/ }).first();
    if (!(await bucket.isVisible().catch(() => false))) break;
    await bucket.click();
  }
  const purchases = lanes.getByRole("button", { name: /, [\d,]+\.\d{2}, Tracked event/ });
  await expect(purchases.first()).toBeVisible();
  // Purchases days apart can still overlap at this zoom; take one that the pointer reaches.
  const reachable = await purchases.evaluateAll((nodes) =>
    nodes.findIndex((node) => {
      node.scrollIntoView({ block: "center", inline: "center" });
      const box = node.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return hit !== null && node.contains(hit);
    }),
  );
  expect(reachable).toBeGreaterThanOrEqual(0);
  const purchase = purchases.nth(reachable);
  const label = (await purchase.getAttribute("aria-label"))!;
  const shownAmount = label.match(/, (\d[\d,]*\.\d{2}),/)![1]!;
  // The amount is written beside the marker, not only in its name.
  await expect(lanes.getByText(shownAmount, { exact: true }).first()).toBeVisible();

  await purchase.click();
  const panel = page.getByRole("complementary", { name: "Event details" });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole("heading", { name: "Properties" })).toBeVisible();
  await expect(panel).toContainText(shownAmount);
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(purchase).toBeFocused();

  // Home and End (and the arrow keys) move between the markers in time order.
  const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
  await page.keyboard.press("Home");
  const first = await focusedLabel();
  await page.keyboard.press("End");
  const last = await focusedLabel();
  expect(first).not.toBe("");
  expect(last).not.toBe(first);
  await page.keyboard.press("ArrowLeft");
  expect(await focusedLabel()).not.toBe(last);

  await expectNoSeriousViolations(page);

  // The list stays beside the lanes, and the URL keeps the choice.
  await page.getByRole("button", { name: "List" }).click();
  await expect(page).toHaveURL(/[?&]view=list/);
  await expect(page.getByRole("list", { name: /^Events/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("list", { name: /^Events/ })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test("at 390 px the lanes scroll inside their own frame, not the page", async ({ page }) => {
  await signInAs(page, demo.viewer);
  await page.setViewportSize({ width: 390, height: 844 });
  await openSegmentMember(page);
  const frame = page.getByTestId("lanes-frame");
  await expect(frame.getByRole("group", { name: "Web lane" })).toBeVisible();
  const { frameScrolls, pageOverflows } = await frame.evaluate((node) => ({
    frameScrolls: node.scrollWidth > node.clientWidth,
    pageOverflows: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  }));
  expect(frameScrolls).toBe(true);
  expect(pageOverflows).toBe(false);
});
