import { expect, test } from "@playwright/test";
import { apiAs, createWorkspace, expectNoSeriousViolations, sendMessages, signInAs } from "./fixtures";

// Best channel and best hour, in a workspace of its own: an email reader who buys on the web
// (seed 001's case) is sent through the tracking API; the viewer opens her customer page and
// reads her preferred channel (email) with its reason, the channels that reach her and her best
// hour; the editor sets a touchpoint to the customer's best channel with a fallback order and to
// her best hour in the journey editor, and the saved design says so.

const DAY = 86_400_000;
/** `days` whole days before today at 18:15 UTC: 19:15 or 20:15 in Berlin. */
const evening = (days: number) => {
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  return new Date(midnight - days * DAY + 18.25 * 3_600_000).toISOString();
};

/** Her evenings in Berlin's time: "19:00–21:00" in winter, "20:00–22:00" in summer. */
function berlinHours() {
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "numeric", hourCycle: "h23" }).format(
      new Date(evening(3)),
    ),
  );
  return `${hour}:00–${hour + 2}:00`;
}

test("a viewer reads a customer's preferred channel and best hour; an editor sets a touchpoint to them", async ({
  browser,
  page,
}) => {
  test.setTimeout(180_000);
  const workspace = await createWorkspace(browser, "Best channel");
  const run = Date.now().toString(36);
  const ada = { userId: `${run}-ada`, email: `ada-${run}@example.com`, name: `Ada Reader ${run}` };
  const email = { channel: "email" };
  await sendMessages(browser, workspace, [
    {
      type: "identify",
      userId: ada.userId,
      traits: { email: ada.email, name: ada.name, timezone: "Europe/Berlin" },
      timestamp: evening(12),
    },
    ...[2, 3, 4, 5, 6, 8].map((d) => ({
      type: "track",
      userId: ada.userId,
      event: "Email Opened",
      context: email,
      timestamp: evening(d),
    })),
    ...[3, 5].map((d) => ({
      type: "track",
      userId: ada.userId,
      event: "Email Clicked",
      context: email,
      timestamp: evening(d),
    })),
    ...[3, 5].map((d) => ({
      type: "track",
      userId: ada.userId,
      event: "Order Completed",
      properties: { order_id: `o-${d}`, revenue: 40 },
      context: { channel: "web" },
      timestamp: evening(d),
    })),
  ]);

  const api = await apiAs(browser, workspace.editor);
  let journeyId: string;
  let customerId: string;
  try {
    const { customers } = await api.query<{ customers: { id: string }[] }>("customer.list", {
      workspaceId: workspace.id,
      search: ada.email,
    });
    customerId = customers[0]!.id;
    const segment = await api.mutate<{ id: string }>("segment.create", {
      workspaceId: workspace.id,
      name: "Readers",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "off",
    });
    const journey = await api.mutate<{ id: string }>("journey.create", {
      workspaceId: workspace.id,
      segmentId: segment.id,
      name: "New arrivals",
      description: "",
      design: {
        quietHours: null,
        stages: [
          {
            id: "s-new",
            name: "New arrivals",
            touchpoints: [
              {
                id: "t-new",
                channel: "email",
                title: "New in this week",
                trigger: { kind: "segmentEntry" },
                sendWindow: { startHour: 9, endHour: 21 },
                ownerTeam: "marketing",
              },
            ],
          },
        ],
        flow: {
          nodes: [
            { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
            { kind: "touchpoint", id: "n-new", touchpointId: "t-new", position: { x: 240, y: 0 } },
          ],
          edges: [{ id: "e1", source: "entry", target: "n-new" }],
        },
      },
    });
    journeyId = journey.id;
  } finally {
    await api.dispose();
  }

  await signInAs(page, workspace.viewer);
  await page.goto(`/w/${workspace.slug}/customers/${customerId}`);
  const card = page.getByRole("region", { name: "Best channel and hour" });
  await expect(
    card.getByText(
      "Reads email (6 opens, 2 clicks) and buys on the web (2 orders): email reaches them best.",
    ),
  ).toBeVisible();
  await expect(card.getByRole("list", { name: "Channels that reach the customer" })).toContainText("Email");
  await expect(card.getByText(`${berlinHours()} Europe/Berlin`, { exact: true })).toBeVisible();
  await expect(
    card.getByText(`Usually active ${berlinHours()} Europe/Berlin, from 10 events (10 in those hours).`),
  ).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.context().clearCookies();
  await signInAs(page, workspace.editor);
  await page.goto(`/w/${workspace.slug}/journeys/${journeyId}`);
  await page
    .getByRole("article", { name: /^New in this week/ })
    .getByRole("button", { name: /^New in this week/ })
    .click();
  const dialog = page.getByRole("dialog", { name: "New in this week" });
  await dialog.getByLabel("Send on the customer's best channel").check();
  await expect(dialog.getByLabel("First channel", { exact: true })).toHaveValue("email");
  await dialog.getByLabel("Fallback 1").selectOption({ label: "App" });
  await dialog.getByLabel("Fallback 2").selectOption({ label: "Web" });
  await dialog.getByLabel("Send at the customer's best hour").check();
  await expectNoSeriousViolations(page);
  await dialog.getByRole("button", { name: "Save touchpoint" }).click();
  await expect(dialog).toBeHidden();
  const card2 = page.getByRole("article", { name: /^New in this week/ });
  await expect(card2).toContainText("Best channel");
  await expect(card2).toContainText("Best hour");

  // The draft is saved with the order and the best hour.
  const editor = await apiAs(browser, workspace.editor);
  try {
    await expect
      .poll(
        async () => {
          const journey = await editor.query<{
            draft: { stages: { touchpoints: Record<string, unknown>[] }[] };
          }>("journey.get", { workspaceId: workspace.id, id: journeyId });
          const tp = journey.draft.stages[0]!.touchpoints[0]!;
          return { bestChannel: tp.bestChannel, sendAtBestHour: tp.sendAtBestHour };
        },
        { timeout: 20_000 },
      )
      .toEqual({ bestChannel: { fallback: ["mobile", "web"] }, sendAtBestHour: true });
  } finally {
    await editor.dispose();
  }
});
