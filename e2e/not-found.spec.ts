import { expect, test, type Page } from "@playwright/test";
import { demo, firstLinkedId, signInAs } from "./fixtures";

// A page whose URL names a record that is not there — an unknown id, a
// malformed one, or one of another workspace — answers 404 with the
// not-found page, never a 200 with an empty shell. The admin is a member of
// both demo workspaces: a Northwind Retail record under Northwind Online's
// address is one of another workspace.

const { admin, retail, online } = demo;
const unknownId = "7f9c2ba4-e88f-4f3a-9b1c-0123456789ab";

/** The id of the first record listed at `list`, read from the links to them. */
async function firstId(page: Page, list: string) {
  await page.goto(`/w/${retail.slug}/${list}`);
  return firstLinkedId(page, retail.slug, list);
}

test("pages of a customer, segment, journey or assessment that is not in the workspace answer 404", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAs(page, admin);
  const kinds = [
    { list: "customers", notFound: "No such customer here" },
    { list: "segments", notFound: `There is nothing at this address in ${retail.name}` },
    { list: "journeys", notFound: `There is nothing at this address in ${retail.name}` },
    { list: "maturity/assessments", notFound: `There is nothing at this address in ${retail.name}` },
  ];
  for (const { list, notFound } of kinds) {
    const id = await firstId(page, list);
    const known = await page.goto(`/w/${retail.slug}/${list}/${id}`);
    expect(known!.status(), `a ${list} record of the workspace`).toBe(200);

    for (const path of [`${list}/${unknownId}`, `${list}/not-an-id`]) {
      const response = await page.goto(`/w/${retail.slug}/${path}`);
      expect(response!.status(), path).toBe(404);
      await expect(page.getByText(notFound)).toBeVisible();
    }
    const foreign = await page.goto(`/w/${online.slug}/${list}/${id}`);
    expect(foreign!.status(), `a ${list} record of another workspace`).toBe(404);
    await expect(
      page.getByText(new RegExp(`No such customer here|nothing at this address in ${online.name}`)),
    ).toBeVisible();
  }

  const segmentId = await firstId(page, "segments");
  expect((await page.goto(`/w/${retail.slug}/segments/${unknownId}/edit`))!.status()).toBe(404);
  expect((await page.goto(`/w/${online.slug}/segments/${segmentId}/edit`))!.status()).toBe(404);
});

test("an invitation link whose token is unknown answers 404 and says the link is not valid", async ({
  page,
}) => {
  const response = await page.goto("/invite/not-a-real-token");
  expect(response!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
});
