import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { demo, expectNoSeriousViolations, signInAs } from "./fixtures";

// The executive scorecard as the demo's viewer sees it: Northwind Retail has two
// final assessments (a baseline and a half-year review), targets on five
// dimensions and four initiatives; Northwind Online has one assessment, so the
// business-unit comparison has two rows. The viewer reads, downloads the CSV and
// prints; nothing on the page lets them change anything.

const { viewer, retail, online } = demo;

test("the viewer reads the scorecard, downloads it as CSV and prints it without the navigation", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}/maturity`);
  await expect(
    page.getByRole("navigation", { name: "Maturity" }).getByRole("link", { name: "Scorecard" }),
  ).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: `Scorecard of ${retail.name}` })).toBeVisible({
    timeout: 30_000,
  });

  // The index, out of 100, with the level it stands for and its change since the baseline.
  await expect(page.getByTestId("maturity-index")).toHaveText(/^\d+(\.\d)?of 100$/);
  const indexCard = page.getByRole("region", { name: "Maturity index" });
  await expect(indexCard).toContainText(/Level \d: /);
  await expect(indexCard).toContainText(/since \d+ \w+ \d{4}/);

  // The radar, its legend and its table: one row per dimension.
  await expect(page.getByRole("img", { name: /^Radar of 7 dimensions on levels 1 to 5/ })).toBeVisible();
  const radar = page.getByRole("figure", { name: "Current, target and previous by dimension" });
  await expect(radar.getByRole("listitem").filter({ hasText: "Target" })).toBeVisible();
  await radar.getByText("Show the numbers").click();
  const radarRows = radar.getByRole("table", { name: /current, target and previous/ }).getByRole("row");
  await expect(radarRows).toHaveCount(8);
  await expect(radarRows.filter({ hasText: "Customer recognition and data" })).toContainText(
    "4 Personalised",
  );

  // The trend: the index at each final assessment, the baseline and the review at least.
  const indexTrend = page.getByRole("figure", { name: "Maturity index", exact: true });
  const trendImage = indexTrend.getByRole("img", { name: /^Maturity index by final assessment/ });
  await expect(trendImage).toBeVisible();
  // The values under the pointer: a box with the nearest assessment's figures, gone when it leaves.
  const readoutValues = trendImage.locator("tspan");
  await expect(readoutValues).toHaveCount(0);
  await trendImage.scrollIntoViewIfNeeded();
  const box = (await trendImage.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.95, box.y + box.height / 2);
  await expect(readoutValues.first()).toBeVisible();
  await expect(readoutValues.first()).toHaveText(/\d/);
  await page.mouse.move(0, 0);
  await expect(readoutValues).toHaveCount(0);
  await indexTrend.getByText("Show the numbers").click();
  const trendRows = indexTrend.getByRole("table").getByRole("row");
  expect(await trendRows.count()).toBeGreaterThanOrEqual(3);
  await expect(page.getByRole("figure", { name: "Each dimension" }).getByRole("img")).toHaveCount(7);

  // The business units the viewer belongs to, in the heatmap and its table.
  const units = page.getByRole("figure", { name: "Levels by business unit" });
  await expect(units.getByRole("img", { name: /^Levels of 2 business units/ })).toBeVisible();
  await units.getByText("Show the numbers").click();
  const unitRows = units.getByRole("table").getByRole("row");
  await expect(unitRows).toHaveCount(3);
  await expect(unitRows.filter({ hasText: retail.name })).toBeVisible();
  await expect(unitRows.filter({ hasText: online.name })).toBeVisible();

  // The top gaps with the initiatives on them and their status.
  const gaps = page.getByRole("region", { name: "Top gaps" });
  await expect(gaps.getByRole("heading", { name: "Customer recognition and data" })).toBeVisible();
  const onRecognition = gaps.getByRole("list", { name: "Initiatives on Customer recognition and data" });
  await expect(onRecognition).toContainText("Welcome series that asks for an e-mail address");
  await expect(onRecognition).toContainText("In progress");
  await expect(gaps.getByRole("list", { name: "Initiatives on Cross-channel integration" })).toContainText(
    "Blocked",
  );
  await expect(page.getByRole("region", { name: "Customer value", exact: true })).toBeVisible();

  await expectNoSeriousViolations(page);

  // The CSV: a header, the index, then one row per dimension (and the business units after).
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^northwind-retail-maturity-scorecard-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.split("\r\n").filter((line) => line.length > 0);
  expect(lines[0]).toBe(
    "section,name,dimension_key,current,current_level,target,target_date,previous,change,assessed_on",
  );
  expect(lines[1]).toMatch(/^index,Maturity index \(0-100\),,\d/);
  const dimensionRows = lines.filter((line) => line.startsWith("dimension,"));
  expect(dimensionRows).toHaveLength(7);
  expect(
    dimensionRows.some((line) => line.startsWith("dimension,Customer recognition and data,recognition,")),
  ).toBe(true);

  // Printing: the page alone, without the sidebar, the header, the tabs or the buttons.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Maturity" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  await expect(page.getByRole("img", { name: /^Radar of 7 dimensions/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: `Scorecard of ${retail.name}` })).toBeVisible();
  await page.emulateMedia({ media: "screen" });
});

test("the scorecard prints on at most two A4 pages, its charts whole", async ({ page }) => {
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}/maturity`);
  await expect(page.getByRole("img", { name: /^Radar of 7 dimensions/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Levels of 2 business units/ })).toBeVisible();
  // Through Chromium's own PDF output: sections follow one another, each chart kept whole.
  const pdf = (await page.pdf({ format: "A4", printBackground: true })).toString("latin1");
  expect(pdf.match(/\/Type\s*\/Page(?!s)/g)?.length).toBeLessThanOrEqual(2);
});

