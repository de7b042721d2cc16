import { expect, test, type Page } from "@playwright/test";
import { demo, firstLinkedId, signInAs } from "./fixtures";

// Every page comes with a Content-Security-Policy (a fresh nonce per page, no
// framing) and the other security headers, and the app keeps working under
// it: a person signs in and goes through the main pages, the journey canvas
// and the picture export, and the browser refuses nothing and logs no error.
// A write sent from another site is refused.

const { admin, retail } = demo;

/** Console errors and page errors, with each CSP violation spelled out (Chromium logs those as errors too). */
async function collectErrors(page: Page) {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.effectiveDirective} refused ${event.blockedURI || "inline"}`),
    );
  });
  return errors;
}

test("pages carry a Content-Security-Policy with a fresh nonce, no framing, and the other security headers", async ({
  page,
}) => {
  const first = await page.goto("/signin");
  const second = await page.goto("/signin");
  const nonces = [];
  for (const response of [first!, second!]) {
    const headers = response.headers();
    const policy = headers["content-security-policy"] ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    nonces.push(/'nonce-([^']+)'/.exec(policy)![1]);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
  // Next.js put the page's nonce on its scripts.
  expect(
    await page.locator("script").evaluateAll((s) => s.map((e) => (e as HTMLScriptElement).nonce)),
  ).toEqual(expect.arrayContaining([nonces[1]]));

  // API answers, from Next.js and from the launcher's own tRPC endpoint, are data that nothing may run.
  for (const path of ["/api/health", "/api/trpc/workspace.list"]) {
    const response = await page.request.get(path);
    expect(response.headers()["content-security-policy"], path).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
  }
});

test("the main pages load and work under the policy, with no CSP violation or other error in the console", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = await collectErrors(page);
  await signInAs(page, admin);
  const base = `/w/${retail.slug}`;
  const visit = async (path: string, heading: string | RegExp) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading }).first()).toBeVisible();
    await page.waitForLoadState("networkidle");
  };

  await visit(base, /Northwind Retail|Dashboard/);
  await visit(`${base}/customers`, "Customers");
  await visit(`${base}/customers/${await firstLinkedId(page, retail.slug, "customers")}`, /.+/);
  await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await visit(`${base}/segments`, "Segments");
  await visit(`${base}/segments/${await firstLinkedId(page, retail.slug, "segments")}`, /.+/);
  await visit(`${base}/journeys`, "Journeys");
  await visit(`${base}/journeys/${await firstLinkedId(page, retail.slug, "journeys")}`, /.+/);
  // React Flow positions the canvas with style attributes; the picture export draws through data: images.
  await page.getByRole("tab", { name: "Canvas" }).click();
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  await page.getByRole("button", { name: "Export" }).click();
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Picture (PNG)" }).click();
  expect((await downloading).suggestedFilename()).toMatch(/\.png$/);
  await visit(`${base}/maturity`, /Maturity|Scorecard/);
  await visit(`${base}/maturity/assessments`, "Maturity");
  await visit(
    `${base}/maturity/assessments/${await firstLinkedId(page, retail.slug, "maturity/assessments")}`,
    /.+/,
  );
  await visit(`${base}/value`, "Customer value");
  await visit(`${base}/value/portfolio`, "Customer value");
  await visit(`${base}/settings`, "Settings");
  await visit(`${base}/settings/members`, "Settings");

  expect(errors).toEqual([]);
});

test("a write to the API sent from another site is refused, even with the session's cookie", async ({
  page,
}) => {
  await signInAs(page, admin);
  const input = encodeURIComponent(JSON.stringify({ json: { slug: retail.slug } }));
  const workspace = (await (await page.request.get(`/api/trpc/workspace.get?input=${input}`)).json()) as {
    result: { data: { json: { id: string } } };
  };
  const response = await page.request.post(
    `/api/imports/upload?workspaceId=${workspace.result.data.json.id}&kind=events`,
    { headers: { origin: "https://attacker.example", "x-file-name": "orders.csv" }, data: "a,b\n1,2\n" },
  );
  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({ error: "This request came from another site, so it was refused." });
});

test("a sign-in sent before the page's script runs does not put the password in the address", async ({
  browser,
}) => {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    storageState: { cookies: [], origins: [] },
  });
  try {
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    const sent = page.waitForRequest(
      (request) =>
        (new URL(request.url()).pathname === "/signin" && request.method() !== "GET") ||
        request.url().includes("password="),
    );
    await page.getByRole("button", { name: "Sign in" }).click();
    const request = await sent;
    expect(request.method()).toBe("POST");
    expect(request.url()).not.toContain(encodeURIComponent(admin.password));
    expect(request.url()).not.toContain("password=");
  } finally {
    await context.close();
  }
});
