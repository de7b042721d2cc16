import { expect, test, type Page } from "@playwright/test";
import { demo, signIn, signInAs } from "./fixtures";

// Members and invitations as people use them: through the sign-in form, the
// header's menus and the settings pages. Every run invites a new email and
// creates its own workspace for the last-admin rule, so the demo data the
// other specs rely on keeps its members and roles.

const { admin, editor, viewer, retail, online } = demo;

function unique(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

function workspaceSwitcher(page: Page) {
  return page.getByRole("button", { name: /Switch workspace/ });
}

async function openMembers(page: Page, slug: string) {
  await page.goto(`/w/${slug}/settings/members`);
  await expect(page.getByRole("table", { name: "Members" })).toBeVisible();
}

test("an admin signs in, switches workspace and invites someone who sets a password, joins and is re-roled", async ({
  page,
  browser,
}) => {
  await signIn(page, admin);

  // The switcher lists both demo workspaces; picking one opens it.
  await workspaceSwitcher(page).click();
  await page.getByRole("link", { name: /Northwind Online/ }).click();
  await expect(page).toHaveURL(/\/w\/northwind-online/);
  await expect(workspaceSwitcher(page)).toHaveAccessibleName(/Northwind Online/);
  await workspaceSwitcher(page).click();
  await page.getByRole("link", { name: new RegExp(retail.name) }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${retail.slug}`));
  await expect(workspaceSwitcher(page)).toHaveAccessibleName(new RegExp(retail.name));

  // Invite an email that has no account: the admin gets a link to pass on.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" }).click();
  await expect(
    page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" }),
  ).toHaveAttribute("aria-current", "page");
  const email = `${unique("invitee")}@example.test`;
  const name = `Ivy ${unique("Invitee")}`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Add member" }).click();
  const link = page.getByRole("textbox", { name: "Invitation link" });
  await expect(link).toHaveValue(/\/invite\/[^/]+\.[^/]+$/);
  await expect(page.getByText(/no mail server/)).toBeVisible();
  const invitationUrl = await link.inputValue();
  expect(new URL(invitationUrl).origin).toBe(new URL(page.url()).origin);
  const pending = page.getByRole("list", { name: "Pending invitations" });
  await expect(pending.getByRole("listitem").filter({ hasText: email })).toBeVisible();

  // The invitee opens the link in their own browser, chooses a password and lands in the workspace.
  const inviteeContext = await browser.newContext();
  try {
    const invitee = await inviteeContext.newPage();
    await invitee.goto(invitationUrl);
    await expect(invitee.getByRole("heading", { name: `Join ${retail.name}` })).toBeVisible();
    await expect(invitee.getByText(email, { exact: true })).toBeVisible();
    await invitee.getByLabel("Your name").fill(name);
    await invitee.getByLabel("Password", { exact: true }).fill("short");
    await invitee.getByLabel("Confirm password").fill("short");
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await expect(invitee.getByText("Password must be at least 10 characters")).toBeVisible();
    await invitee.getByLabel("Password", { exact: true }).fill("invitee-password-1");
    await invitee.getByLabel("Confirm password").fill("invitee-password-1");
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await expect(invitee).toHaveURL(new RegExp(`/w/${retail.slug}$`));
    await expect(workspaceSwitcher(invitee)).toHaveAccessibleName(new RegExp(retail.name));
    await expect(invitee.getByRole("button", { name: new RegExp(`Account: ${name}`) })).toBeVisible();

    // The link works once.
    await invitee.goto(invitationUrl);
    await expect(
      invitee.getByRole("heading", { name: "This invitation has already been used" }),
    ).toBeVisible();
  } finally {
    await inviteeContext.close();
  }

  // Back as admin: the invitation is gone from the pending list and the person is a member.
  await openMembers(page, retail.slug);
  await expect(page.getByRole("list", { name: "Pending invitations" }).getByText(email)).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: email });
  const roleSelect = row.getByRole("combobox", { name: `Role of ${name}` });
  await expect(roleSelect).toHaveValue("viewer");
  await roleSelect.selectOption("editor");
  await expect(page.getByRole("status").filter({ hasText: `${name} is now editor.` })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: email }).getByRole("combobox")).toHaveValue("editor");

  // Adding someone who has an account is an invitation too: they join only by accepting it, signed in.
  await openMembers(page, online.slug);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Add member" }).click();
  const secondLink = page.getByRole("textbox", { name: "Invitation link" });
  await expect(secondLink).toHaveValue(/\/invite\/[^/]+\.[^/]+$/);
  const secondUrl = await secondLink.inputValue();
  await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);

  const memberContext = await browser.newContext();
  try {
    const member = await memberContext.newPage();
    await member.goto(secondUrl);
    await expect(member.getByRole("heading", { name: `Join ${online.name}` })).toBeVisible();
    await member.getByRole("link", { name: "Sign in to accept" }).click();
    await expect(member.getByLabel("Email")).toHaveValue(email);
    await member.getByLabel("Password").fill("invitee-password-1");
    await member.getByRole("button", { name: "Sign in" }).click();
    await expect(member).toHaveURL(secondUrl);
    await member.getByRole("button", { name: `Join ${online.name}` }).click();
    await expect(member).toHaveURL(new RegExp(`/w/${online.slug}$`));
  } finally {
    await memberContext.close();
  }
  await openMembers(page, online.slug);
  await expect(page.getByRole("row").filter({ hasText: email }).getByRole("combobox")).toHaveValue("viewer");
});

test("the last admin of a workspace cannot demote themselves", async ({ page }) => {
  await signInAs(page, admin);
  const workspaceName = `Solo ${unique("e2e")}`;
  await page.goto("/workspaces/new");
  await page.getByLabel("Name").fill(workspaceName);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/w\/solo-e2e-[a-z0-9-]+$/);
  await expect(workspaceSwitcher(page)).toHaveAccessibleName(new RegExp(workspaceName));
  const slug = new URL(page.url()).pathname.split("/")[2]!;

  await openMembers(page, slug);
  const roleSelect = page.getByRole("combobox", { name: `Role of ${admin.name}` });
  await roleSelect.selectOption("viewer");
  // Next.js's route announcer is an alert too: pick ours by its text.
  await expect(
    page.getByRole("alert").filter({ hasText: `Could not change the role of ${admin.name}` }),
  ).toHaveText(
    `Could not change the role of ${admin.name}: A workspace needs at least one admin: make another member admin first.`,
  );
  await expect(roleSelect).toHaveValue("admin");
  await page.reload();
  await expect(page.getByRole("combobox", { name: `Role of ${admin.name}` })).toHaveValue("admin");
});

test("a viewer sees the members but no controls to change them, then signs out", async ({ page }) => {
  await signInAs(page, viewer);
  await openMembers(page, retail.slug);

  const table = page.getByRole("table", { name: "Members" });
  await expect(table.getByRole("row").filter({ hasText: admin.email })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: viewer.email })).toBeVisible();
  await expect(page.getByText("Only admins can add members or change their roles.")).toBeVisible();
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Add member" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Pending invitations" })).toHaveCount(0);
  // No destinations or audit log tabs for viewers; API keys shows them the examples, without keys,
  // and everyone reads the Outbox (docs/destinations.md).
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link")).toHaveText([
    "General",
    "Members",
    "API keys",
    "Outbox",
  ]);

  await page.getByRole("button", { name: /^Account:/ }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // Signed out for real: the workspace sends the visitor back to sign in.
  await page.goto(`/w/${retail.slug}/settings/members`);
  await expect(page).toHaveURL(/\/signin/);
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(editor.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Account:/ })).toHaveCount(0);
  await expect(page).toHaveURL(/\/signin/);
});
