import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  apiAs,
  createWorkspace,
  demo,
  expectNoSeriousViolations,
  sendMessages,
  signInAs,
  type TestWorkspace,
} from "./fixtures";

// A maturity assessment from start to scorecard, in a workspace of its own made
// through the API (e2e/fixtures.ts createWorkspace) with two final assessments
// and a few customers known by user id and e-mail address: its editor starts
// one, scores several dimensions with evidence and a link and sets a target; a second assessor
// (the admin) scores one dimension two levels apart and another one level
// apart, so the page shows both scores, the spread, "disagree" and "close";
// the editor reviews it, overrides one level and finalises it with a note; the
// viewer reads it, without any control to change it, and the scorecard is of
// it, its index trend one date longer than before (read on the page at the start).

const { admin } = demo;

// The tests follow one assessment from start to scorecard.
test.describe.configure({ mode: "serial" });

let workspace: TestWorkspace;
/** The customers of the workspace: each known by a user id and an e-mail address. */
const CUSTOMERS = 20;
/** The final assessments made before the tests, older ones first: the scorecard's trend starts with them. */
const earlier = [
  { title: "Baseline assessment", daysAgo: 182, level: 1 },
  { title: "Half-year review", daysAgo: 14, level: 2 },
];

function dayAgo(days: number) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  workspace = await createWorkspace(browser, "Maturity");
  const run = Date.now().toString(36);
  await sendMessages(
    browser,
    workspace,
    Array.from({ length: CUSTOMERS }, (_, i) => [
      { type: "identify", userId: `${run}-${i}`, traits: { email: `customer-${i}-${run}@example.com` } },
      { type: "track", userId: `${run}-${i}`, event: "Order Completed", properties: { revenue: 20 + i } },
    ]).flat(),
  );
  const api = await apiAs(browser, workspace.editor);
  try {
    // The built-in model, which new assessments use.
    const { model } = await api.query<{ model: { dimensions: { key: string }[] } }>("maturity.model.get", {
      workspaceId: workspace.id,
    });
    for (const assessment of earlier) {
      const { id } = await api.mutate<{ id: string }>("maturity.assessment.create", {
        workspaceId: workspace.id,
        title: assessment.title,
        assessedOn: dayAgo(assessment.daysAgo),
      });
      await api.mutate("maturity.assessment.saveScores", {
        workspaceId: workspace.id,
        assessmentId: id,
        scores: model.dimensions.map((d) => ({ dimensionKey: d.key, level: assessment.level })),
      });
      await api.mutate("maturity.assessment.finalise", { workspaceId: workspace.id, assessmentId: id });
    }
  } finally {
    await api.dispose();
  }
});

const title = `Maturity review ${Date.now().toString(36)}`;
const note = "Recognition taken at level 2: the loyalty data is not yet in the web shop.";
let assessmentUrl = "";
/** Rows of the scorecard's index trend table before this assessment (the header and one per final assessment). */
let trendRowsBefore = -1;

/** Our editor scores, with the level each gets. */
const scored = [
  { name: "Digital presence and self-service", level: 3 },
  { name: "Customer recognition and data", level: 3 },
  { name: "Cross-channel integration", level: 2 },
  { name: "Governance and organisation", level: 2 },
];

/** The scorecard's "Maturity index" trend, its numbers shown: the table's rows, the header row first. */
async function indexTrendRows(page: Page): Promise<Locator> {
  await page.goto(`/w/${workspace.slug}/maturity`);
  const figure = page.getByRole("figure", { name: "Maturity index", exact: true });
  await expect(figure).toBeVisible({ timeout: 30_000 });
  await figure.getByText("Show the numbers").click();
  const table = figure.getByRole("table", { name: "Maturity index by final assessment" });
  await expect(table).toBeVisible();
  return table.getByRole("row");
}

function dimensionCard(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}

async function score(card: Locator, level: number) {
  await card.getByRole("radio", { name: new RegExp(`^Level ${level} · `) }).check();
}

