import { expect, test, type Page } from "@playwright/test";
import { demo, expectNoSeriousViolations, signInAs } from "./fixtures";

// Funnels that add up, and a canvas that opens readable, on the seeded demo
// journeys (server/demo/journeys.ts). Every stage is counted after the stage
// before it (docs/journeys.md), so no stage shows more than the one before and
// no step converts more than 100 %; members who did a goal out of order are
// named, not counted. The order confirmation email is measured by its
// deliveries. These tests only read: they change no data.

const { editor, retail } = demo;
const newsletter = "From newsletter to web order";
const holiday = "Holiday sale, and a reason to come back";
/** The journeys' options in Compare: "name (segment)". */
const newsletterOption = `${newsletter} (Email readers who buy on the web)`;
const holidayOption = `${holiday} (Casual holiday discount shoppers)`;

async function openJourney(page: Page, name: string) {
  await page.goto(`/w/${retail.slug}/journeys`);
  await page.getByRole("link", { name, exact: true }).first().click();
  await expect(page.getByRole("tab", { name: "Canvas" })).toBeVisible();
}

/** The counts in the funnel's summary: "Members who reached each stage: A 325, B 200, … of 440 members." */
function countsOf(summary: string): number[] {
  const list = summary.replace(/^Members who reached each stage: /, "").replace(/, of [\d,]+ members\.$/, "");
  return list.split(", ").map((part) => Number(part.slice(part.lastIndexOf(" ") + 1).replace(/,/g, "")));
}

const expectNonIncreasing = (counts: number[]) =>
  counts.forEach((n, k) => {
    if (k > 0) expect(n, `stage ${k + 1} against the stage before`).toBeLessThanOrEqual(counts[k - 1]!);
  });

test("the funnel never rises from stage to stage and says who did a goal out of order", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, editor);
  await openJourney(page, newsletter);
  await page.getByRole("tab", { name: "Analytics" }).click();

  const funnel = page.getByRole("img", { name: /^Members who reached each stage:/ });
  await expect(funnel).toBeVisible({ timeout: 60_000 });
  const counts = countsOf((await funnel.getAttribute("aria-label"))!);
  expect(counts).toHaveLength(4);
  expect(counts[0]).toBeGreaterThan(0);
  expectNonIncreasing(counts);
  // Order Again: more members ordered at all than after a web order; the funnel names them.
  await expect(
    page.getByText(
      /more members? did Order Completed in the window, but not after reaching Order Completed \(web\)/,
    ),
  ).toBeVisible();
  for (const step of await page.getByText(/went on \(\d+%\)/).allTextContents()) {
    expect(Number(/\((\d+)%\)/.exec(step)![1])).toBeLessThanOrEqual(100);
  }

  // The order confirmation is a message: measured by its deliveries, not "0 % on the designed channel".
  const confirmation = page.getByRole("listitem").filter({ hasText: "Your order is on its way" });
  await expect(confirmation).toContainText("A message, measured by its deliveries");
  await expect(confirmation).not.toContainText("on the designed channel");
  await expectNoSeriousViolations(page);
});

test("Compare shows each journey's stages counted in order, never above 100 % from the stage before", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInAs(page, editor);
  await page.goto(`/w/${retail.slug}/journeys/compare`);
  await page.getByLabel("Journey A").selectOption({ label: newsletterOption });
  await page.getByLabel("Journey B").selectOption({ label: holidayOption });
  const figures = page.getByText(/ reached \(/);
  await expect(figures.first()).toBeVisible({ timeout: 60_000 });
  await expect(figures).toHaveCount(6); // 4 stages with goals in A, 2 in B

  const table = page.getByRole("table", { name: "Stages side by side, by position" });
  const rows = table.locator("tbody tr");
  for (const column of [1, 2]) {
    const counts: number[] = [];
    for (let row = 0; row < (await rows.count()); row++) {
      const text =
        (await rows
          .nth(row)
          .locator("td")
          .nth(column - 1)
          .textContent()) ?? "";
      const reached = /([\d,]+) reached/.exec(text);
      if (reached) counts.push(Number(reached[1]!.replace(/,/g, "")));
      const step = /(\d+)% from the stage before/.exec(text);
      if (step) expect(Number(step[1])).toBeLessThanOrEqual(100);
    }
    expect(counts.length).toBeGreaterThanOrEqual(2);
    expectNonIncreasing(counts);
  }
  // The holiday journey's buyers who never opened the sale email are named under its second stage.
  await expect(
    table.getByText(/did Order Completed on Web in the window, but not after reaching Sale Announced/),
  ).toBeVisible();
});

for (const width of [1440, 390]) {
  test(`the canvas opens readable on its entry, with a minimap, at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, editor);
    await openJourney(page, newsletter);
    await page.getByRole("tab", { name: "Canvas" }).click();
    const canvas = page.getByRole("group", { name: "Flow canvas" });
    await expect(canvas).toBeVisible();
    // At 390 px the journey's title, description and actions fill the first screen: the canvas
    // starts below it, as a person scrolls to it. The entry must then be inside the canvas's view.
    await canvas.scrollIntoViewIfNeeded();
    const entry = canvas.getByRole("group", { name: "Entry", exact: true });
    await expect(entry).toBeInViewport();
    await expect(page.getByRole("img", { name: "Overview of the canvas" })).toBeVisible();

    // Readable: a touchpoint node (240 px wide at 1:1) is drawn at least 0.8 of that.
    const node = canvas.getByRole("group", { name: /^Email touchpoint: Weekly newsletter/ });
    await expect(node).toBeVisible();
    expect((await node.boundingBox())!.width).toBeGreaterThanOrEqual(0.8 * 240 - 1);

    // On the entry, in the middle of the canvas's height: not a strip of nodes low in an empty area.
    const box = (await canvas.boundingBox())!;
    const at = (await entry.boundingBox())!;
    expect(at.x).toBeGreaterThanOrEqual(box.x);
    expect(at.x + at.width).toBeLessThanOrEqual(box.x + box.width);
    const middle = at.y + at.height / 2 - box.y;
    expect(middle).toBeGreaterThan(box.height * 0.25);
    expect(middle).toBeLessThan(box.height * 0.75);

    // "Back to the start" returns there after panning away.
    await page.getByRole("button", { name: "Zoom Out" }).click();
    await page.getByRole("button", { name: "Zoom Out" }).click();
    await page.getByRole("button", { name: "Back to the start at a readable size" }).click();
    await expect
      .poll(async () => (await node.boundingBox())?.width ?? 0)
      .toBeGreaterThanOrEqual(0.8 * 240 - 1);
  });
}
