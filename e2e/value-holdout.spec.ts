import { expect, test, type Page } from "@playwright/test";
import { demo, signInAs } from "./fixtures";

// A holdout check is a validation, not a live fit: an editor runs one on the demo
// workspace (fitted by the seed) and reads its model comparison, and the live scores,
// the movement between RFM groups and the scorecard's value trend stay as they were.

const { editor, retail } = demo;

/** What a holdout check must leave alone, as the pages show it. */
async function liveFigures(page: Page) {
  await page.goto(`/w/${retail.slug}/value`);
  const current = page.getByRole("region", { name: "Current fit" });
  await expect(current).toBeVisible();
  const fitted = await current.getByRole("definition").first().innerText();

  await page.goto(`/w/${retail.slug}/value/portfolio`);
  const portfolio = page.getByRole("table", { name: /^Customers, past revenue and predicted value by RFM group/ });
  await expect(portfolio).toBeVisible();
  const portfolioText = await portfolio.innerText();
  const movement = page.locator("main").getByText(/changed group since the previous fit|No previous fit to compare with/);
  const movementText = await movement.first().innerText();

  await page.goto(`/w/${retail.slug}/customers?sort=value`);
  const list = page.getByRole("table", { name: "Customers, sorted by predicted value" });
  await expect(list.getByRole("row").nth(1)).toBeVisible();
  const top = await list.getByRole("row").nth(1).innerText();
  await list.getByRole("row").nth(1).getByRole("link").first().click();
  const card = page.getByRole("region", { name: "Value" });
  await expect(card.getByRole("term").filter({ hasText: "Probability alive" })).toBeVisible();
  const cardText = await card.innerText();

  await page.goto(`/w/${retail.slug}/maturity`);
  const trend = page.getByRole("region", { name: "Customer value" });
  await expect(trend).toBeVisible();
  const trendText = await trend.innerText();
  return { fitted, portfolioText, movementText, top, cardText, trendText };
}

test("a holdout check shows its comparison and leaves the live scores, the movement and the scorecard unchanged", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAs(page, editor);
  const before = await liveFigures(page);

  await page.goto(`/w/${retail.slug}/value`);
  // 120 days before today: the demo's purchases run to about today.
  const calibrationEnd = new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Holdout check: calibration end (optional)").fill(calibrationEnd);
  await page.getByRole("button", { name: "Run holdout check" }).click();
  await expect(page.getByText(/^The holdout check (has started|is done)/)).toBeVisible();

  const check = page.getByRole("region", { name: "Latest holdout check" });
  await expect(check).toBeVisible({ timeout: 240_000 });
  await expect(check).toContainText("It did not change any customer's scores");
  const comparison = page.locator("#check-model-choice");
  const table = comparison.getByRole("table", { name: "The purchase models compared on the holdout" });
  await expect(table.getByRole("rowheader")).toHaveText([/^BG\/NBD/, /^MBG\/NBD/, /^Pareto\/NBD/]);
  await expect(table.getByText("used")).toHaveCount(1);
  await expect(comparison).toContainText(/Uses (BG\/NBD|MBG\/NBD|Pareto\/NBD)/);
  // The live fit shows its own comparison, made inside all the data.
  await expect(
    page.locator("#model-choice").getByRole("table", { name: "The purchase models compared on the holdout" }),
  ).toBeVisible();

  const after = await liveFigures(page);
  expect(after).toEqual(before);
});
