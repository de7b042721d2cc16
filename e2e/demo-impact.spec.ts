import { expect, test } from "@playwright/test";
import { demo, expectNoSeriousViolations, signInAs } from "./fixtures";

// The demo's published journey has been live with a 10 % holdout for 35 days
// when the app first starts (server/demo/journey-history.ts): an executive
// finds what it proved on its Impact tab, with intervals, and on the
// scorecard beside the customer value. These tests only read.

const { viewer, retail } = demo;
const journey = "From newsletter to web order";

test("the demo journey's Impact tab measures it against its holdout, with 95 % intervals", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}/journeys`);
  await page.getByRole("link", { name: journey, exact: true }).first().click();
  await page.getByRole("tab", { name: "Impact" }).click();
  await expect(page).toHaveURL(/[?&]impact=30/);

  const summary = page.getByRole("region", { name: "What the journey did, 30 days after entry" });
  // Both sides have customers whose 30 days have passed.
  await expect(summary).toContainText(/[1-9][\d,]* customers sent the journey against [1-9][\d,]* held out/);
  const table = summary.getByRole("table");
  await expect(table.getByRole("row", { name: /Revenue per customer/ })).toContainText(/ to /);
  await expect(table.getByRole("row", { name: /Change in predicted lifetime value/ })).toBeVisible();
  await expectNoSeriousViolations(page);

  // The Run tab says who is held out.
  await page.getByRole("tab", { name: "Run" }).click();
  await expect(page.getByText("Holdout (control group)")).toBeVisible();

  // The scorecard lists the journey's lift beside the value trend, linked to its Impact tab.
  await page.goto(`/w/${retail.slug}/maturity`);
  const lift = page.getByRole("region", { name: "Journeys' proven lift" });
  await expect(lift.getByRole("link", { name: journey })).toHaveAttribute("href", /\?impact=30$/);
});
