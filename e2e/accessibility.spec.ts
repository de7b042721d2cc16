import { expect, test } from "@playwright/test";
import { demo, expectNoSeriousViolations, signInAs } from "./fixtures";

// Pages must be usable with a keyboard and a screen reader: no serious or
// critical axe-core violations, a skip link, and the menus work from the keyboard.

test("the sign-in page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/signin");
  await expectNoSeriousViolations(page);
});

test("workspace pages have no serious accessibility violations", async ({ page }) => {
  // Six pages, each loaded and analysed by axe-core: more than the default 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  await signInAs(page, demo.admin);
  for (const path of ["", "/maturity", "/customers", "/settings", "/settings/members", "/settings/audit"]) {
    await page.goto(`/w/${demo.retail.slug}${path}`);
    await expect(page.getByRole("main")).toBeVisible();
    await expectNoSeriousViolations(page);
  }
});

test("the shell works from the keyboard: skip link, workspace switcher, navigation", async ({ page }) => {
  await signInAs(page, demo.viewer);
  await page.goto(`/w/${demo.retail.slug}`);

  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();

  const switcher = page.getByRole("button", { name: /Switch workspace/ });
  await switcher.focus();
  await page.keyboard.press("Enter");
  await expect(switcher).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Escape");
  await expect(switcher).toHaveAttribute("aria-expanded", "false");
  await expect(switcher).toBeFocused();

  await switcher.press("Enter");
  await page.getByRole("link", { name: new RegExp(demo.online.name) }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/w/${demo.online.slug}$`));

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Maturity" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/maturity$/);
  await expect(nav.getByRole("link", { name: "Maturity" })).toHaveAttribute("aria-current", "page");
});
