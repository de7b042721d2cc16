// The Gaussian hypergeometric function 2F1(a, b; c; z) with its partial derivatives in a, b,
// c and z, for likelihoods whose gradient runs through 2F1 (Pareto/NBD). It takes every
// branch `hyp2f1` takes, with the same constants, so its value is hyp2f1's to the bit and its
// derivatives are those of the function hyp2f1 computes: the power series differentiated
// term by term, the connection formula in 1 - z by the product rule (the gamma ratios through
// digamma), the interpolation across an integer c - a - b as the straight line it is.

import {
  CANCELLATION_FOR_SERIES,
  CANCELLATION_LIMIT,
  CANCELLATION_SERIES_LIMIT,
  DIRECT_SERIES_LIMIT,
  INTEGER_GAP,
  INTERPOLATION_HALF_WIDTH,
  NEAR_INTEGER_SERIES_LIMIT,
  SERIES_TOLERANCE,
  digamma,
  gammaRatio,
} from "./special-functions";

export interface Hyp2f1WithGradient {
  value: number;
  /** ∂/∂a, ∂/∂b, ∂/∂c and ∂/∂z of 2F1(a, b; c; z). */
  da: number;
  db: number;
  dc: number;
  dz: number;
}

const undefinedAt = (value: number): Hyp2f1WithGradient => ({ value, da: NaN, db: NaN, dc: NaN, dz: NaN });

/**
 * The power series Σ t_n with t_n = (a)_n (b)_n / ((c)_n n!) z^n and its derivatives, for
 * 0 < z < 1. Each term's derivatives follow from the previous term's through the ratio
 * t_{n+1} / t_n = (a+n)(b+n) z / ((c+n)(n+1)), written as products rather than logarithmic
 * derivatives so that a + n = 0 (a terminating series) needs no case of its own; ∂t_n/∂z is
 * n t_n / z. The value is summed and stopped exactly as hyp2f1's series is; the derivatives,
 * whose terms carry an extra factor growing like ln n or n, go on until their own terms
 * stop mattering.
 */
function seriesWithGradient(a: number, b: number, c: number, z: number, maxTerms = 1_000_000) {
  let term = 1;
  let sum = 1;
  let small = 0;
  let valueDone = false;
  // ∂t_n/∂a, ∂t_n/∂b, ∂t_n/∂c, and their sums; zSum is Σ n t_n (∂/∂z once divided by z).
  let termA = 0;
  let termB = 0;
  let termC = 0;
  let sumA = 0;
  let sumB = 0;
  let sumC = 0;
  let zSum = 0;
  let smallDerivatives = 0;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    const perFactor = z / ((c + n) * (n + 1));
    termA = termA * ratio + term * (b + n) * perFactor;
    termB = termB * ratio + term * (a + n) * perFactor;
    termC = (termC - term / (c + n)) * ratio;
    term *= ratio;
    const termZ = (n + 1) * term;
    sumA += termA;
    sumB += termB;
    sumC += termC;
    zSum += termZ;
    if (!valueDone) {
      sum += term;
      if (term === 0) valueDone = true;
      // An optimiser's trial step can make the terms overflow: no later term brings the sum back.
      else if (!Number.isFinite(sum)) return undefinedAt(sum);
      // Two tiny terms in a row: a single one can be a near-zero factor (a + n ≈ 0).
      else if (Math.abs(term) <= SERIES_TOLERANCE * Math.abs(sum)) {
        if (++small >= 2) valueDone = true;
      } else small = 0;
    }
    const derivativesSmall =
      Math.abs(termA) <= SERIES_TOLERANCE * Math.abs(sumA) &&
      Math.abs(termB) <= SERIES_TOLERANCE * Math.abs(sumB) &&
      Math.abs(termC) <= SERIES_TOLERANCE * Math.abs(sumC) &&
      Math.abs(termZ) <= SERIES_TOLERANCE * Math.abs(zSum);
    smallDerivatives = derivativesSmall ? smallDerivatives + 1 : 0;
    if (valueDone && smallDerivatives >= 2) break;
  }
  if (!Number.isFinite(sumA + sumB + sumC + zSum)) return undefinedAt(sum);
  return { value: sum, da: sumA, db: sumB, dc: sumC, dz: zSum / z };
}

/**
 * The connection formula in 1 - z (hyp2f1Near1), with s = c - a - b and w = 1 - z:
 *   Γ(c)Γ(s)/(Γ(c-a)Γ(c-b)) · 2F1(a, b; 1-s; w) + Γ(c)Γ(-s)/(Γ(a)Γ(b)) · w^s · 2F1(c-a, c-b; s+1; w).
 * Each product is differentiated as factor × (∂ ln|factor| × series + ∂ series), the gamma
 * ratios' logarithmic derivatives being sums of digammas; the inner series' parameters
 * depend on a, b and c, hence their partials' combinations below.
 */
