import { expect, test } from "@playwright/test";
import { createWorkspace, demo, expectNoSeriousViolations, signInAs } from "./fixtures";

// A person imports a small CSV of events: upload, map the columns with the
// preview, start, and watch the counts and the bad row appear. The import runs
// in a workspace of its own (e2e/fixtures.ts createWorkspace), so the demo
// workspace's customer counts, which other specs compare, do not change while
// they run; the other tests only upload, or read. Each run uses its own
// customer ids so that repeated runs against one server never meet duplicates
// of their own rows.

const { editor, viewer, retail } = demo;

function eventsCsv(run: string) {
  return [
    "Client;Order date;Total;Store;Items",
    `${run}-1;31/01/2024;19,95;Amsterdam;2`,
    `${run}-2;01/02/2024;5,00;Utrecht;1`,
    `${run}-1;15/02/2024;7,50;Amsterdam;1`,
    `${run}-3;30/02/2024;12,00;Utrecht;3`,
    `${run}-3;01/03/2024;12,00;Utrecht;3`,
    "",
  ].join("\n");
}

test("an editor uploads a CSV of events, maps it with a preview, runs it and sees the counts and the bad row", async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const run = `e2e${Date.now().toString(36)}`;
  const fileName = `orders-${run}.csv`;
  const workspace = await createWorkspace(browser, "Import");
  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/customers/import`);
  await expect(page.getByRole("heading", { name: "Import data" })).toBeVisible();

  await page.getByRole("radio", { name: /Events/ }).check();
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(eventsCsv(run)) });
  await page.getByRole("button", { name: "Upload and map columns" }).click();

  // The mapping step guesses the delimiter, the header and the date format from the file.
  await expect(page.getByRole("heading", { name: `Map the columns of “${fileName}”` })).toBeVisible();
  await expect(page.getByLabel("Columns separated by")).toHaveValue(";");
  await expect(page.getByLabel("Text encoding")).toHaveValue("utf-8");
  await expect(page.getByLabel("The first row names the columns")).toBeChecked();
  await expect(page.getByLabel("Dates written as")).toHaveValue("dd/mm/yyyy");
  await page.getByLabel("Customer id").selectOption({ label: "Client" });
  await page.getByLabel("Date (timestamp)").selectOption({ label: "Order date" });
  await page.getByLabel("Amount (revenue)").selectOption({ label: "Total" });
  await page.getByLabel("Channel").selectOption({ label: "Always store" });
  await expect(page.getByLabel("Event name for every row")).toHaveValue("Order Completed");
  await page.getByLabel(/^Items/).fill("quantity");

  const preview = page.getByRole("table", { name: "How the first rows of the file will be read" });
  const firstRow = preview
    .getByRole("row")
    .filter({ hasText: `${run}-1` })
    .first();
  await expect(firstRow).toContainText("19.95");
  await expect(firstRow).toContainText("store");
  await expect(firstRow).toContainText("quantity: 2");
  await expect(preview.getByRole("row").filter({ hasText: "Will be skipped" })).toContainText(
    "“30/02/2024” is not a date in the format DD/MM/YYYY",
  );
  await expect(page.getByText("1 of these rows cannot be imported")).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.getByRole("button", { name: "Start import" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `The import of “${fileName}” has started.` }),
  ).toBeVisible();

  const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: fileName }) });
  await expect(item.getByText("Done")).toBeVisible({ timeout: 20_000 });
  await expect(item.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(item.getByRole("definition").nth(1)).toHaveText("4"); // imported
  await expect(item.getByRole("definition").nth(2)).toHaveText("0"); // duplicates
  await expect(item.getByRole("definition").nth(3)).toHaveText("1"); // failed

  await item.getByRole("button", { name: /Show bad rows \(1\)/ }).click();
  const badRows = item.getByRole("table", { name: `Rows of ${fileName} that were not imported` });
  const bad = badRows.getByRole("row").nth(1);
  await expect(bad.getByRole("cell").nth(0)).toHaveText("5");
  await expect(bad.getByRole("cell").nth(1)).toHaveText(
    "“30/02/2024” is not a date in the format DD/MM/YYYY",
  );
  await expect(bad.getByRole("cell").nth(2)).toHaveText(`${run}-3;30/02/2024;12,00;Utrecht;3`);
  await expectNoSeriousViolations(page);
});

test("a viewer sees the imports but no controls", async ({ page }) => {
  await signInAs(page, viewer);
  await page.goto(`/w/${retail.slug}/customers`);
  await expect(page.getByRole("link", { name: "Import data" })).toHaveCount(0);
  await page.getByRole("link", { name: "Imports", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${retail.slug}/customers/import$`));
  await expect(page.getByRole("heading", { name: "Imports" })).toBeVisible();
  await expect(page.getByText("Editors and admins upload and run them.")).toBeVisible();
  await expect(page.getByLabel("CSV file")).toHaveCount(0);
  await expect(
    page.getByRole("button", { name: /^(Pause|Resume|Cancel|Retry|Map columns|Remove)/ }),
  ).toHaveCount(0);
});

