import { expect, test } from "@playwright/test";
import { apiAs, createWorkspace, expectNoSeriousViolations, sendMessages, signInAs } from "./fixtures";

// A journey that runs, in a workspace of its own: its editor publishes a journey whose
// email starts on "Cart Abandoned", dry-runs it, goes live, a tracked event arrives through
// the tracking API, and the message is in the Outbox (rendered with the event's product)
// and on the customer's timeline with Journey Entered; the viewer sees the state, not the controls.

test("an editor dry-runs and starts a journey, and a tracked event reaches the customer through the Outbox", async ({
  browser,
  page,
}) => {
  test.setTimeout(240_000);
  const workspace = await createWorkspace(browser, "Journey run");
  const run = Date.now().toString(36);
  const ada = { userId: `${run}-ada`, email: `ada-${run}@example.com`, name: `Ada Runner ${run}` };
  await sendMessages(browser, workspace, [
    {
      type: "identify",
      userId: ada.userId,
      traits: { email: ada.email, name: ada.name, timezone: "Europe/Amsterdam" },
    },
    { type: "track", userId: ada.userId, event: "Product Viewed", properties: { product: "Comté" } },
  ]);

  const api = await apiAs(browser, workspace.editor);
  let journeyId: string;
  let customerId: string;
  try {
    const segment = await api.mutate<{ id: string }>("segment.create", {
      workspaceId: workspace.id,
      name: "Browsers",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "daily",
    });
    // The segment's first refresh runs as a job: wait for Ada to be in it.
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
      .toBe(1);
    const journey = await api.mutate<{ id: string }>("journey.create", {
      workspaceId: workspace.id,
      segmentId: segment.id,
      name: "Abandoned carts",
      description: "",
      design: {
        quietHours: null,
        stages: [
          {
            id: "s-cart",
            name: "Cart abandoned",
            touchpoints: [
              {
                id: "t-cart",
                channel: "email",
                title: "{{ customer.first_name }}, you left {{ event.product }} in your cart",
                content: "It is still there for you.",
                trigger: { kind: "event", event: "Cart Abandoned" },
                respectQuietHours: false,
                ownerTeam: "marketing",
              },
            ],
          },
        ],
        flow: {
          nodes: [
            { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
            { kind: "touchpoint", id: "n-cart", touchpointId: "t-cart", position: { x: 240, y: 0 } },
          ],
          edges: [],
        },
      },
    });
    journeyId = journey.id;
    await api.mutate("journey.publish", { workspaceId: workspace.id, id: journeyId });
    const { customers } = await api.query<{ customers: { id: string }[] }>("customer.list", {
      workspaceId: workspace.id,
    });
    customerId = customers[0]!.id;
  } finally {
    await api.dispose();
  }

  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/journeys/${journeyId}`);
  await page.getByRole("tab", { name: "Run" }).click();
  const state = page.getByRole("region", { name: "Not running" });
  await expect(state).toBeVisible();
  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("region", { name: "Dry run: the next 7 days" });
  await expect(dryRun).toContainText("customers entered the segment in the last 7 days");
  await expect(
    dryRun.getByRole("table", { name: "Messages the dry run would send, per touchpoint" }),
  ).toBeVisible();
  await expectNoSeriousViolations(page);
  // Nobody held out: Ada, whoever the hash puts where, must be sent the message.
  await page.getByLabel("Control group (holdout), % of entrants").fill("0");
  await page.getByRole("button", { name: "Go live with version 1" }).click();
  await expect(page.getByRole("region", { name: "Live · version 1" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

  await sendMessages(browser, workspace, [
    {
      type: "track",
      userId: ada.userId,
      event: "Cart Abandoned",
      properties: { product: "Comté 24 months" },
    },
  ]);
  const subject = `Ada, you left Comté 24 months in your cart`;
  await expect(async () => {
    await page.goto(`/w/${workspace.slug}/settings/outbox`);
    await expect(page.getByText(subject).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  await page.goto(`/w/${workspace.slug}/customers/${customerId}?view=list`);
  const timeline = page.getByRole("list", { name: /^Events/ });
  await expect(timeline.getByText("Message Sent").first()).toBeVisible();
  await expect(timeline.getByText("Journey Entered").first()).toBeVisible();
  const standing = page.getByRole("region", { name: "Segments and journeys" });
  await expect(standing.getByRole("region", { name: "In live journeys" })).toContainText("Abandoned carts");

  // The viewer sees the run and its messages, not the controls.
  await signInAs(page, workspace.viewer);
  await page.goto(`/w/${workspace.slug}/journeys/${journeyId}`);
  await page.getByRole("tab", { name: "Run" }).click();
  await expect(page.getByRole("region", { name: "Live · version 1" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Messages per touchpoint and variant" })).toContainText("1");
  // The analytics count the journey's own message beside the segment's behaviour.
  await page.getByRole("tab", { name: "Analytics" }).click();
  const sent = page.getByRole("table", { name: /^Messages the journey sent per touchpoint and variant/ });
  await expect(sent.getByRole("row").nth(1)).toContainText(/you left .* in your cart \(Email\)/);
});
