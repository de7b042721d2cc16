import { expect, it } from "vitest";
import { MessageRateLimiter } from "./rate-limit";

function limiterAt(perSecond: number, burst: number) {
  let now = 0;
  const limiter = new MessageRateLimiter({ perSecond, burst }, () => now);
  return { limiter, advance: (ms: number) => void (now += ms) };
}

it("lets a burst through, then the rate, and says when to retry", () => {
  const { limiter, advance } = limiterAt(100, 250);
  expect(limiter.take("k", 100)).toEqual({ ok: true });
  expect(limiter.take("k", 100)).toEqual({ ok: true });
  // 50 left: a batch of 100 needs half a second more, announced as a whole second.
  expect(limiter.take("k", 100)).toEqual({ ok: false, retryAfterSeconds: 1 });
  advance(400);
  expect(limiter.take("k", 100)).toEqual({ ok: false, retryAfterSeconds: 1 });
  advance(100);
  expect(limiter.take("k", 100)).toEqual({ ok: true });
  // A refused request spends nothing: the bucket is empty, not in debt.
  expect(limiter.take("k", 1)).toEqual({ ok: false, retryAfterSeconds: 1 });
  advance(10_000);
  // Refills to the burst, no further.
  expect(limiter.take("k", 250)).toEqual({ ok: true });
  expect(limiter.take("k", 1).ok).toBe(false);
});

it("counts messages per key, and a request of none costs one", () => {
  const { limiter } = limiterAt(1, 3);
  expect(limiter.take("a", 3).ok).toBe(true);
  expect(limiter.take("a", 1).ok).toBe(false);
  expect(limiter.take("b", 0).ok).toBe(true);
  expect(limiter.take("b", 2).ok).toBe(true);
  expect(limiter.take("b", 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
});

it("takes a request larger than the burst when the bucket is full, and waits for the debt", () => {
  const { limiter, advance } = limiterAt(10, 20);
  expect(limiter.take("k", 50)).toEqual({ ok: true });
  // 30 in debt: 20 more needed for a full bucket takes 5 s.
  expect(limiter.take("k", 20)).toEqual({ ok: false, retryAfterSeconds: 5 });
  advance(5_000);
  expect(limiter.take("k", 20).ok).toBe(true);
});

it("limits nothing at a rate of 0", () => {
  const { limiter } = limiterAt(0, 1);
  for (let i = 0; i < 5; i++) expect(limiter.take("k", 1_000_000).ok).toBe(true);
});
