import { expect, test, type Page } from "@playwright/test";
import { demo, expectNoSeriousViolations, firstLinkedId, signInAs } from "./fixtures";

// Every workspace page holds at desktop widths from 1280 to 1920 px and on a
// 390 px phone: the page body never scrolls sideways (wide tables and the
// journey grid scroll inside their own frames), no two pieces of header text
// overlap, and every section of the main navigation can be reached: from the
// sidebar on a desktop, through the header's Menu button on a phone.

const { admin, retail } = demo;
const base = `/w/${retail.slug}`;

/** The sections of the main navigation and the path each opens. */
const sections = [
  ["Dashboard", ""],
  ["Maturity", "/maturity"],
  ["Journeys", "/journeys"],
  ["Segments", "/segments"],
  ["Customers", "/customers"],
  ["Customer value", "/value"],
  ["Settings", "/settings"],
] as const;

const widths = [
  { width: 1280, narrow: false },
  { width: 1440, narrow: false },
  { width: 1920, narrow: false },
  { width: 390, narrow: true },
];

/** The demo records the pages with an id show: found through the app's own links, as a user would. */
interface DemoIds {
  customer: string;
  journeys: string[];
  segment: string;
  assessment: string;
}

/** Every page of the workspace (app/w/[slug]/**\/page.tsx), with the demo's records for the ones with an id. */
function workspacePages(ids: DemoIds): string[] {
  const [journeyA, journeyB] = ids.journeys;
  return [
    "",
    "/maturity",
    "/maturity/assessments",
    `/maturity/assessments/${ids.assessment}`,
    "/maturity/initiatives",
    "/maturity/model",
    "/journeys",
    "/journeys/new",
    "/journeys/compare",
    `/journeys/compare?a=${journeyA}&b=${journeyB}`,
    ...ids.journeys.map((id) => `/journeys/${id}`),
    "/segments",
    "/segments/new",
    `/segments/${ids.segment}`,
    `/segments/${ids.segment}/edit`,
    "/customers",
    `/customers/${ids.customer}`,
    "/customers/import",
    "/value",
    "/value/portfolio",
    "/settings",
    "/settings/members",
    "/settings/api-keys",
    "/settings/audit",
  ];
}

/** Every id of a kind ("journeys") linked from the page once its list has loaded. */
async function linkedIds(page: Page, kind: string): Promise<string[]> {
  await firstLinkedId(page, retail.slug, kind);
  const prefix = `${base}/${kind}/`;
  const ids = await page
    .locator(`a[href^="${prefix}"]`)
    .evaluateAll(
      (links, start) =>
        links
          .map((a) => a.getAttribute("href")!.slice(start.length))
          .filter((rest) => /^[0-9a-f-]{36}$/.test(rest)),
      prefix,
    );
  return [...new Set(ids)];
}

async function findDemoIds(page: Page): Promise<DemoIds> {
  await page.goto(`${base}/customers`);
  const customer = await firstLinkedId(page, retail.slug, "customers");
  await page.goto(`${base}/journeys`);
  const journeys = await linkedIds(page, "journeys");
  await page.goto(`${base}/segments`);
  const segment = await firstLinkedId(page, retail.slug, "segments");
  await page.goto(`${base}/maturity/assessments`);
  const assessment = await firstLinkedId(page, retail.slug, "maturity/assessments");
  expect(journeys.length, "the demo's journeys").toBeGreaterThanOrEqual(2);
  return { customer, journeys, segment, assessment };
}

/** Opens a page and waits until it has drawn its data (no loading placeholders left). */
async function open(page: Page, path: string) {
  await page.goto(`${base}${path}`);
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.locator('main [role="status"][aria-label^="Loading"]')).toHaveCount(0, {
    timeout: 20_000,
  });
}

/** How far the page body reaches beyond the viewport's width (0: no sideways scrolling). */
async function bodyOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    return root.scrollWidth - root.clientWidth;
  });
}

/**
 * Pairs of header text that overlap, and text that leaves the screen. Each text's box is
 * the box of its characters, cut by any ancestor that clips (a truncated name ends at its
 * ellipsis); text hidden from sight (sr-only, display: none) has no box and is skipped.
 */
