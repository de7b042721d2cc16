import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signInAs } from "./fixtures";
import {
  createFixedWorkspace,
  FIXED_CUSTOMER,
  FIXED_JOURNEY,
  FIXED_NAME,
  type FixedWorkspace,
} from "./fixed-workspace";

// Screenshots of the pages people look at most, compared with the baselines in
// e2e/__screenshots__ (playwright.config.ts: the path, and the tolerance for
// anti-aliasing). The pages show a workspace whose data is the same on every run
// and every day (e2e/fixed-workspace.ts); what still moves with the day (dates,
// "3 days ago", axis ticks) is masked. After a deliberate change of a page, run
// `npx playwright test e2e/screenshots.spec.ts --update-snapshots`, look at the
// new pictures and commit them.

// Dates and day buckets as CI draws them, whatever the machine's own zone.
test.use({ timezoneId: "UTC" });

let workspace: FixedWorkspace;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  workspace = await createFixedWorkspace(browser, "Screenshots");
});

const widths = [1440, 390] as const;

async function open(page: Page, width: number, url: string) {
  await page.setViewportSize({ width, height: 900 });
  await signInAs(page, workspace.viewer);
  await page.goto(`/w/${workspace.slug}${url}`);
}

const month = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*";

/**
 * What differs between runs or days on every page: dates ("8 Nov", "15 May 2026", axis
 * ticks named by month), ids, and the signed-in user's name, which carries the run's id.
 * The figures stay unmasked: the workspace's events are whole days before today.
 */
function moving(page: Page): Locator[] {
  // Only what is drawn: a chart's hidden tooltips hold dates too, with boxes of their own.
  return [
    page.locator("time"),
    page.getByLabel(/^Account: /),
    page.getByText(new RegExp(`\\b\\d{1,2} ${month}\\b`)),
    page.getByText(new RegExp(`^${month}( \\d{4})?$`)),
    page.getByText(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/),
  ].map((locator) => locator.filter({ visible: true }));
}

for (const width of widths) {
  test(`the dashboard at ${width} px`, async ({ page }) => {
    await open(page, width, "");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expect(page).toHaveScreenshot(`dashboard-${width}.png`, { fullPage: true, mask: moving(page) });
  });

  test(`the customer page with its lanes at ${width} px`, async ({ page }) => {
    await open(page, width, "/customers");
    await page.getByRole("link", { name: FIXED_CUSTOMER.name }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: FIXED_CUSTOMER.name })).toBeVisible();
    await expect(page.getByRole("group", { name: /^Events on the lanes/ })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expect(page).toHaveScreenshot(`customer-lanes-${width}.png`, {
      fullPage: true,
      mask: moving(page),
    });
  });
}

test("the journey grid and canvas at 1440 px", async ({ page }) => {
  await open(page, 1440, `/journeys/${workspace.journeyId}`);
  await expect(page.getByRole("heading", { level: 1, name: FIXED_JOURNEY })).toBeVisible();
  await expect(page.getByRole("group", { name: "Journey grid" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(page).toHaveScreenshot("journey-grid-1440.png", { fullPage: true, mask: moving(page) });

  await page.getByRole("tab", { name: "Canvas" }).click();
  await expect(page.getByRole("group", { name: "Flow canvas" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(page).toHaveScreenshot("journey-canvas-1440.png", { fullPage: true, mask: moving(page) });
});

const run = promisify(execFile);

test("the printed scorecard: at most two A4 pages, each as in its baseline", async ({ page }) => {
  await open(page, 1440, "/maturity");
  await expect(page.getByRole("heading", { name: `Scorecard of ${FIXED_NAME}` })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole("img", { name: /^Radar of 7 dimensions/ })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // Chromium's own PDF output, drawn into pictures page by page by poppler.
  const dir = await mkdtemp(path.join(tmpdir(), "scorecard-"));
  await writeFile(path.join(dir, "scorecard.pdf"), await page.pdf({ format: "A4", printBackground: true }));
  await run("pdftoppm", ["-png", "-r", "72", path.join(dir, "scorecard.pdf"), path.join(dir, "page")]);
  const pages = (await readdir(dir)).filter((f) => f.endsWith(".png")).sort();
  expect(pages.length).toBeGreaterThan(0);
  expect(pages.length).toBeLessThanOrEqual(2);
  for (const [k, file] of pages.entries()) {
    expect(await readFile(path.join(dir, file))).toMatchSnapshot(`scorecard-print-page-${k + 1}.png`);
  }
});
