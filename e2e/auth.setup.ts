import { test as setup } from "@playwright/test";
import { demo, sessionFile, signIn } from "./fixtures";

// Signs each demo user in through the form once per run and saves the browser's
// cookies, so specs start signed in (signInAs) instead of filling the form.

for (const user of [demo.admin, demo.editor, demo.viewer]) {
  setup(`sign in as ${user.email}`, async ({ page }) => {
    await signIn(page, user);
    await page.context().storageState({ path: sessionFile(user) });
  });
}
