import { expect, test } from "@playwright/test";
import { demo, expectNoSeriousViolations, signInAs } from "./fixtures";

// Customer value on the demo workspace (3,000 generated customers with purchases,
// fitted once by the seed): an admin runs a fit and reads it, the portfolio with
// the movement since the seed's fit and one customer's value; a viewer reads
// without controls.

const { admin, viewer, retail } = demo;

test("an admin runs a fit and sees its parameters, diagnostics, portfolio and a customer's value", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAs(page, admin);
  await page.goto(`/w/${retail.slug}`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customer value" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Customer value" })).toBeVisible();

  await page.getByLabel("Horizon (weeks)").fill("52");
  await page.getByLabel("Discount rate (% a year)").fill("10");
  await page.getByRole("button", { name: "Run fit now" }).click();
  await expect(page.getByText(/^The fit (has started|is done)\./)).toBeVisible();

  // The fit runs as a background job; the page polls until it is done. The seed's fit is the
  // current one until then, and the job waits behind those queued before it (the server runs
  // one job at a time; the seed queues the segments' size histories).
  const summary = page.getByRole("region", { name: "Current fit" });
  await expect(summary).toBeVisible({ timeout: 180_000 });
  await expect(page.getByRole("button", { name: "Run fit now" })).toBeEnabled({ timeout: 180_000 });
  await expect(summary.getByRole("term").filter({ hasText: "Customers" }).first()).toBeVisible();

  const purchases = summary.getByRole("region", { name: /Purchases/ });
  // The model the comparison chose names the parameters: Pareto/NBD's lifetimes are (s, β), the
  // BG/NBD family's drop-out is (a, b).
  const heading = await purchases.getByRole("heading").first().innerText();
  for (const symbol of /Pareto\/NBD/.test(heading) ? ["r", "α", "s", "β"] : ["r", "α", "a", "b"]) {
    await expect(purchases.getByRole("term").filter({ hasText: new RegExp(`^${symbol}$`) })).toBeVisible();
  }
  await expect(purchases.getByRole("definition").first()).toHaveText(/^\d[\d,.]*$/);
  await expect(purchases).toContainText(/Log-likelihood -[\d,]+\.\d\d · converged/);
  await expect(summary.getByRole("region", { name: /Spend per purchase/ })).toContainText("γ");

  const diagnostics = page.getByRole("region", { name: "How well the model fits" });
  await expect(diagnostics.getByRole("img", { name: /^Cumulative repeat purchases by week/ })).toBeVisible();
  await expect(
    diagnostics.getByRole("img", { name: /^Customers by number of repeat purchases/ }),
  ).toBeVisible();
  await expect(diagnostics.getByRole("img", { name: /^Probability alive/ })).toBeVisible();

  // Every chart's numbers are one click away, as a table.
  await diagnostics.getByText("Show the numbers of “Customers by number of repeat purchases”").click();
  const histogram = diagnostics.getByRole("table", {
    name: "Customers by number of repeat purchases, actual and predicted",
  });
  await expect(histogram.getByRole("row")).toHaveCount(9); // header + 0..6 + 7+
  await expect(histogram.getByRole("rowheader").last()).toHaveText("7+");
  await expectNoSeriousViolations(page);

  await page
    .getByRole("navigation", { name: "Customer value" })
    .getByRole("link", { name: "Portfolio" })
    .click();
  const portfolio = page.getByRole("table", {
    name: /^Customers, past revenue and predicted value by RFM group/,
  });
  await expect(portfolio).toBeVisible();
  await expect(portfolio.getByRole("rowheader", { name: /Champions/ })).toBeVisible();
  await expect(portfolio.getByRole("row").filter({ hasText: "All groups" })).toContainText(/\d,\d{3}/);
  await expect(page.getByRole("img", { name: /^Shares by RFM group/ })).toBeVisible();
  // The demo seed fitted the models once already: this fit shows who moved between groups.
  await expect(
    page.getByRole("table", {
      name: "Customers by RFM group at the previous fit (rows) and at this fit (columns)",
    }),
  ).toBeVisible();
  await expectNoSeriousViolations(page);

  // The most valuable customer, from the list sorted by predicted value.
  await page.goto(`/w/${retail.slug}/customers`);
  await page.getByLabel("Sort by").selectOption({ label: "Predicted value, highest first" });
  await expect(page).toHaveURL(/sort=value/);
  const table = page.getByRole("table", { name: "Customers, sorted by predicted value" });
  const first = table.getByRole("row").nth(1);
  await expect(first.getByRole("cell").nth(5)).toHaveText(/^\d[\d,]*\.\d\d/);
  await first.getByRole("link").first().click();

  const value = page.getByRole("region", { name: "Value" });
  await expect(value).toBeVisible();
  await expect(value.getByRole("term").filter({ hasText: "Probability alive" })).toBeVisible();
  await expect(value.getByRole("definition").first()).toContainText("%");
  await expect(value.getByRole("term").filter({ hasText: "Expected purchases, 90 days" })).toBeVisible();
  await expect(value.getByRole("term").filter({ hasText: "Predicted lifetime value" })).toBeVisible();
  await expect(value.getByRole("term").filter({ hasText: "RFM group" })).toBeVisible();
  await expect(value).toContainText(
    /Champions|Loyal|Potential loyalists|New|At risk|Cannot lose|Hibernating|Lost/,
  );
});

test("a viewer reads the customer value page without the controls to run a fit", async ({ page }) => {
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}/value`);
  await expect(page.getByRole("heading", { level: 1, name: "Customer value" })).toBeVisible();
  await expect(page.getByText("Editors and admins run fits")).toBeVisible();
  await expect(page.getByRole("button", { name: "Run fit now" })).toHaveCount(0);
  await expect(page.getByLabel("Refit automatically")).toHaveCount(0);
  await expectNoSeriousViolations(page);
});
