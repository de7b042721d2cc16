import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { apiAs, createWorkspace, expectNoSeriousViolations, sendMessages, signInAs } from "./fixtures";

// A journey with a control group, in a workspace of its own: its editor goes live from the Run
// tab holding out 50 %, the Run tab shows both sides, the entries are moved ten days back (the
// Impact tab counts only entrants whose window has passed, which a test cannot wait for), the
// customers' purchases in the days after entry arrive through the tracking API — more for
// those sent the journey — and the Impact tab leads with what the journey did, with its 95 %
// interval, then the table; a viewer reads it too.

const CUSTOMERS = 40;
const DAY = 86_400_000;

test("a live journey with a holdout shows its impact with intervals", async ({ browser, page }) => {
  test.setTimeout(240_000);
  const workspace = await createWorkspace(browser, "Journey impact");
  const run = Date.now().toString(36);
  const userIds = Array.from({ length: CUSTOMERS }, (_, i) => `${run}-c${i}`);
  await sendMessages(
    browser,
    workspace,
    userIds.flatMap((userId, i) => [
      { type: "identify", userId, traits: { email: `${userId}@example.com`, name: `Customer ${i} ${run}` } },
      { type: "track", userId, event: "Product Viewed", properties: { product: "Comté" } },
    ]),
  );

  const api = await apiAs(browser, workspace.editor);
  let journeyId: string;
  try {
    const segment = await api.mutate<{ id: string }>("segment.create", {
      workspaceId: workspace.id,
      name: "Browsers",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "daily",
    });
    await expect
      .poll(
        async () =>
          (
            await api.query<{ memberCount: number }>("segment.get", {
              workspaceId: workspace.id,
              id: segment.id,
            })
          ).memberCount,
        { timeout: 60_000 },
      )
      .toBe(CUSTOMERS);
    const journey = await api.mutate<{ id: string }>("journey.create", {
      workspaceId: workspace.id,
      segmentId: segment.id,
      name: "Cheese lovers",
      description: "",
      design: {
        quietHours: null,
        stages: [
          {
            id: "s-offer",
            name: "Offered",
            touchpoints: [
              {
                id: "t-offer",
                channel: "email",
                title: "Our cheese of the month",
                content: "A Comté aged 24 months.",
                trigger: { kind: "segmentEntry" },
                respectQuietHours: false,
                ownerTeam: "marketing",
              },
            ],
          },
          { id: "s-bought", name: "Bought", goal: { event: "Order Completed" } },
        ],
        flow: {
          nodes: [
            { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
            { kind: "touchpoint", id: "n-offer", touchpointId: "t-offer", position: { x: 240, y: 0 } },
            { kind: "exit", id: "n-done", label: "Offered", position: { x: 480, y: 0 } },
          ],
          edges: [
            { id: "e1", source: "entry", target: "n-offer" },
            { id: "e2", source: "n-offer", target: "n-done" },
          ],
        },
      },
    });
    journeyId = journey.id;
    await api.mutate("journey.publish", { workspaceId: workspace.id, id: journeyId });
  } finally {
    await api.dispose();
  }

  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/journeys/${journeyId}`);
  await page.getByRole("tab", { name: "Impact" }).click();
  await expect(page.getByText("This journey has not run yet")).toBeVisible();
  await expect(page).toHaveURL(/impact=30/);

  await page.getByRole("tab", { name: "Run" }).click();
  const holdout = page.getByLabel("Control group (holdout), % of entrants");
  await expect(holdout).toHaveValue("10");
  await holdout.fill("60");
  await expect(page.getByText("Give a whole percentage from 0 to 50")).toBeVisible();
  await expect(page.getByRole("button", { name: "Go live with version 1" })).toBeDisabled();
  await holdout.fill("50");
  await page.getByRole("button", { name: "Go live with version 1" }).click();
  await expect(page.getByRole("region", { name: "Live · version 1" })).toContainText(
    "50 % of entrants are held out as a control group",
  );
  const figures = page.getByRole("region", { name: "Customers in this run" });
  // Everyone enrolled and past the touchpoint (sent, or skipped when held out).
  await expect(figures.getByText("Finished").locator("..")).toContainText(String(CUSTOMERS), {
    timeout: 60_000,
  });
  const sideCount = async (label: string) =>
    Number((await figures.getByText(label).locator("..").locator("dd").textContent())!.replace(/\D/g, ""));
  const treated = await sideCount("Treatment (sent the journey)");
  const heldCount = await sideCount("Holdout (control group)");
  expect(treated + heldCount).toBe(CUSTOMERS);
  expect(heldCount).toBeGreaterThan(5);
  expect(treated).toBeGreaterThan(5);

  // Ten days on: they entered then, and bought two days after.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "e2e/journey-entries-ago.ts", journeyId, "10"],
    { env: process.env },
  );
  const heldOut = new Set(JSON.parse(stdout) as string[]);
  expect(heldOut.size).toBe(heldCount);
  const boughtAt = new Date(Date.now() - 8 * DAY).toISOString();
  await sendMessages(
    browser,
    workspace,
    userIds.flatMap((userId, i) => {
      // Those sent the journey buy more, and more often: a lift the interval can see.
      const orders = heldOut.has(userId) ? i % 2 : 1 + (i % 3);
      const revenue = heldOut.has(userId) ? 20 + (i % 5) : 45 + (i % 7) * 3;
      return Array.from({ length: orders }, (_, k) => ({
        type: "track",
        userId,
        event: "Order Completed",
        messageId: `${userId}-order-${k}`,
        timestamp: boughtAt,
        properties: { revenue },
      }));
    }),
  );

  await page.goto(`/w/${workspace.slug}/journeys/${journeyId}?impact=7`);
  await expect(page.getByRole("tab", { name: "Impact" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("radio", { name: "7 days" })).toHaveAttribute("aria-checked", "true");
  const impact = page.getByRole("region", { name: "What the journey did, 7 days after entry" });
  await expect(impact).toContainText(`${treated} customers sent the journey against ${heldCount} held out`);
  await expect(impact).toContainText(
    /Treatment customers spent [\d.,]+ more each \(95 % interval \+[\d.,]+ to \+[\d.,]+\)/,
  );
  const table = impact.getByRole("table", { name: "Sent the journey against the holdout" });
  await expect(table.getByRole("row", { name: /Revenue per customer/ })).toContainText(
    /\+[\d.,]+ to \+[\d.,]+/,
  );
  await expect(table.getByRole("row", { name: /Reached the goal/ })).toContainText("pts");
  await expect(impact).toContainText("No value fit has run since these customers entered");
  await expectNoSeriousViolations(page);

  // The 90-day window has not passed for anyone yet.
  await page.getByRole("radio", { name: "90 days" }).click();
  await expect(page).toHaveURL(/impact=90/);
  await expect(page.getByRole("region", { name: "What the journey did, 90 days after entry" })).toContainText(
    `${CUSTOMERS} more are still inside their window`,
  );

  // A viewer reads the same figures.
  await signInAs(page, workspace.viewer);
  await page.goto(`/w/${workspace.slug}/journeys/${journeyId}?impact=7`);
  await expect(page.getByRole("region", { name: "What the journey did, 7 days after entry" })).toContainText(
    "Treatment customers spent",
  );
});