test("the upload endpoint answers a workspace id that is not one with a 400 that says so", async ({
  page,
}) => {
  await signInAs(page, editor);
  const response = await page.request.post(`/api/imports/upload?workspaceId=${"-".repeat(36)}&kind=events`, {
    headers: { "x-file-name": "x.csv" },
    data: "a,b\n1,2\n",
  });
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ error: "workspaceId must be a workspace id." });
});

test("a file that is not a CSV is refused with what it looks like, in the form and by the server", async ({
  page,
}) => {
  const png = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
  ]);
  await signInAs(page, editor);
  await page.goto(`/w/${retail.slug}/customers/import`);
  await page.getByLabel("CSV file").setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: png });
  await page.getByRole("button", { name: "Upload and map columns" }).click();
  await expect(page.getByText("This file is not a CSV: it looks like a PNG image.")).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Map the columns/ })).toHaveCount(0);

  // The server checks the bytes too, whatever the page did.
  const input = encodeURIComponent(JSON.stringify({ json: { slug: retail.slug } }));
  const workspace = (await (await page.request.get(`/api/trpc/workspace.get?input=${input}`)).json()) as {
    result: { data: { json: { id: string } } };
  };
  const response = await page.request.post(
    `/api/imports/upload?workspaceId=${workspace.result.data.json.id}&kind=events`,
    { headers: { "x-file-name": "chart.csv" }, data: png },
  );
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ error: "This file is not a CSV: it looks like a PNG image." });
});

test("an upload left unstarted can be removed from the list", async ({ page }) => {
  await signInAs(page, editor);
  await page.goto(`/w/${retail.slug}/customers/import`);
  const fileName = `left-behind-${Date.now().toString(36)}.csv`;
  await page.getByLabel("CSV file").setInputFiles({
    name: fileName,
    mimeType: "text/csv",
    buffer: Buffer.from("customer,when,total\nc-1,2025-01-01,5.00\n"),
  });
  await page.getByRole("button", { name: "Upload and map columns" }).click();
  await expect(page.getByRole("heading", { name: /^Map the columns/ })).toBeVisible();
  // Walked away from: on the next visit it is listed as not started, with a way to remove it.
  await page.reload();
  const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: fileName }) });
  await expect(item.getByText("Not started")).toBeVisible();
  await item.getByRole("button", { name: `Remove ${fileName}` }).click();
  await expect(page.getByRole("heading", { name: fileName })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: fileName })).toHaveCount(0);
});

test("a file over 10 MB arrives whole, with the API's security headers", async ({ page }) => {
  await signInAs(page, editor);
  const input = encodeURIComponent(JSON.stringify({ json: { slug: retail.slug } }));
  const workspace = (await (await page.request.get(`/api/trpc/workspace.get?input=${input}`)).json()) as {
    result: { data: { json: { id: string } } };
  };
  const workspaceId = workspace.result.data.json.id;
  // 12 MB of rows: past the 10 MB that Next.js buffers for a proxy, which once cut uploads short.
  const row = "c-1,2025-01-01,Order Completed,web,12.50\n";
  const body = Buffer.from(
    `customer,when,event,channel,total\n${row.repeat(Math.ceil((12 * 1024 * 1024) / row.length))}`,
  );
  const response = await page.request.post(`/api/imports/upload?workspaceId=${workspaceId}&kind=events`, {
    headers: { "x-file-name": "twelve-megabytes.csv" },
    data: body,
  });
  expect(response.status()).toBe(201);
  const saved = (await response.json()) as { id: string; fileSize: number };
  expect(saved.fileSize).toBe(body.length);
  expect(response.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  const removed = await page.request.post("/api/trpc/import.discard", {
    data: { json: { workspaceId, importId: saved.id } },
  });
  expect(removed.status()).toBe(200);
});
