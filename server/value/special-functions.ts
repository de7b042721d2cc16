// Special functions for the customer-value models: log-gamma, digamma, log-beta,
// log-sum-exp and the Gaussian hypergeometric function 2F1 for real arguments.
// The likelihoods are sums of ratios of gamma functions that overflow long before
// the data get large (Γ(172) is already Infinity), so everything works in logs.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln|Γ(x)|; Infinity at the poles (0, -1, -2, ...). Lanczos (g = 7), about 1e-15 relative. */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * ln Γ(x + a) − ln Γ(x) for x > 0, a ≥ 0. Below x = 1e4 the difference of the two log-gammas;
 * above it Stirling's series differenced term by term,
 * (x − ½) log1p(a/x) + a ln(x + a) − a + 1/(12(x + a)) − 1/(12x), whose next term is below
 * 1e-22. Differencing two log-gammas of x = 1e30 loses every digit (each is ≈ 7e31, rounded to
 * ≈ 1e16), and a likelihood whose shape parameter runs off to infinity needs the difference there.
 */
export function logGammaRatio(x: number, a: number): number {
  if (x < 1e4) return logGamma(x + a) - logGamma(x);
  return (x - 0.5) * Math.log1p(a / x) + a * Math.log(x + a) - a + 1 / (12 * (x + a)) - 1 / (12 * x);
}

/**
 * ψ(x + a) − ψ(x) for x > 0, a ≥ 0. Below x = 1e3 the difference of the two digammas; above
 * it the asymptotic series ln z − 1/(2z) − 1/(12z²) + 1/(120z⁴) differenced term by term (the
 * first as log1p(a/x)), so that a difference of order a/x keeps its digits when x is huge.
 */
export function digammaDifference(x: number, a: number): number {
  if (x < 1e3) return digamma(x + a) - digamma(x);
  const y = x + a;
  return (
    Math.log1p(a / x) +
    (1 / x - 1 / y) / 2 +
    (1 / (x * x) - 1 / (y * y)) / 12 -
    (1 / x ** 4 - 1 / y ** 4) / 120
  );
}

/** The sign of Γ(x): +1 for x > 0, alternating between the poles below 0. */
export function gammaSign(x: number): 1 | -1 {
  if (x > 0) return 1;
  return Math.ceil(-x) % 2 === 1 ? -1 : 1;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ψ(x) = d/dx ln Γ(x): recurrence up to x ≥ 6, then the asymptotic series. */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN;
    // Reflection: ψ(1-x) - ψ(x) = π cot(πx).
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let result = 0;
  while (x < 6) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    result +
    Math.log(x) -
    0.5 * inv -
    inv2 *
      (1 / 12 -
        inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))))
  );
}

/** ln(e^a + e^b) without overflow; -Infinity stands for a zero term. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const max = a > b ? a : b;
  return max + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln Σ e^(values[i]) without overflow. */
