import { expect, test } from "@playwright/test";
import { demo, signInAs } from "./fixtures";

// A year of history is a team's first import. While it runs, the rest of the
// app must keep answering: here a 150,000-row file goes into Northwind Online
// (the demo workspace without data, so other specs' figures stay put) while a
// second tab opens the customer list and a customer's page.

const { editor, online } = demo;
const ROWS = 150_000;

function historyCsv(run: string) {
  const lines = ["customer,when,total"];
  for (let i = 0; i < ROWS; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${run}-${i % 5000},${day},${(5 + (i % 90)).toFixed(2)}`);
  }
  return `${lines.join("\n")}\n`;
}

test("a large import runs while another tab keeps opening customer pages", async ({ page, context }) => {
  test.setTimeout(240_000);
  const run = `load${Date.now().toString(36)}`;
  const fileName = `history-${run}.csv`;
  await signInAs(page, editor);
  await page.goto(`/w/${online.slug}/customers/import`);
  await page.getByRole("radio", { name: /Events/ }).check();
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(historyCsv(run)) });
  await page.getByRole("button", { name: "Upload and map columns" }).click();
  await expect(page.getByRole("heading", { name: `Map the columns of “${fileName}”` })).toBeVisible();
  await page.getByLabel("Customer id").selectOption({ label: "customer" });
  await page.getByLabel("Date (timestamp)").selectOption({ label: "when" });
  await page.getByLabel("Amount (revenue)").selectOption({ label: "total" });
  await page.getByLabel("Channel").selectOption({ label: "Always store" });
  await page.getByRole("button", { name: "Start import" }).click();

  const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: fileName }) });
  const progress = item.getByRole("progressbar");
  // Under way: some rows in, not all.
  await expect
    .poll(async () => Number(await progress.getAttribute("aria-valuenow")), { timeout: 60_000 })
    .toBeGreaterThan(0);

  // Meanwhile, in another tab: the customer list, then a customer's page, each in a few seconds.
  const other = await context.newPage();
  let started = Date.now();
  await other.goto(`/w/${online.slug}/customers`);
  // Imported customers are known by their user id alone: "Unnamed profile", with the id beneath.
  const firstCustomer = other
    .getByRole("row")
    .filter({ hasText: `${run}-` })
    .first()
    .getByRole("link");
  await expect(firstCustomer).toBeVisible({ timeout: 10_000 });
  const listSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  await firstCustomer.click();
  await expect(other.getByRole("heading", { level: 1 })).toBeVisible({ timeout: 10_000 });
  await expect(other.getByRole("heading", { name: /Timeline/ })).toBeVisible({ timeout: 10_000 });
  const customerSeconds = (Date.now() - started) / 1000;
  expect(listSeconds).toBeLessThan(10);
  expect(customerSeconds).toBeLessThan(10);
  // The pages answered while the import was still running.
  await expect(item.getByText("Done")).toHaveCount(0);

  await expect(item.getByText("Done")).toBeVisible({ timeout: 180_000 });
  await expect(item.getByRole("definition").nth(1)).toHaveText(ROWS.toLocaleString("en")); // imported
  await expect(item.getByRole("definition").nth(3)).toHaveText("0"); // failed
});