async function headerTextProblems(page: Page): Promise<string[]> {
  return page.getByRole("banner").evaluate((header) => {
    type Box = { text: string; left: number; right: number; top: number; bottom: number };
    const boxes: Box[] = [];
    const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? "";
      if (!text) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      let box = { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
      for (let el = node.parentElement; el && header.contains(el); el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.overflowX !== "visible" || style.overflowY !== "visible") {
          const clip = el.getBoundingClientRect();
          box = {
            left: Math.max(box.left, clip.left),
            right: Math.min(box.right, clip.right),
            top: Math.max(box.top, clip.top),
            bottom: Math.min(box.bottom, clip.bottom),
          };
        }
      }
      // Screen-reader-only text is clipped to a 1 px box.
      if (box.right - box.left < 2 || box.bottom - box.top < 2) continue;
      boxes.push({ text, ...box });
    }
    const problems: string[] = [];
    for (const box of boxes) {
      if (box.left < 0 || box.right > window.innerWidth) problems.push(`"${box.text}" leaves the screen`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlapX > 0.5 && overlapY > 0.5) problems.push(`"${a.text}" overlaps "${b.text}"`);
      }
    }
    return problems;
  });
}

/** The main navigation's links are all on screen: at once on a desktop, after the Menu button on a phone. */
async function expectNavigationReachable(page: Page, narrow: boolean) {
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = page.getByRole("button", { name: "Menu", exact: true });
  if (narrow) {
    await expect(nav).toBeHidden();
    await expect(menu).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
  } else {
    await expect(menu).toBeHidden();
  }
  for (const [label] of sections) {
    await expect(nav.getByRole("link", { name: label, exact: true })).toBeInViewport({ ratio: 1 });
  }
  if (narrow) {
    await menu.click();
    await expect(nav).toBeHidden();
  }
}

/**
 * The links of a page's own navigation (the tabs of Maturity, Customer value, Settings) that
 * cannot be seen however far the page scrolls down: past the screen's side, or past the edge
 * of a strip that clips them.
 */
async function sectionLinksOffScreen(page: Page): Promise<string[]> {
  return page
    .getByRole("main")
    .locator("nav a")
    .evaluateAll((links) =>
      links
        .filter((link) => {
          const rect = link.getBoundingClientRect();
          let [left, right] = [0, document.documentElement.clientWidth];
          for (let el = link.parentElement; el; el = el.parentElement) {
            if (getComputedStyle(el).overflowX === "visible") continue;
            const clip = el.getBoundingClientRect();
            [left, right] = [Math.max(left, clip.left), Math.min(right, clip.right)];
          }
          return rect.left < left - 0.5 || rect.right > right + 0.5;
        })
        .map((link) => link.textContent ?? ""),
    );
}

let ids: DemoIds;

test.beforeAll(async ({ browser }) => {
  // Four lists loaded one after another: more than the default 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const page = await browser.newPage();
  await signInAs(page, admin);
  ids = await findDemoIds(page);
  await page.close();
});

test.describe.configure({ mode: "parallel" });

