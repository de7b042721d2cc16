import { expect, test, type Page } from "@playwright/test";
import { apiAs, createWorkspace, sendMessages, signInAs, type TestWorkspace } from "./fixtures";

// A holdout check is a validation, not a live fit: an editor runs one and reads its model
// comparison, and the live scores, the movement between RFM groups and the scorecard's value
// trend stay as they were. In a workspace of its own made through the API (its purchases
// tracked into it, two live fits and a final assessment made before the test), because a fit
// holds the workspace's one fit slot while it runs: in the shared demo workspace a check would
// refuse another spec's "Run fit" (CONFLICT), and that spec's live fit would change the
// figures this one compares.

const DAY = 86_400_000;
/** Customers tracked into the workspace, with purchases over the last year. */
const CUSTOMERS = 240;

let workspace: TestWorkspace;

/** A seeded generator (mulberry32), so that every run tracks the same histories. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Purchase histories the models can fit: first purchases spread over the last 360 days (a few
 * within the last four weeks, too new to score), then repeat purchases at exponential gaps,
 * each customer buying at their own rate until they drop out, and spending around their own
 * average (customers differ in spend, as the spend model assumes).
 */
function purchases(run: string) {
  const next = random(20);
  const now = Date.now();
  const messages: object[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const meanGapDays = 10 + next() * 80;
    const lifetimeDays = -Math.log(1 - next()) * 200;
    const averageSpend = 15 + 150 * next() ** 2;
    const first = 2 + Math.floor(next() * 360);
    let day = first;
    let n = 0;
    while (day >= 0 && first - day <= lifetimeDays) {
      messages.push({
        type: "track",
        userId: `${run}-${i}`,
        event: "Order Completed",
        properties: { revenue: Math.round(averageSpend * (0.6 + 0.8 * next()) * 100) / 100 },
        timestamp: new Date(now - day * DAY - 3_600_000).toISOString(),
        messageId: `${run}-${i}-${n++}`,
      });
      day -= Math.max(1, Math.round(-Math.log(1 - next()) * meanGapDays));
    }
  }
  return messages;
}

/**
 * Starts a live fit through the API and waits until it has succeeded. The server runs one job
 * at a time, so the wait includes the jobs other specs queued before it.
 */
async function liveFit(api: Awaited<ReturnType<typeof apiAs>>) {
  const { fitId } = await api.mutate<{ fitId: string }>("value.startFit", { workspaceId: workspace.id });
  await expect
    .poll(
      async () => {
        const { latest } = await api.query<{ latest: { id: string; status: string; error: string | null } | null }>(
          "value.overview",
          { workspaceId: workspace.id },
        );
        if (latest?.id === fitId && latest.status === "failed") throw new Error(`The live fit failed: ${latest.error}`);
        return latest?.id === fitId ? latest.status : "not yet";
      },
      { timeout: 240_000, intervals: [1_000] },
    )
    .toBe("succeeded");
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(600_000);
  workspace = await createWorkspace(browser, "Holdout check");
  await sendMessages(browser, workspace, purchases(Date.now().toString(36)));
  const api = await apiAs(browser, workspace.editor);
  try {
    // The scorecard, where the value trend is, shows the latest final assessment.
    const { model } = await api.query<{ model: { dimensions: { key: string }[] } }>("maturity.model.get", {
      workspaceId: workspace.id,
    });
    const { id } = await api.mutate<{ id: string }>("maturity.assessment.create", {
      workspaceId: workspace.id,
      title: "Baseline assessment",
      assessedOn: new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10),
    });
    await api.mutate("maturity.assessment.saveScores", {
      workspaceId: workspace.id,
      assessmentId: id,
      scores: model.dimensions.map((d) => ({ dimensionKey: d.key, level: 2 })),
    });
    await api.mutate("maturity.assessment.finalise", { workspaceId: workspace.id, assessmentId: id });
    // Two live fits: the second has a previous fit, so the portfolio shows the movement.
    await liveFit(api);
    await liveFit(api);
  } finally {
    await api.dispose();
  }
});

/** A section of the Customer value page, by its heading's id (SectionCard's id). */
function section(page: Page, id: string) {
  return page.getByRole("region").filter({ has: page.locator(`#${id}-heading`) });
}

/** What a holdout check must leave alone, as the pages show it. */
async function liveFigures(page: Page) {
  const { slug } = workspace;
  await page.goto(`/w/${slug}/value`);
  const current = page.getByRole("region", { name: "Current fit" });
  await expect(current).toBeVisible();
  const fitted = await current.getByRole("definition").first().innerText();

  await page.goto(`/w/${slug}/value/portfolio`);
  const portfolio = page.getByRole("table", { name: /^Customers, past revenue and predicted value by RFM group/ });
  await expect(portfolio).toBeVisible();
  const portfolioText = await portfolio.innerText();
  const movement = page.getByRole("table", {
    name: "Customers by RFM group at the previous fit (rows) and at this fit (columns)",
  });
  await expect(movement).toBeVisible();
  const movementText = await movement.innerText();

  await page.goto(`/w/${slug}/customers?sort=value`);
  const list = page.getByRole("table", { name: "Customers, sorted by predicted value" });
  await expect(list.getByRole("row").nth(1)).toBeVisible();
  const top = await list.getByRole("row").nth(1).innerText();
  await list.getByRole("row").nth(1).getByRole("link").first().click();
  const card = page.getByRole("region", { name: "Value" });
  await expect(card.getByRole("term").filter({ hasText: "Probability alive" })).toBeVisible();
  const cardText = await card.innerText();

  await page.goto(`/w/${slug}/maturity`);
  const trend = page.getByRole("region", { name: "Customer value" });
  await expect(trend).toBeVisible();
  await expect(trend.getByRole("term").filter({ hasText: "Predicted value" })).toBeVisible();
  const trendText = await trend.innerText();
  return { fitted, portfolioText, movementText, top, cardText, trendText };
}

test("a holdout check shows its comparison and leaves the live scores, the movement and the scorecard unchanged", async ({
  page,
}) => {
  test.setTimeout(360_000);
  await signInAs(page, workspace.editor);
  const before = await liveFigures(page);

  await page.goto(`/w/${workspace.slug}/value`);
  // 120 days before today: the workspace's purchases run to yesterday.
  const calibrationEnd = new Date(Date.now() - 120 * DAY).toISOString().slice(0, 10);
  await page.getByLabel("Holdout check: calibration end (optional)").fill(calibrationEnd);
  await page.getByRole("button", { name: "Run holdout check" }).click();
  await expect(page.getByText(/^The holdout check (has started|is done)/)).toBeVisible();

  const check = page.getByRole("region", { name: "Latest holdout check" });
  await expect(check).toBeVisible({ timeout: 240_000 });
  await expect(check).toContainText("It did not change any customer's scores");
  const comparison = section(page, "check-model-choice");
  const table = comparison.getByRole("table", { name: "The purchase models compared on the holdout" });
  await expect(table.getByRole("rowheader")).toHaveText([/^BG\/NBD/, /^MBG\/NBD/, /^Pareto\/NBD/]);
  await expect(table.getByText("used")).toHaveCount(1);
  await expect(comparison).toContainText(/Uses (BG\/NBD|MBG\/NBD|Pareto\/NBD)/);
  // The live fit shows its own comparison, made inside all the data.
  await expect(
    section(page, "model-choice").getByRole("table", { name: "The purchase models compared on the holdout" }),
  ).toBeVisible();

  const after = await liveFigures(page);
  expect(after).toEqual(before);
});
