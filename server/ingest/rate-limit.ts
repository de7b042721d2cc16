// Per-write-key limits of the tracking API: a token bucket per key that fills
// at `perSecond` messages a second up to `burst`. A request costs one token per
// message (a batch of 100 costs 100), at least one. The buckets live in this
// process: one process serves the API, and Node runs each `take` to its end
// before the next, so concurrent requests cannot both spend the same tokens.

export interface RateLimit {
  /** Messages a second a key may send, on average; 0 for no limit. */
  perSecond: number;
  /** Messages a key may send at once after a quiet spell. */
  burst: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full ones (keys quiet long enough to have refilled) are dropped. */
const PRUNE_ABOVE = 10_000;

export class MessageRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled() {
    return this.limit.perSecond > 0;
  }

  /**
   * Spends `messages` tokens of `key`'s bucket, or says how long to wait.
   * A request larger than the burst is let through when the bucket is full and
   * leaves it in debt, so it can be sent at all and the average still holds.
   */
  take(key: string, messages: number): RateDecision {
    if (!this.enabled) return { ok: true };
    const { perSecond, burst } = this.limit;
    const cost = Math.max(1, messages);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    const needed = Math.min(cost, burst);
    if (bucket.tokens < needed) {
      this.buckets.set(key, bucket);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((needed - bucket.tokens) / perSecond)) };
    }
    bucket.tokens -= cost;
    this.buckets.set(key, bucket);
    if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
    return { ok: true };
  }

  private prune(now: number) {
    const { perSecond, burst } = this.limit;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
  }
}
