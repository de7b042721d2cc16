import { logBeta } from "~/server/value/special-functions";

// The statistics of a journey's Impact tab (docs/journeys.md "Measuring impact"):
// a difference in means with Welch's t interval, a difference in proportions
// with Newcombe's hybrid Wilson score interval, and the sample size a 5 % lift
// needs at 80 % power and a two-sided α of 0.05. Pure: the figures come in as
// counts and sums, which is what one SQL aggregate returns.

/** Count, sum and sum of squares of one group's values. */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface Interval {
  /** Treatment minus holdout. */
  difference: number;
  low: number;
  high: number;
}

export const CONFIDENCE = 0.95;
/** The lift a "how many more entrants" sentence is about, relative to the holdout's level. */
export const DETECTABLE_LIFT = 0.05;
export const POWER = 0.8;

export function mean(m: Moments): number {
  return m.n > 0 ? m.sum / m.n : 0;
}

/** The sample variance (n − 1 in the denominator); 0 below two values. */
export function variance(m: Moments): number {
  if (m.n < 2) return 0;
  // Sums of squares of large money figures lose a little to rounding: never below zero.
  return Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
}

/**
 * The regularised incomplete beta function I_x(a, b), by its continued fraction
 * (modified Lentz), on the side where it converges fast.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b)) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    let numerator: number;
    if (i === 0) numerator = 1;
    else if (i % 2 === 0) numerator = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    const step = c * d;
    f *= step;
    if (Math.abs(1 - step) < 1e-14) break;
  }
  return front * (f - 1);
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** The t quantile for probability p > 0.5, by bisection on the CDF (60 halvings: far below display precision). */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0;
  let high = Math.max(1, normalQuantile(p));
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

export interface WelchInterval extends Interval {
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
}

/**
 * The 95 % interval of mean(treatment) − mean(holdout) by Welch's t: the
 * standard error √(s₁²/n₁ + s₂²/n₂), and the Welch–Satterthwaite degrees of
 * freedom (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)). Null
 * below two values on either side.
 */
export function welchInterval(
  treatment: Moments,
  holdout: Moments,
  confidence = CONFIDENCE,
): WelchInterval | null {
  if (treatment.n < 2 || holdout.n < 2) return null;
  const v1 = variance(treatment) / treatment.n;
  const v2 = variance(holdout) / holdout.n;
  const difference = mean(treatment) - mean(holdout);
  const standardError = Math.sqrt(v1 + v2);
  const df =
    v1 + v2 === 0
      ? treatment.n + holdout.n - 2
      : (v1 + v2) ** 2 / (v1 ** 2 / (treatment.n - 1) + v2 ** 2 / (holdout.n - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  return {
    difference,
    low: difference - t * standardError,
    high: difference + t * standardError,
    standardError,
    df,
  };
}

/** Wilson's score interval of the proportion x / n. */
export function wilsonInterval(x: number, n: number, confidence = CONFIDENCE): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The 95 % interval of p₁ − p₂ by Newcombe's hybrid score method (his method
 * 10, 1998): with each proportion's Wilson interval (l, u),
 * low = d − √((p₁ − l₁)² + (u₂ − p₂)²) and high = d + √((u₁ − p₁)² + (p₂ − l₂)²).
 * Null with nobody on either side.
 */
export function newcombeInterval(
  treatment: { x: number; n: number },
  holdout: { x: number; n: number },
  confidence = CONFIDENCE,
): Interval | null {
  if (treatment.n === 0 || holdout.n === 0) return null;
  const p1 = treatment.x / treatment.n;
  const p2 = holdout.x / holdout.n;
  const w1 = wilsonInterval(treatment.x, treatment.n, confidence);
  const w2 = wilsonInterval(holdout.x, holdout.n, confidence);
  const difference = p1 - p2;
  return {
    difference,
    low: difference - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: difference + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/**
 * Entrants in all a two-sided test at α = 1 − confidence needs to detect a
 * difference `delta` with the given power, when a share `holdoutShare` is held
 * out and the two groups' variances are those given:
 * N = (z₁₋α/₂ + z_power)² · (σ_t²/(1 − h) + σ_h²/h) / δ².
 * Null when it cannot be said (no difference to detect, no holdout, no variance).
 */
export function entrantsNeeded(input: {
  delta: number;
  treatmentVariance: number;
  holdoutVariance: number;
  holdoutShare: number;
  power?: number;
  confidence?: number;
}): number | null {
  const { delta, treatmentVariance, holdoutVariance, holdoutShare } = input;
  if (!(Math.abs(delta) > 0) || !(holdoutShare > 0 && holdoutShare < 1)) return null;
  const spread = treatmentVariance / (1 - holdoutShare) + holdoutVariance / holdoutShare;
  if (!(spread > 0)) return null;
  const z =
    normalQuantile(1 - (1 - (input.confidence ?? CONFIDENCE)) / 2) + normalQuantile(input.power ?? POWER);
  return Math.ceil((z * z * spread) / (delta * delta));
}
