import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { demo, expectNoSeriousViolations, firstLinkedId, signInAs } from "./fixtures";

// A journey printed as a document, and what the demo's viewer may see of the
// journeys. Northwind Retail has two seeded journeys (server/demo/journeys.ts):
// "From newsletter to web order" is published as version 1, "Holiday sale, and a
// reason to come back" is a draft that was never published.

const { editor, viewer, retail } = demo;
const published = "From newsletter to web order";
const draftOnly = "Holiday sale, and a reason to come back";

const run = promisify(execFile);

/** The journey's URL from the journeys list, as the signed-in user sees it. */
async function journeyHref(page: Page, name: string) {
  await page.goto(`/w/${retail.slug}/journeys`);
  const link = page.getByRole("link", { name, exact: true });
  await expect(link).toBeVisible({ timeout: 30_000 });
  return (await link.getAttribute("href"))!;
}

/** The text poppler reads from a PDF, and its page count. */
async function pdfText(pdf: Buffer) {
  const dir = await mkdtemp(path.join(tmpdir(), "journey-print-"));
  const file = path.join(dir, "journey.pdf");
  await writeFile(file, pdf);
  const { stdout } = await run("pdftotext", ["-layout", file, "-"]);
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
  return { text: stdout.replace(/\s+/g, " "), pages };
}

test("the Export menu opens the journey as a document that prints to a PDF with selectable text", async ({
  page,
}) => {
  test.setTimeout(90_000);
  // The print dialog cannot be driven headless: the page records that it asked for it.
  await page.context().addInitScript(() => {
    window.print = () => document.documentElement.setAttribute("data-printed", "yes");
  });
  await signInAs(page, editor);
  await page.goto(await journeyHref(page, published));
  await expect(page.getByRole("heading", { level: 1, name: published })).toBeVisible();

  await page.getByRole("button", { name: "Export" }).click();
  const [printed] = await Promise.all([
    page.context().waitForEvent("page"),
    page.getByRole("link", { name: "Print or PDF (document)" }).click(),
  ]);
  await expect(printed).toHaveURL(/\/journeys\/[0-9a-f-]{36}\/print\?print=1$/);
  await expect(printed.locator("html")).toHaveAttribute("data-printed", "yes");

  const sheet = printed.getByRole("article");
  await expect(sheet.getByRole("heading", { level: 1, name: published })).toBeVisible();
  await expect(sheet).toContainText("Email readers who buy on the web");
  await expect(sheet).toContainText("Version 1");
  await expect(sheet.getByRole("heading", { name: "Stage 1: Email Opened" })).toBeVisible();
  await expect(sheet.getByRole("heading", { name: "Checks" })).toBeVisible();
  const firstTouchpoint = sheet.locator("tbody tr").first();
  const touchpointTitle = (
    await firstTouchpoint.locator("td").nth(1).locator("p").first().innerText()
  ).trim();
  expect(touchpointTitle.length).toBeGreaterThan(0);
  await expect(firstTouchpoint).toContainText("On entering the segment");
  await expectNoSeriousViolations(printed);

  // On paper: the document alone, without the sidebar or its own buttons.
  await printed.emulateMedia({ media: "print" });
  await expect(printed.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(printed.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();

  const { text, pages } = await pdfText(await printed.pdf({ format: "A4", printBackground: true }));
  expect(text).toContain(published);
  expect(text).toContain("Stage 1: Email Opened");
  expect(text).toContain("Stage 2: Product Viewed (web)");
  expect(text).toContain(touchpointTitle.replace(/\s+/g, " "));
  expect(text).toContain("Version 1");
  expect(text).not.toContain("Print or save as PDF");
  // Four stages with their touchpoints: more than one page, and no page per line.
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(pages).toBeLessThanOrEqual(6);
});

test("a viewer sees only published journeys, without a button that would change one", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // The draft's address, as an editor has it.
  const editorContext = await browser.newContext();
  const editorPage = await editorContext.newPage();
  await signInAs(editorPage, editor);
  const draftHref = await journeyHref(editorPage, draftOnly);
  await editorContext.close();

  await signInAs(page, viewer);
  const publishedHref = await journeyHref(page, published);
  await expect(page.getByRole("link", { name: draftOnly })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "New journey" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Import journey" })).toHaveCount(0);

  // The draft is not there for them, as a page, as its document or through the API.
  const draftPage = await page.goto(draftHref);
  expect(draftPage?.status()).toBe(404);
  expect((await page.goto(`${draftHref}/print`))?.status()).toBe(404);

  await page.goto(publishedHref);
  await expect(page.getByRole("heading", { level: 1, name: published })).toBeVisible();
  await expect(page.getByTestId("journey-status")).toHaveText("Published v1");
  for (const name of ["Publish", "Copy to segment…", "Delete", "Rename"]) {
    await expect(page.getByRole("button", { name, exact: true })).toHaveCount(0);
  }
  await page.getByRole("button", { name: "Export" }).click();
  await expect(page.getByRole("button", { name: "Data (JSON)" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Print or PDF (document)" })).toBeVisible();

  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByRole("button", { name: /^Restore version/ })).toHaveCount(0);

  // The viewer's document is the published version.
  await page.goto(`${publishedHref}/print`);
  await expect(page.getByRole("article")).toContainText("Version 1");
});

test("a viewer meets no write buttons on segments, value, customers and maturity", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, viewer);
  const base = `/w/${retail.slug}`;

  await page.goto(`${base}/segments`);
  await expect(page.getByRole("heading", { level: 1, name: "Segments" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New segment" })).toHaveCount(0);
  await page.goto(`${base}/segments/${await firstLinkedId(page, retail.slug, "segments")}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  for (const name of [/^Edit/, /^Delete/, /^Refresh now/, /^Duplicate/]) {
    await expect(page.getByRole("button", { name })).toHaveCount(0);
    await expect(page.getByRole("link", { name })).toHaveCount(0);
  }

  await page.goto(`${base}/customers`);
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Import data" })).toHaveCount(0);

  await page.goto(`${base}/value`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Run fit/ })).toHaveCount(0);

  await page.goto(`${base}/maturity/assessments`);
  await expect(page.getByRole("heading", { level: 1, name: "Maturity" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^New assessment/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^New assessment/ })).toHaveCount(0);
});
