// Double-exponential quadrature (Takahasi & Mori 1974) for the tests that check the
// models' closed forms against their definitions as integrals over the customers'
// unobserved rates and probabilities. The substitutions crowd the nodes towards the ends
// of the interval so fast that integrable end-point singularities (λ^(r-1) with r < 1,
// p^(a-1) with a < 1) cost no accuracy; the trapezoid rule in the new variable then
// converges faster than any power of the step.

/** Nodes t = k·h for |t| ≤ 4.5: beyond that the weights underflow or the nodes reach the ends. */
const LIMIT = 4.5;

/**
 * ∫₀¹ f(p, 1-p) dp by tanh-sinh: p = σ(π sinh t), with σ the logistic function. f receives
 * 1 - p computed separately so that the far end keeps its precision.
 */
export function integrateUnit(f: (p: number, q: number) => number, step = 1 / 64): number {
  let sum = 0;
  for (let t = -LIMIT; t <= LIMIT + 1e-12; t += step) {
    const u = Math.PI * Math.sinh(t);
    const p = 1 / (1 + Math.exp(-u));
    const q = 1 / (1 + Math.exp(u));
    if (p === 0 || q === 0) continue;
    const weight = Math.PI * Math.cosh(t) * p * q;
    sum += weight * f(p, q);
  }
  return sum * step;
}

/** ∫₀^∞ f(λ) dλ by exp-sinh: λ = exp((π/2) sinh t). */
export function integrateHalfLine(f: (lambda: number) => number, step = 1 / 64): number {
  let sum = 0;
  for (let t = -LIMIT; t <= LIMIT + 1e-12; t += step) {
    const lambda = Math.exp((Math.PI / 2) * Math.sinh(t));
    if (lambda === 0 || !Number.isFinite(lambda)) continue;
    const weight = lambda * (Math.PI / 2) * Math.cosh(t);
    const value = f(lambda);
    if (value !== 0) sum += weight * value;
  }
  return sum * step;
}

/** ∫ₐᵇ f(y) dy, by the unit-interval rule. */
export function integrateInterval(f: (y: number) => number, from: number, to: number, step = 1 / 64): number {
  const width = to - from;
  return width * integrateUnit((p, q) => f(p <= 0.5 ? from + width * p : to - width * q), step);
}
