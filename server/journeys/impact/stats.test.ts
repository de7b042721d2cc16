import { describe, expect, it } from "vitest";
import {
  entrantsNeeded,
  mean,
  newcombeInterval,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  variance,
  welchInterval,
  wilsonInterval,
  type Moments,
} from "./stats";

const moments = (values: number[]): Moments => ({
  n: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  sumSquares: values.reduce((a, b) => a + b * b, 0),
});

describe("distributions", () => {
  it("knows the textbook quantiles", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    // Student's t tables: t(0.975; 10) = 2.228139, t(0.975; 1) = 12.706205, t(0.975; 4) = 2.776445.
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706205, 4);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5);
    // With fractional degrees of freedom, as Welch's are (reference: scipy.stats.t.ppf(0.975, 2.5)).
    expect(studentTQuantile(0.975, 2.5)).toBeCloseTo(3.574655, 4);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228139, 5);
    // t with 1 df is Cauchy: P(T ≤ 1) = 1/2 + atan(1)/π = 0.75.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 10);
    // With many degrees of freedom t is the normal.
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
  });
});

describe("Welch's t interval", () => {
  it("matches the hand computation", () => {
    // Treatment 3, 5, 7, 9: mean 6; squared deviations 9 + 1 + 1 + 9 = 20, s² = 20/3.
    // Holdout 1, 2, 3: mean 2; squared deviations 1 + 0 + 1 = 2, s² = 1.
    // s₁²/n₁ = (20/3)/4 = 5/3, s₂²/n₂ = 1/3; standard error √(5/3 + 1/3) = √2.
    // df = 2² / ((5/3)²/3 + (1/3)²/2) = 4 / (25/27 + 1/18) = 4 / (53/54) = 216/53 = 4.07547.
    // t(0.975; 4.07547) = 2.756285, so 4 ± 2.756285 · √2 = 4 ± 3.897975: 0.102025 to 7.897975.
    const t = moments([3, 5, 7, 9]);
    const h = moments([1, 2, 3]);
    expect(mean(t)).toBe(6);
    expect(variance(t)).toBeCloseTo(20 / 3, 12);
    const interval = welchInterval(t, h)!;
    expect(interval.difference).toBe(4);
    expect(interval.standardError).toBeCloseTo(Math.SQRT2, 12);
    expect(interval.df).toBeCloseTo(216 / 53, 10);
    expect(interval.low).toBeCloseTo(0.102025, 5);
    expect(interval.high).toBeCloseTo(7.897975, 5);
  });

  it("has no interval below two values on a side, and a point with no spread", () => {
    expect(welchInterval(moments([1]), moments([1, 2]))).toBeNull();
    const flat = welchInterval(moments([2, 2, 2]), moments([1, 1]))!;
    expect([flat.low, flat.difference, flat.high]).toEqual([1, 1, 1]);
  });
});

describe("Wilson and Newcombe intervals", () => {
  it("matches the hand computation of a Wilson interval", () => {
    // 12 of 40, z = 1.959964: p = 0.3, z² = 3.841459.
    // centre = (0.3 + 3.841459/80) / (1 + 3.841459/40) = 0.348018 / 1.096036 = 0.317524.
    // half = (1.959964 / 1.096036) · √(0.21/40 + 3.841459/6400) = 1.788230 · 0.076487 = 0.136776.
    // 0.317524 ∓ 0.136776: 0.180748 to 0.454300.
    const w = wilsonInterval(12, 40);
    expect(w.low).toBeCloseTo(0.180748, 5);
    expect(w.high).toBeCloseTo(0.4543, 5);
  });

  it("reproduces Newcombe's published example", () => {
    // Newcombe (1998), Statistics in Medicine 17:873–890, table II example (a):
    // 56/70 − 48/80 = 0.2, method 10 interval 0.0524 to 0.3339.
    const interval = newcombeInterval({ x: 56, n: 70 }, { x: 48, n: 80 })!;
    expect(interval.difference).toBeCloseTo(0.2, 12);
    expect(interval.low).toBeCloseTo(0.0524, 4);
    expect(interval.high).toBeCloseTo(0.3339, 4);
  });

  it("matches the hand computation of a difference", () => {
    // 12/40 = 0.3 with Wilson (0.180748, 0.454300); 3/20 = 0.15 with Wilson (0.052369, 0.360419).
    // low = 0.15 − √((0.3 − 0.180748)² + (0.360419 − 0.15)²) = 0.15 − √(0.014221 + 0.044276) = 0.15 − 0.241862
    // high = 0.15 + √((0.454300 − 0.3)² + (0.15 − 0.052369)²) = 0.15 + √(0.023808 + 0.009532) = 0.15 + 0.182594
    const interval = newcombeInterval({ x: 12, n: 40 }, { x: 3, n: 20 })!;
    expect(interval.low).toBeCloseTo(-0.091862, 5);
    expect(interval.high).toBeCloseTo(0.332594, 5);
    expect(newcombeInterval({ x: 0, n: 0 }, { x: 1, n: 2 })).toBeNull();
  });
});

