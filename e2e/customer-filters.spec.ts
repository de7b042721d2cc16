import { expect, test, type Page } from "@playwright/test";
import { demo, signInAs } from "./fixtures";

// The customer list keeps its search, filters and sort in the address: a
// reload or a shared link shows the same list, and the back button undoes the
// last change.

const customersUrl = `/w/${demo.retail.slug}/customers`;

/** The names in the first rows of the list, once it shows the list for the address. */
async function shownNames(page: Page, caption: RegExp) {
  const table = page.getByRole("table", { name: caption });
  await expect(table).toBeVisible();
  await expect(table).not.toHaveAttribute("aria-busy", "true");
  return table.locator("tbody tr td:first-child a").allTextContents();
}

test("the customer list's search, filter and sort survive a reload, and the back button undoes the last change", async ({
  page,
}) => {
  await signInAs(page, demo.viewer);
  await page.goto(customersUrl);

  await page.getByLabel("Channel", { exact: true }).selectOption({ label: "Email" });
  await expect(page).toHaveURL(/[?&]channel=email(&|$)/);
  await page.getByLabel("Sort by").selectOption({ label: "Name, A to Z" });
  await expect(page).toHaveURL(/[?&]sort=name(&|$)/);
  const byName = await shownNames(page, /^Customers, sorted by name/);
  const firstName = byName[0]!.split(" ")[0]!;

  await page.getByLabel("Search").fill(firstName);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${firstName}(&|$)`));
  const found = await shownNames(page, /^Customers, sorted by name/);
  expect(found.length).toBeGreaterThan(0);
  for (const name of found) expect(name.toLowerCase()).toContain(firstName.toLowerCase());

  // Back: the search goes, the channel and the sort stay; forward brings it again.
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(page.getByLabel("Search")).toHaveValue("");
  await expect(page.getByLabel("Channel", { exact: true })).toHaveValue("email");
  expect(await shownNames(page, /^Customers, sorted by name/)).toEqual(byName);
  await page.goForward();
  await expect(page.getByLabel("Search")).toHaveValue(firstName);

  // A reload shows the same list.
  await page.reload();
  await expect(page.getByLabel("Search")).toHaveValue(firstName);
  await expect(page.getByLabel("Channel", { exact: true })).toHaveValue("email");
  await expect(page.getByLabel("Sort by")).toHaveValue("name");
  expect(await shownNames(page, /^Customers, sorted by name/)).toEqual(found);

  // So does the back button after it: a new sort, then back to the one before.
  await page.getByLabel("Sort by").selectOption({ label: "Predicted value, highest first" });
  await expect(page.getByRole("table", { name: /^Customers, sorted by predicted value/ })).toBeVisible();
  await page.goBack();
  await expect(page.getByLabel("Sort by")).toHaveValue("name");
  await expect(page.getByLabel("Search")).toHaveValue(firstName);
  expect(await shownNames(page, /^Customers, sorted by name/)).toEqual(found);
});
