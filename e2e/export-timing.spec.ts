import { expect, test, type Page } from "@playwright/test";
import { demo, signInAs } from "./fixtures";
import { createFixedWorkspace, FIXED_SEGMENT, type FixedWorkspace } from "./fixed-workspace";

// Every export is ready in under 3 seconds, from the click to the finished
// download: the journey as data and as pictures (the grid wider than the
// window, taken whole), a segment's members and the scorecard as CSV. Each time
// is printed, so a slow run shows by how much. The workspace is the fixed one
// of the screenshot tests (a published four-stage journey and 40 customers);
// the largest segment export is of the demo's 3,000 customers, which it only reads.

const LIMIT_MS = 3_000;
let workspace: FixedWorkspace;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  workspace = await createFixedWorkspace(browser, "Export timing");
});

/** Clicks `start`, then waits for the download to be saved; returns the milliseconds between. */
async function timedDownload(page: Page, what: string, start: () => Promise<void>) {
  const downloading = page.waitForEvent("download");
  const started = performance.now();
  await start();
  const download = await downloading;
  const path = await download.path();
  const ms = Math.round(performance.now() - started);
  console.log(`Export ${what}: ${ms} ms (${download.suggestedFilename()})`);
  expect(path).toBeTruthy();
  expect(ms, `${what} took ${ms} ms`).toBeLessThan(LIMIT_MS);
}

test("the journey exports as data and as pictures in under 3 s each", async ({ page }) => {
  test.setTimeout(90_000);
  // Narrower than the grid, so the picture is of more than the window shows.
  await page.setViewportSize({ width: 900, height: 900 });
  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/journeys/${workspace.journeyId}`);
  const grid = page.getByRole("group", { name: "Journey grid" });
  await expect(grid).toBeVisible();
  expect(await grid.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

  const exportAs = (format: string) => async () => {
    await page.getByRole("button", { name: "Export" }).click();
    await page.getByRole("button", { name: format }).click();
  };
  await timedDownload(page, "journey as JSON", exportAs("Data (JSON)"));
  await timedDownload(page, "journey grid as PNG", exportAs("Picture (PNG)"));
  await page.getByRole("tab", { name: "Canvas" }).click();
  await expect(page.getByRole("group", { name: "Flow canvas" })).toBeVisible();
  await timedDownload(page, "journey canvas as PNG", exportAs("Picture (PNG)"));
});

test("a segment's members and the scorecard export as CSV in under 3 s each", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, workspace.viewer);
  await page.goto(`/w/${workspace.slug}/segments/${workspace.segmentId}`);
  await expect(page.getByRole("heading", { level: 1, name: FIXED_SEGMENT })).toBeVisible();
  await timedDownload(page, "segment members as CSV", () =>
    page.getByRole("link", { name: "Export CSV" }).click(),
  );

  await page.goto(`/w/${workspace.slug}/maturity`);
  await expect(page.getByRole("img", { name: /^Radar of 7 dimensions/ })).toBeVisible({ timeout: 30_000 });
  await timedDownload(page, "scorecard as CSV", () =>
    page.getByRole("link", { name: "Download CSV" }).click(),
  );
});

test("the demo's segment of its 3,000 customers exports as CSV in under 3 s", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, demo.viewer);
  await page.goto(`/w/${demo.retail.slug}/segments`);
  await page.getByRole("link", { name: FIXED_SEGMENT }).first().click();
  await expect(page.getByTestId("member-count")).toHaveText(/^[\d,]+ members?$/, { timeout: 30_000 });
  const members = await page.getByTestId("member-count").textContent();
  await timedDownload(page, `demo segment members as CSV, ${members}`, () =>
    page.getByRole("link", { name: "Export CSV" }).click(),
  );
});
