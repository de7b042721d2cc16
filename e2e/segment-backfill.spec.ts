import { expect, test } from "@playwright/test";
import {
  createWorkspace,
  expectNoSeriousViolations,
  sendMessages,
  signInAs,
  type TestWorkspace,
} from "./fixtures";
import { fixedMessages } from "./fixed-workspace";

// A segment saved today shows its size over the past days at once: a background
// job evaluates its rule as of each earlier day from the events history
// and the segment page shows its progress, then the trend with the
// reconstructed days shaded and labelled in the numbers. In a workspace of its
// own, made through the API with the customers of e2e/fixed-workspace.ts (a
// year of history), so the demo workspace's segments do not change under
// other specs.

// The viewer's test reads the segment the editor's test saved.
test.describe.configure({ mode: "serial" });

let workspace: TestWorkspace;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  workspace = await createWorkspace(browser, "Segment history");
  await sendMessages(browser, workspace, fixedMessages());
});

let segmentUrl = "";

test("a new segment shows its size over the past days on the day it is created", async ({ page }) => {
  test.setTimeout(180_000);
  const name = `Weekly regulars ${Date.now().toString(36)}`;
  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/segments/new?template=loyal-weekly`);
  await expect(page.getByLabel("Name")).toHaveValue("Loyal weekly customers");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Save segment" }).click();
  await expect(page).toHaveURL(/\/segments\/[0-9a-f-]{36}$/);
  segmentUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // The job runs after the first refresh; its progress shows until it is done.
  await expect(page.getByTestId("member-count")).toHaveText(/^[\d,]+ members?$/, { timeout: 90_000 });
  await expect(page.getByLabel("History progress")).toHaveCount(0, { timeout: 120_000 });

  const chart = page.getByRole("img", { name: /^Members per day over [\d,]+ days/ });
  await expect(chart).toBeVisible();
  const size = page.getByRole("region", { name: "Size" });
  await expect(size).toContainText("reconstructed from the events history");
  await expect(size).toContainText("traits and value figures as they are now");

  await page.getByText("Show the numbers").click();
  const table = page.getByRole("table", { name: "Members, entered and left per day" });
  const rows = table.getByRole("row");
  // Newest first: today recorded by the refresh, every earlier day reconstructed.
  await expect(rows.nth(1)).toContainText("Recorded");
  await expect(rows.nth(2)).toContainText("Reconstructed");
  // The trend is fetched again as the reconstruction ends, so the days are read and counted
  // again if they changed in between.
  await expect(async () => {
    const days = Number(
      /over ([\d,]+) days/.exec((await chart.getAttribute("aria-label")) ?? "")![1]!.replace(/,/g, ""),
    );
    expect(days).toBeGreaterThan(30);
    await expect(rows).toHaveCount(days + 1, { timeout: 1_000 });
    await expect(table.getByRole("row").filter({ hasText: "Reconstructed" })).toHaveCount(days - 1, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 30_000 });
  await expectNoSeriousViolations(page);
});

test("a viewer sees the reconstructed trend but cannot start a reconstruction", async ({ page }) => {
  test.skip(!segmentUrl, "needs the segment of the test before");
  await signInAs(page, workspace.viewer);
  await page.goto(segmentUrl);
  await expect(page.getByRole("img", { name: /^Members per day over [\d,]+ days/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reconstruct history" })).toHaveCount(0);
});