describe("entrants needed", () => {
  it("matches the hand computation", () => {
    // (z₀.₉₇₅ + z₀.₈)² = (1.959964 + 0.841621)² = 7.848880.
    // Equal variances 100 on both sides, 10 % held out, δ = 1:
    // N = 7.848880 · (100/0.9 + 100/0.1) / 1 = 7.848880 · 1111.111 = 8720.98 → 8,721.
    expect(
      entrantsNeeded({ delta: 1, treatmentVariance: 100, holdoutVariance: 100, holdoutShare: 0.1 }),
    ).toBe(8721);
    // Half held out: 7.848880 · (200 + 200) / 4 = 784.888 → 785 (the textbook 2 · 392.4 per group).
    expect(
      entrantsNeeded({ delta: 2, treatmentVariance: 100, holdoutVariance: 100, holdoutShare: 0.5 }),
    ).toBe(785);
  });

  it("cannot say without a holdout, a difference or any spread", () => {
    expect(
      entrantsNeeded({ delta: 1, treatmentVariance: 1, holdoutVariance: 1, holdoutShare: 0 }),
    ).toBeNull();
    expect(
      entrantsNeeded({ delta: 0, treatmentVariance: 1, holdoutVariance: 1, holdoutShare: 0.1 }),
    ).toBeNull();
    expect(
      entrantsNeeded({ delta: 1, treatmentVariance: 0, holdoutVariance: 0, holdoutShare: 0.1 }),
    ).toBeNull();
  });
});

/** A seeded generator (mulberry32), so each run is the same run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("a simulated journey with a known lift", () => {
  // 3,000 entrants, 10 % held out. A customer buys within the window with probability 0.20
  // (0.23 when sent the journey) and then spends an exponential amount with mean 50:
  // revenue per customer has mean 0.20 · 50 = 10 (holdout) and 0.23 · 50 = 11.5 (treatment),
  // a true lift of 1.5 per customer and of 0.03 in the share who buy. Skewed, zero-heavy
  // money like real purchases.
  const ENTRANTS = 3_000;
  const runs = Array.from({ length: 100 }, (_, i) => {
    const next = random(1000 + i);
    const revenue = { treatment: [] as number[], holdout: [] as number[] };
    const bought = { treatment: { x: 0, n: 0 }, holdout: { x: 0, n: 0 } };
    for (let c = 0; c < ENTRANTS; c++) {
      const side = next() < 0.1 ? "holdout" : "treatment";
      const buys = next() < (side === "holdout" ? 0.2 : 0.23);
      const amount = buys ? -50 * Math.log(1 - next()) : 0;
      revenue[side].push(amount);
      bought[side].n += 1;
      if (buys) bought[side].x += 1;
    }
    return {
      welch: welchInterval(moments(revenue.treatment), moments(revenue.holdout))!,
      newcombe: newcombeInterval(bought.treatment, bought.holdout)!,
    };
  });

  it("covers the true revenue lift with Welch's interval in at least 93 of 100 runs", () => {
    const covered = runs.filter((r) => r.welch.low <= 1.5 && 1.5 <= r.welch.high).length;
    expect(covered).toBeGreaterThanOrEqual(93);
  });

  it("covers the true conversion lift with Newcombe's interval in at least 93 of 100 runs", () => {
    const covered = runs.filter((r) => r.newcombe.low <= 0.03 && 0.03 <= r.newcombe.high).length;
    expect(covered).toBeGreaterThanOrEqual(93);
  });

  it("is not a test that always passes: a biased interval fails it", () => {
    // Centred on the observed difference minus one standard error, the interval misses often.
    const covered = runs.filter(
      (r) => r.welch.low - r.welch.standardError <= 1.5 && 1.5 <= r.welch.high - r.welch.standardError,
    ).length;
    expect(covered).toBeLessThan(93);
  });
});