function near1WithGradient(a: number, b: number, c: number, z: number) {
  const s = c - a - b;
  const w = 1 - z;
  const first = gammaRatio(c, s, c - a, c - b);
  const second = gammaRatio(c, -s, a, b);
  let firstTerm = 0;
  let secondTerm = 0;
  let da = 0;
  let db = 0;
  let dc = 0;
  let dz = 0;
  if (first !== 0) {
    // 2F1(a, b; a + b - c + 1; w)
    const inner = seriesWithGradient(a, b, 1 - s, w);
    firstTerm = first * inner.value;
    const psiS = digamma(s);
    const psiCA = digamma(c - a);
    const psiCB = digamma(c - b);
    da += first * ((psiCA - psiS) * inner.value + inner.da + inner.dc);
    db += first * ((psiCB - psiS) * inner.value + inner.db + inner.dc);
    dc += first * ((digamma(c) + psiS - psiCA - psiCB) * inner.value - inner.dc);
    dz -= first * inner.dz;
  }
  if (second !== 0) {
    // w^s · 2F1(c - a, c - b; c - a - b + 1; w)
    const factor = second * Math.pow(w, s);
    const inner = seriesWithGradient(c - a, c - b, s + 1, w);
    secondTerm = factor * inner.value;
    const logW = Math.log(w);
    const psiMinusS = digamma(-s);
    da += factor * ((psiMinusS - digamma(a) - logW) * inner.value - inner.da - inner.dc);
    db += factor * ((psiMinusS - digamma(b) - logW) * inner.value - inner.db - inner.dc);
    dc += factor * ((digamma(c) - psiMinusS + logW) * inner.value + inner.da + inner.db + inner.dc);
    dz += factor * ((-s / w) * inner.value - inner.dz);
  }
  const value = firstTerm + secondTerm;
  const cancellation = (Math.abs(firstTerm) + Math.abs(secondTerm)) / Math.abs(value);
  return { value, da, db, dc, dz, cancellation };
}

/** As hyp2f1's withinPrecision: NaN where the connection formula's terms cancel beyond CANCELLATION_LIMIT. */
const withinPrecision = ({ cancellation, ...result }: Hyp2f1WithGradient & { cancellation: number }) =>
  cancellation > CANCELLATION_LIMIT ? undefinedAt(NaN) : result;

/**
 * 2F1(a, b; c; z) and its partial derivatives, for real parameters and real z ≤ 1, through
 * the branches of `hyp2f1` (see there). NaN where hyp2f1 is undefined; at z = 1 the
 * derivative in z is Infinity unless c - a - b > 1, and where a gamma function of the
 * parameters sits at a pole some derivatives are NaN.
 */
export function hyp2f1WithGradient(a: number, b: number, c: number, z: number): Hyp2f1WithGradient {
  if (c <= 0 && Number.isInteger(c)) return undefinedAt(NaN);
  if (z === 0) return { value: 1, da: 0, db: 0, dc: 0, dz: (a * b) / c };
  if (z > 1) return undefinedAt(NaN);
  if (a === 0 || b === 0) {
    // hyp2f1 returns 1 here without summing; the derivative in the zero parameter is not 0.
    const result = z < 0 || z === 1 ? general(a, b, c, z) : seriesWithGradient(a, b, c, z);
    return { ...result, value: 1 };
  }
  return general(a, b, c, z);
}

function general(a: number, b: number, c: number, z: number): Hyp2f1WithGradient {
  if (z < 0) {
    // Pfaff: (1-z)^-a 2F1(a, c-b; c; w) with w = z/(z-1), dw/dz = -1/(z-1)².
    const w = z / (z - 1);
    const factor = Math.pow(1 - z, -a);
    const inner = hyp2f1WithGradient(a, c - b, c, w);
    return {
      value: factor * inner.value,
      da: factor * (inner.da - Math.log1p(-z) * inner.value),
      db: -factor * inner.db,
      dc: factor * (inner.db + inner.dc),
      dz: factor * ((a / (1 - z)) * inner.value - inner.dz / ((z - 1) * (z - 1))),
    };
  }
  const s = c - a - b;
  if (z === 1) {
    // Gauss: Γ(c)Γ(s)/(Γ(c-a)Γ(c-b)); d/dz 2F1 = ab/c · 2F1(a+1, b+1; c+1; z), finite at 1 when s > 1.
    if (!(s > 0)) return undefinedAt(Infinity);
    const value = gammaRatio(c, s, c - a, c - b);
    const psiS = digamma(s);
    const psiCA = digamma(c - a);
    const psiCB = digamma(c - b);
    return {
      value,
      da: value * (psiCA - psiS),
      db: value * (psiCB - psiS),
      dc: value * (digamma(c) + psiS - psiCA - psiCB),
      dz: s > 1 ? ((a * b) / c) * gammaRatio(c + 1, s - 1, c - a + 1, c - b + 1) : Infinity,
    };
  }
  if (z <= DIRECT_SERIES_LIMIT) return seriesWithGradient(a, b, c, z);

  const nearest = Math.round(s);
  const gap = s - nearest;
  if (Math.abs(gap) < INTEGER_GAP && z <= NEAR_INTEGER_SERIES_LIMIT) return seriesWithGradient(a, b, c, z);
  if (Math.abs(gap) < INTERPOLATION_HALF_WIDTH) {
    // hyp2f1 interpolates between the formula at b + gap ± h, i.e. at b' = c - a - nearest ± h,
    // with weight (gap + h)/(2h). The two points move with a (∂b'/∂a = -1) and c (∂b'/∂c = 1),
    // not with b, which enters through the weight alone (∂gap/∂a = ∂gap/∂b = -1, ∂gap/∂c = 1).
    const h = INTERPOLATION_HALF_WIDTH;
    const below = withinPrecision(near1WithGradient(a, b + gap + h, c, z));
    const above = withinPrecision(near1WithGradient(a, b + gap - h, c, z));
    const weight = (gap + h) / (2 * h);
    const along = (lower: number, upper: number) => lower + weight * (upper - lower);
    const slope = (above.value - below.value) / (2 * h);
    return {
      value: below.value + weight * (above.value - below.value),
      da: along(below.da - below.db, above.da - above.db) - slope,
      db: -slope,
      dc: along(below.dc + below.db, above.dc + above.db) + slope,
      dz: along(below.dz, above.dz),
    };
  }
  const near1 = near1WithGradient(a, b, c, z);
  if (near1.cancellation > CANCELLATION_FOR_SERIES && z <= CANCELLATION_SERIES_LIMIT)
    return seriesWithGradient(a, b, c, z);
  return withinPrecision(near1);
}