export function logSumExp(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

// --- Gaussian hypergeometric function --------------------------------------

// hyp2f1-gradient.ts takes the same branches with the same constants, so that its value is
// this one's and its derivatives are those of the function computed here.

/** Relative size of the last term at which a series is considered summed. */
export const SERIES_TOLERANCE = 1e-16;
/** Above this z the power series converges too slowly: use the 1 - z transformation. */
export const DIRECT_SERIES_LIMIT = 0.9;
/** Closer than this to an integer, c - a - b makes the 1 - z transformation cancel badly. */
export const INTEGER_GAP = 1e-4;
/** Up to this z the power series is summed instead when c - a - b is within INTEGER_GAP of an integer. */
export const NEAR_INTEGER_SERIES_LIMIT = 0.999;
/** Half-width of the interpolation across an integer c - a - b (error about h², loss about 1/h). */
export const INTERPOLATION_HALF_WIDTH = 1e-5;
/**
 * The connection formula's two terms can be far larger than their sum: for 2F1(1, b; b+B; z)
 * with b large each grows like z^-(c-1) while the sum stays below (c-1)/(B-1) (Pareto/NBD with
 * r + x or s in the hundreds, say). Their sizes over the sum's is the factor lost to rounding.
 * Beyond 1e3 (13 of 16 digits left) the power series is summed instead up to z = 0.95 (about
 * 750 terms; a likelihood takes it at every distinct history); closer to 1, where it would take
 * too many, beyond 1e10 (six digits left) the result is NaN rather than a wrong number.
 */
export const CANCELLATION_FOR_SERIES = 1e3;
export const CANCELLATION_SERIES_LIMIT = 0.95;
export const CANCELLATION_LIMIT = 1e10;

/** Σ (a)_n (b)_n / ((c)_n n!) z^n, summed until the terms stop mattering. */
function hyp2f1Series(a: number, b: number, c: number, z: number, maxTerms = 1_000_000): number {
  let term = 1;
  let sum = 1;
  let small = 0;
  for (let n = 0; n < maxTerms; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (term === 0) return sum;
    // An optimiser's trial step can make the terms overflow: no later term brings the sum back.
    if (!Number.isFinite(sum)) return sum;
    // Two tiny terms in a row: a single one can be a near-zero factor (a + n ≈ 0).
    if (Math.abs(term) <= SERIES_TOLERANCE * Math.abs(sum)) {
      if (++small >= 2) return sum;
    } else small = 0;
  }
  return sum;
}

/** Γ(c)Γ(d) / (Γ(e)Γ(f)); 0 when a denominator is at a pole. */
export function gammaRatio(c: number, d: number, e: number, f: number): number {
  for (const x of [e, f]) if (x <= 0 && Number.isInteger(x)) return 0;
  const sign = gammaSign(c) * gammaSign(d) * gammaSign(e) * gammaSign(f);
  return sign * Math.exp(logGamma(c) + logGamma(d) - logGamma(e) - logGamma(f));
}

/**
 * 2F1(a, b; c; z) for real parameters and real z < 1 (and z = 1 when c - a - b > 0).
 *
 * - 0 ≤ z ≤ 0.9: the power series, which converges at least like 0.9^n.
 * - z < 0: Pfaff's transformation 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)),
 *   which maps z into [0, 1).
 * - 0.9 < z < 1: the connection formula in 1 - z (Abramowitz & Stegun 15.3.6), whose two
 *   series converge like 0.1^n. It divides by Γ(c-a-b)-type poles when c - a - b is an
 *   integer, so within 1e-4 of one the power series is summed instead (z ≤ 0.999, up to
 *   about 40,000 terms); closer to 1 than that and within 1e-5 of the integer the value is
 *   interpolated linearly between the two points where c - a - b sits 1e-5 either side of
 *   the integer (relative error about 1e-9; 1e-4 to 1e-5 away the formula loses at most
 *   five digits to cancellation). Where its two terms cancel beyond 1e3 of their sum (large
 *   parameters), the power series is summed instead up to z = 0.95, and beyond 1e10 closer
 *   to 1 the result is NaN (see CANCELLATION_FOR_SERIES).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (c <= 0 && Number.isInteger(c)) return NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z > 1) return NaN;
  if (z < 0) {
    const w = z / (z - 1);
    return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, w);
  }
  const s = c - a - b;
  if (z === 1) return s > 0 ? gammaRatio(c, s, c - a, c - b) : Infinity;
  if (z <= DIRECT_SERIES_LIMIT) return hyp2f1Series(a, b, c, z);

  const nearest = Math.round(s);
  const gap = s - nearest;
  if (Math.abs(gap) < INTEGER_GAP && z <= NEAR_INTEGER_SERIES_LIMIT) return hyp2f1Series(a, b, c, z);
  if (Math.abs(gap) < INTERPOLATION_HALF_WIDTH) {
    // Shift b so that c - a - b sits at nearest ± h, and interpolate.
    const h = INTERPOLATION_HALF_WIDTH;
    const below = withinPrecision(hyp2f1Near1(a, b + gap + h, c, z));
    const above = withinPrecision(hyp2f1Near1(a, b + gap - h, c, z));
    return below + ((gap + h) / (2 * h)) * (above - below);
  }
  const near1 = hyp2f1Near1(a, b, c, z);
  if (near1.cancellation > CANCELLATION_FOR_SERIES && z <= CANCELLATION_SERIES_LIMIT) return hyp2f1Series(a, b, c, z);
  return withinPrecision(near1);
}

/** The connection formula's value, or NaN where its terms cancel beyond CANCELLATION_LIMIT. */
const withinPrecision = ({ value, cancellation }: { value: number; cancellation: number }) =>
  cancellation > CANCELLATION_LIMIT ? NaN : value;

/**
 * The connection formula in 1 - z (c - a - b not an integer), with its cancellation: the sum
 * of its two terms' sizes over the size of their sum.
 */
function hyp2f1Near1(a: number, b: number, c: number, z: number) {
  const s = c - a - b;
  const w = 1 - z;
  const first = gammaRatio(c, s, c - a, c - b);
  const second = gammaRatio(c, -s, a, b);
  const firstTerm = first !== 0 ? first * hyp2f1Series(a, b, 1 - s, w) : 0;
  const secondTerm = second !== 0 ? second * Math.pow(w, s) * hyp2f1Series(c - a, c - b, s + 1, w) : 0;
  const value = firstTerm + secondTerm;
  return { value, cancellation: (Math.abs(firstTerm) + Math.abs(secondTerm)) / Math.abs(value) };
}