test("the viewer reads the initiatives and the model but cannot change them", async ({ page }) => {
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}/maturity/initiatives`);
  await expect(page.getByRole("heading", { name: "Personalisation and timing" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole("link", { name: "From newsletter to web order" })).toHaveAttribute(
    "href",
    /\/journeys\/[0-9a-f-]{36}$/,
  );
  await expect(page.getByRole("button", { name: "New initiative" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit/ })).toHaveCount(0);
  await page.getByLabel("Group by").selectOption("status");
  await expect(page.getByRole("heading", { name: /^Blocked/ })).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.goto(`/w/${retail.slug}/maturity/model`);
  await expect(page.getByRole("table", { name: /^The levels of / })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("region", { name: "Customer recognition and data" })).toContainText(
    "Identity match rate",
  );
  await expect(page.getByRole("button", { name: "Copy to a custom model" })).toHaveCount(0);
  await expectNoSeriousViolations(page);
});

test("an editor adds an initiative to a gap, sees it on the scorecard, finishes it and removes it", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const title = `Shared customer goal for marketing and IT ${Date.now().toString(36)}`;
  await signInAs(page, demo.editor);
  await page.goto(`/w/${retail.slug}/maturity/initiatives`);
  await page.getByRole("button", { name: "New initiative" }).click({ timeout: 30_000 });

  // Nothing is sent without a title; the problem is said beside the field.
  await page.getByRole("button", { name: "Add initiative" }).click();
  await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Give the initiative a title")).toBeVisible();

  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Dimension").selectOption({ label: "Governance and organisation" });
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "In progress" });
  await page.getByLabel("Due date").fill("2020-01-31");
  await page.getByLabel("Owner", { exact: true }).selectOption({ label: "Someone without an account…" });
  await page.getByLabel("Owner's name").fill("Customer board");
  await page.getByRole("group", { name: "Segments" }).getByLabel("New customers").check();
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Add initiative" }).click();
  await expect(page.getByText(`“${title}” was added.`)).toBeVisible();

  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title }) });
  await expect(card).toContainText("Customer board");
  await expect(card).toContainText("Overdue");
  await expect(card.getByRole("link", { name: "New customers" })).toHaveAttribute("href", /\/segments\//);

  await page.getByRole("navigation", { name: "Maturity" }).getByRole("link", { name: "Scorecard" }).click();
  await expect(
    page.getByRole("list", { name: "Initiatives on Governance and organisation" }).getByText(title),
  ).toBeVisible({ timeout: 30_000 });

  await page.getByRole("navigation", { name: "Maturity" }).getByRole("link", { name: "Initiatives" }).click();
  await card.getByRole("button", { name: /^Edit/ }).click({ timeout: 30_000 });
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Done" });
  await page.getByRole("button", { name: "Save initiative" }).click();
  await expect(page.getByText(`“${title}” was saved.`)).toBeVisible();
  await expect(card).toContainText("Done");
  await expect(card).not.toContainText("Overdue");

  page.once("dialog", (dialog) => void dialog.accept());
  await card.getByRole("button", { name: /^Remove/ }).click();
  await expect(page.getByText("The initiative was removed.")).toBeVisible();
  await expect(page.getByRole("heading", { name: title })).toHaveCount(0);
});

test("an admin copies the model, is told what a new dimension lacks, and saves the edit as version 2", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const name = `Retail model ${Date.now().toString(36)}`;
  await signInAs(page, demo.admin);
  await page.goto(`/w/${retail.slug}/maturity/model`);
  await page.getByRole("button", { name: "Copy to a custom model" }).click({ timeout: 30_000 });
  await page.getByLabel("Name of the copy").fill(name);
  await page.getByRole("button", { name: "Create the copy" }).click();
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue(/^[0-9a-f-]{36}$/);
  await expect(page.getByRole("region", { name: "Versions" })).toContainText(
    `Version 1 (latest) · ${name} · 7 dimensions`,
  );

  await page.getByRole("button", { name: "Edit this model" }).click();
  await page.getByLabel("Model name").fill(`${name} EU`);
  await page.getByLabel("Level 3 name").fill("Connected");
  await page.getByRole("button", { name: "Add a dimension" }).click();
  await page.getByRole("button", { name: "Save as new version" }).click();
  // The new dimension is empty: each missing field is named beside it and in the list.
  await expect(page.getByRole("alert").filter({ hasText: "The model was not saved" })).toContainText(
    "dimensions[7].levels[0].descriptor",
  );
  const newName = page.getByRole("group", { name: "Dimension 8" }).getByLabel("Name", { exact: true });
  await expect(newName).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);

  await page.getByRole("button", { name: "Remove dimension “Dimension 8”" }).click();
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByText("Saved as version 2.")).toBeVisible();
  const versions = page.getByRole("region", { name: "Versions" });
  await expect(versions).toContainText(`Version 2 (latest) · ${name} EU · 7 dimensions · saved`);
  await expect(versions).toContainText(`by ${demo.admin.name}`);
  await expect(page.getByRole("table", { name: `The levels of ${name} EU` })).toContainText("3 Connected");

  // Version 1 is kept as it was.
  await page.getByRole("button", { name: "Show version 1" }).click();
  await expect(page.getByRole("table", { name: `The levels of ${name}` })).toContainText("3 Integrated");
});
