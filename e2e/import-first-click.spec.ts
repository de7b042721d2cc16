import { expect, test, type Page } from "@playwright/test";
import { createWorkspace, signInAs, type TestWorkspace } from "./fixtures";

// "Start import" works on the first click made right after the mapping step
// appears, as a person makes it: at the button, without waiting for the
// preview to catch up. The file's columns are named so that the suggested
// mapping is complete. In a workspace of its own.

let workspace: TestWorkspace;

test.beforeAll(async ({ browser }) => {
  workspace = await createWorkspace(browser, "First click");
});

async function uploadOrders(page: Page, run: string) {
  const fileName = `orders-${run}.csv`;
  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/customers/import`);
  await page.getByRole("radio", { name: /Events/ }).check();
  await page.getByLabel("CSV file").setInputFiles({
    name: fileName,
    mimeType: "text/csv",
    buffer: Buffer.from(
      [
        "customer,date,event,channel,total",
        `${run}-1,2025-03-01,Order Completed,web,19.95`,
        `${run}-2,2025-03-02,Order Completed,store,5.00`,
        "",
      ].join("\n"),
    ),
  });
  await page.getByRole("button", { name: "Upload and map columns" }).click();
  await expect(page.getByRole("heading", { name: `Map the columns of “${fileName}”` })).toBeVisible();
  return fileName;
}

/** One mouse click where the button is, without Playwright's wait for it to be enabled and still. */
async function clickOnce(page: Page, name: string) {
  const button = page.getByRole("button", { name });
  await button.scrollIntoViewIfNeeded();
  const box = (await button.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

async function expectStartedAndDone(page: Page, fileName: string) {
  await expect(
    page.getByRole("status").filter({ hasText: `The import of “${fileName}” has started.` }),
  ).toBeVisible();
  const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: fileName }) });
  await expect(item.getByText("Done")).toBeVisible({ timeout: 30_000 });
  await expect(item.getByRole("definition").nth(1)).toHaveText("2"); // imported
}

test("one click on Start import, right after the mapping appears, starts the import", async ({ page }) => {
  const fileName = await uploadOrders(page, `first${Date.now().toString(36)}`);
  await clickOnce(page, "Start import");
  await expectStartedAndDone(page, fileName);
});

test("one click on Start import right after a change, while the preview is still on its way, starts the import", async ({
  page,
}) => {
  const fileName = await uploadOrders(page, `changed${Date.now().toString(36)}`);
  // A busy server: the preview of the new mapping is still on its way when the click comes.
  await page.route(/\/api\/trpc\/[^?]*import\.preview/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue();
  });
  await page.getByLabel("Channel").selectOption({ label: "Always store" });
  await clickOnce(page, "Start import");
  await expectStartedAndDone(page, fileName);
});