for (const { width, narrow } of widths) {
  test(`every workspace page holds at ${width} px`, async ({ page }) => {
    // About thirty pages, each loaded and measured: minutes on a busy 2-core machine.
    test.setTimeout(300_000);
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, admin);
    for (const path of workspacePages(ids)) {
      await test.step(path || "/", async () => {
        await open(page, path);
        expect(await bodyOverflow(page), `${path}: the page body scrolls sideways by`).toBeLessThanOrEqual(0);
        expect(await headerTextProblems(page), `${path}: header text`).toEqual([]);
        await expectNavigationReachable(page, narrow);
        expect(await sectionLinksOffScreen(page), `${path}: links of the page's navigation`).toEqual([]);
      });
    }
  });

  test(`the journey editor's views hold at ${width} px`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, admin);
    for (const id of ids.journeys) {
      await open(page, `/journeys/${id}`);
      for (const view of ["Canvas", "Analytics", "History", "Run", "Grid"]) {
        await page.getByRole("tab", { name: view }).click();
        await expect(page.getByRole("tab", { name: view })).toHaveAttribute("aria-selected", "true");
        await expect(page.locator('main [role="status"][aria-label^="Loading"]')).toHaveCount(0, {
          timeout: 20_000,
        });
        expect(await bodyOverflow(page), `${view}: the page body scrolls sideways by`).toBeLessThanOrEqual(0);
      }
      // With the comments open beside (or below) the grid.
      await page.locator('button[aria-controls="journey-comments"]').click();
      await expect(page.getByRole("complementary", { name: "Comments" })).toBeVisible();
      expect(
        await bodyOverflow(page),
        "with comments: the page body scrolls sideways by",
      ).toBeLessThanOrEqual(0);
    }
  });

  test(`every navigation section opens at ${width} px`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, admin);
    await open(page, "");
    const nav = page.getByRole("navigation", { name: "Main" });
    const menu = page.getByRole("button", { name: "Menu", exact: true });
    if (narrow) {
      // The opened menu is as accessible as the sidebar it stands for.
      await menu.click();
      await expectNoSeriousViolations(page);
    }
    for (const [label, path] of sections) {
      if (narrow && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
      await nav.getByRole("link", { name: label, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${base}${path}$`));
      if (narrow) {
        // On a phone the chosen page is not left covered by the menu; opened again, it marks the page.
        await expect(nav).toBeHidden();
        await menu.click();
      }
      const link = nav.getByRole("link", { name: label, exact: true });
      await expect(link).toHaveAttribute("aria-current", "page");
    }
  });
}

test("the journey grid scrolls in its own frame and keeps its stage headers in view", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAs(page, admin);
  // The demo journey with the most stages: wider than the space beside the sidebar at 1440 px.
  let widest = { id: "", stages: 0 };
  for (const id of ids.journeys) {
    await open(page, `/journeys/${id}`);
    const stages = await page.locator('[role="group"][aria-label="Journey grid"] thead th[id]').count();
    if (stages > widest.stages) widest = { id, stages };
  }
  await open(page, `/journeys/${widest.id}`);
  const frame = page.getByRole("group", { name: "Journey grid" });
  const lastStage = frame.locator("thead th[id]").last();
  await expect(lastStage).toBeVisible();

  const size = await frame.evaluate((box) => ({
    scrollWidth: box.scrollWidth,
    clientWidth: box.clientWidth,
    scrollHeight: box.scrollHeight,
    clientHeight: box.clientHeight,
    frameHeight: box.getBoundingClientRect().height,
  }));
  // It scrolls both ways inside itself, and is no taller than the screen, so its sideways
  // scrollbar can be seen together with the grid.
  expect(size.scrollWidth).toBeGreaterThan(size.clientWidth);
  expect(size.scrollHeight).toBeGreaterThan(size.clientHeight);
  expect(size.frameHeight).toBeLessThanOrEqual(900);
  expect(await bodyOverflow(page)).toBeLessThanOrEqual(0);

  // The last stage is reached by scrolling the frame sideways.
  await frame.evaluate((box) => box.scrollTo({ left: box.scrollWidth }));
  await expect(lastStage).toBeInViewport({ ratio: 1 });

  // Scrolled down inside the frame, the stage headers stay at its top, above the rows.
  await frame.evaluate((box) => box.scrollTo({ top: box.scrollHeight }));
  const [frameTop, headTop] = await Promise.all([
    frame.evaluate((box) => box.getBoundingClientRect().top),
    lastStage.evaluate((th) => th.getBoundingClientRect().top),
  ]);
  expect(Math.abs(headTop - frameTop)).toBeLessThanOrEqual(2);
  await expect(lastStage).toBeInViewport({ ratio: 1 });
  // …and the row headers stay at its left.
  const otherRow = frame.getByRole("rowheader", { name: /Other/ });
  const rowHeaderLeft = await otherRow.evaluate((th) => th.getBoundingClientRect().left);
  const frameLeft = await frame.evaluate((box) => box.getBoundingClientRect().left);
  expect(Math.abs(rowHeaderLeft - frameLeft)).toBeLessThanOrEqual(2);
});
