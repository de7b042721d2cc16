import { beforeEach, expect, it } from "vitest";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeUser, TEST_PASSWORD } from "~/test/fixtures";
import { signInWithPassword, WRONG_CREDENTIALS } from "./sign-in";
import { throttlePolicy } from "./throttle";

describeEachDatabase("sign-in", (getDb) => {
  beforeEach(() => truncateAllTables(getDb()));

  it("signs in with the right password, whatever the email's case", async () => {
    const user = await makeUser(getDb());
    const signedIn = await signInWithPassword(getDb(), { email: ` ${user.email.toUpperCase()} `, password: TEST_PASSWORD });
    expect(signedIn.id).toBe(user.id);
  });

  it("says the same thing for a wrong password and an unknown email", async () => {
    const user = await makeUser(getDb());
    await expect(signInWithPassword(getDb(), { email: user.email, password: "wrong password" })).rejects.toThrow(WRONG_CREDENTIALS);
    await expect(signInWithPassword(getDb(), { email: "nobody@example.test", password: "wrong password" })).rejects.toThrow(
      WRONG_CREDENTIALS,
    );
  });

  it("locks an account after repeated failures, even for the right password, until the lock expires", async () => {
    const user = await makeUser(getDb());
    const now = new Date("2026-11-22T10:00:00Z");
    for (let i = 0; i < throttlePolicy.maxFailuresPerEmail; i++) {
      await expect(signInWithPassword(getDb(), { email: user.email, password: `guess ${i}` }, now)).rejects.toThrow(WRONG_CREDENTIALS);
    }
    await expect(signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD }, now)).rejects.toThrow(
      /Too many failed sign-ins. Try again in 15 minutes/,
    );
    const later = new Date(now.getTime() + (throttlePolicy.lockMinutes + 1) * 60_000);
    expect((await signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD }, later)).id).toBe(user.id);
  });

  it("forgets old failures: the count restarts after the window", async () => {
    const user = await makeUser(getDb());
    const start = new Date("2026-11-22T10:00:00Z");
    for (let i = 0; i < throttlePolicy.maxFailuresPerEmail - 1; i++) {
      await signInWithPassword(getDb(), { email: user.email, password: "wrong" }, start).catch(() => {});
    }
    const afterWindow = new Date(start.getTime() + (throttlePolicy.windowMinutes + 1) * 60_000);
    await signInWithPassword(getDb(), { email: user.email, password: "wrong" }, afterWindow).catch(() => {});
    expect((await signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD }, afterWindow)).id).toBe(user.id);
  });

  it("limits one client address trying many accounts", async () => {
    const now = new Date("2026-11-22T10:00:00Z");
    const address = "203.0.113.9";
    for (let i = 0; i < throttlePolicy.maxFailuresPerAddress; i++) {
      await signInWithPassword(getDb(), { email: `victim${i}@example.test`, password: "wrong", address }, now).catch(() => {});
    }
    const user = await makeUser(getDb());
    await expect(signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD, address }, now)).rejects.toThrow(/Too many/);
    expect((await signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD, address: "198.51.100.7" }, now)).id).toBe(user.id);
  });

  it("evaluates no more than the limit of simultaneous wrong passwords", async () => {
    const user = await makeUser(getDb());
    const attempts = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => signInWithPassword(getDb(), { email: user.email, password: `guess ${i}` })),
    );
    const reasons = attempts.map((attempt) => (attempt.status === "rejected" ? (attempt.reason as Error).message : "signed in"));
    // Only attempts that were evaluated answer "wrong password"; the others were refused by the throttle.
    expect(reasons.filter((reason) => reason === WRONG_CREDENTIALS)).toHaveLength(throttlePolicy.maxFailuresPerEmail);
    expect(reasons.filter((reason) => /Too many failed sign-ins/.test(reason))).toHaveLength(60 - throttlePolicy.maxFailuresPerEmail);
    await expect(signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD })).rejects.toThrow(/Too many/);
  });

  it("does not count a successful sign-in against its address", async () => {
    const address = "203.0.113.10";
    const user = await makeUser(getDb());
    for (let i = 0; i < throttlePolicy.maxFailuresPerAddress + 5; i++) {
      await signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD, address });
    }
    await signInWithPassword(getDb(), { email: "nobody@example.test", password: "wrong", address }).catch(() => {});
    expect((await signInWithPassword(getDb(), { email: user.email, password: TEST_PASSWORD, address })).id).toBe(user.id);
  });
});