async function saveScore(card: Locator) {
  await card.getByRole("button", { name: "Save my score" }).click();
  await expect(card.getByText("Saved.", { exact: true })).toBeVisible();
}

test("an editor starts an assessment, scores dimensions with evidence and sets a target", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAs(page, workspace.editor);
  // The header and the two final assessments made before the tests.
  trendRowsBefore = await (await indexTrendRows(page)).count();
  expect(trendRowsBefore).toBe(1 + earlier.length);

  await page.goto(`/w/${workspace.slug}/maturity/assessments`);
  await expect(page.getByRole("table", { name: /Maturity assessments/ })).toContainText("Half-year review");
  await page.getByRole("button", { name: "New assessment" }).click();
  await page.getByLabel("Title").fill(title);
  await expect(page.getByLabel("Model")).toContainText("built in");
  await page.getByRole("button", { name: "Create and open" }).click();
  await expect(page).toHaveURL(/\/maturity\/assessments\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  assessmentUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  await expect(page.getByText("Open", { exact: true }).first()).toBeVisible();

  // A link that is not a web address is refused beside its field, before anything is sent.
  const first = dimensionCard(page, scored[0]!.name);
  await score(first, scored[0]!.level);
  await first.getByRole("button", { name: "Add link" }).click();
  await first.getByLabel("Evidence link 1").fill("intranet/self-service-report");
  await first.getByRole("button", { name: "Save my score" }).click();
  await expect(first.getByText(/not a web address/)).toBeVisible();
  await expect(first.getByLabel("Evidence link 1")).toHaveAttribute("aria-invalid", "true");

  for (const [i, dimension] of scored.entries()) {
    const card = dimensionCard(page, dimension.name);
    await score(card, dimension.level);
    await card.getByLabel("Confidence").selectOption("high");
    await card
      .getByLabel("Evidence", { exact: true })
      .fill(`Checked for ${dimension.name} in the ${title} workshop.`);
    if (i > 0) await card.getByRole("button", { name: "Add link" }).click();
    await card.getByLabel("Evidence link 1").fill(`https://intranet.example.com/maturity/${i}`);
    await saveScore(card);
    const scores = card.getByRole("table", { name: /Assessors' scores/ });
    await expect(scores).toContainText(workspace.editor.name);
    await expect(scores).toContainText(`https://intranet.example.com/maturity/${i}`);
    await expect(card.getByTestId(/^agreement-/)).toContainText("agree");
  }

  const recognition = dimensionCard(page, "Customer recognition and data");
  await recognition.getByLabel("Target level").selectOption("4");
  await recognition.getByLabel("Target date").fill("2027-12-31");
  await recognition.getByRole("button", { name: "Save target" }).click();
  await expect(recognition.getByTestId("target-recognition")).toHaveText(/Level 4 · .*, by 31 Dec 2027/);
  await expect(page.getByRole("region", { name: "Gaps to target" })).toContainText(
    "Customer recognition and data: level 3 → 4 (gap 1)",
  );

  // The evidence from data stands beside the self-score.
  await expect(recognition.getByText("Identity match rate", { exact: true })).toBeVisible();
  await expect(recognition.getByText(/^As of /)).toBeVisible();
  // The workspace's profiles all link two kinds of identifier: the data supports more than the self-score.
  await expect(recognition.getByTestId("disagreement-recognition")).toHaveText(
    /Data suggests level [45] \(higher than the self-score 3\)\.$/,
  );

  // An evidence file: a type that is not accepted is refused beside the field; a text file is kept and downloads.
  const attach = recognition.getByLabel("Attach a file to Customer recognition and data");
  await attach.setInputFiles({
    name: "setup.exe",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("MZ"),
  });
  await expect(
    recognition.getByText("“setup.exe” is not a file type evidence can be", { exact: false }),
  ).toBeVisible();
  const notes = `Workshop notes for ${title}`;
  await attach.setInputFiles({
    name: "workshop-notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from(notes),
  });
  await expect(recognition.getByText("workshop-notes.txt", { exact: true })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    recognition.getByRole("link", { name: "Download workshop-notes.txt" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("workshop-notes.txt");
  expect(await readFile((await download.path())!, "utf8")).toBe(notes);

  await expectNoSeriousViolations(page);
});

test("a second assessor scores differently, and the page shows both, the spread and the agreement", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInAs(page, admin);
  await page.goto(assessmentUrl);
  await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();

  const recognition = dimensionCard(page, "Customer recognition and data");
  await score(recognition, 1);
  await recognition.getByLabel("Notes", { exact: true }).fill("The web shop does not know loyalty members.");
  await saveScore(recognition);
  const scores = recognition.getByRole("table", { name: /Assessors' scores/ });
  await expect(scores.getByRole("row")).toHaveCount(3);
  await expect(scores).toContainText(workspace.editor.name);
  await expect(scores).toContainText(admin.name);
  await expect(recognition.getByTestId("agreement-recognition")).toContainText("disagree");
  await expect(recognition.getByTestId("agreement-recognition")).toContainText("spread 2");
  // Two assessors at 3 and 1: the lower of the middle scores.
  await expect(recognition.getByTestId("consensus-recognition")).toContainText("Level 1");

  const crossChannel = dimensionCard(page, "Cross-channel integration");
  await score(crossChannel, 3);
  await saveScore(crossChannel);
  await expect(crossChannel.getByTestId("agreement-cross-channel")).toContainText("close");
  await expect(crossChannel.getByTestId("agreement-cross-channel")).toContainText("spread 1");

  await expectNoSeriousViolations(page);
});

test("the reviewer overrides one level and finalises the assessment with a note", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, workspace.editor);
  await page.goto(assessmentUrl);
  await page.getByRole("button", { name: "Finalise…" }).click();
  const dialog = page.getByRole("dialog", { name: /Review and finalise/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("row", { name: /Customer recognition and data/ })).toContainText("disagree");
  await dialog.getByLabel("Final level of Customer recognition and data").selectOption("2");
  await dialog.getByLabel("Reviewer's note").fill(note);
  await expectNoSeriousViolations(page);
  await dialog.getByRole("button", { name: "Finalise assessment" }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByText(`Finalised by ${workspace.editor.name}`)).toBeVisible();
  await expect(page.getByText(note)).toBeVisible();
  await expect(page.getByTestId("final-recognition")).toContainText("Level 2");
  await expect(page.getByTestId("final-recognition")).toContainText("set by the reviewer");
  await expect(page.getByRole("button", { name: "Save my score" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Finalise…" })).toHaveCount(0);
});

test("the viewer reads the final assessment and the scorecard has its new point", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, workspace.viewer);
  await page.goto(assessmentUrl);
  await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  await expect(page.getByTestId("final-recognition")).toContainText("Level 2");
  await expect(page.getByRole("main").getByRole("button", { name: /Save|Finalise|Remove/ })).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("combobox")).toHaveCount(0);

  await page.goto(`/w/${workspace.slug}/maturity/assessments`);
  const row = page.getByRole("row", { name: new RegExp(title) });
  await expect(row).toContainText("Final");
  await expect(page.getByRole("button", { name: "New assessment" })).toHaveCount(0);

  // The scorecard is now of this assessment, and its index trend has one more date: this one's, the latest.
  const rows = await indexTrendRows(page);
  const from = page.getByText(`From “${title}”, finalised for `);
  await expect(from).toBeVisible();
  const day = /finalised for (.+?), scored against/.exec((await from.textContent()) ?? "")?.[1];
  expect(day).toBeTruthy();
  await expect(rows).toHaveCount(trendRowsBefore + 1);
  await expect(rows.last().getByRole("rowheader")).toHaveText(day!);
  await expect(rows.last().getByRole("cell")).toHaveText(/^\d+(\.\d)?$/);
  await expectNoSeriousViolations(page);
});
