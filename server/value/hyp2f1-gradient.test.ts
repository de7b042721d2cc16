import { describe, expect, it } from "vitest";
import { hyp2f1WithGradient } from "./hyp2f1-gradient";
import { hyp2f1 } from "./special-functions";

/**
 * Central differences of hyp2f1 in a, b, c and z. `step` is relative to each parameter's size
 * (and, for z, to 1 - z, so the step never crosses z = 1); it must keep every shifted point
 * in the same branch of hyp2f1 as the centre.
 */
function differences(a: number, b: number, c: number, z: number, step: number) {
  const central = (f: (h: number) => number, h: number) => (f(h) - f(-h)) / (2 * h);
  const scaled = (v: number) => step * Math.max(1, Math.abs(v));
  const zStep = step * Math.min(Math.max(1, Math.abs(z)), 1 - z);
  return {
    da: central((h) => hyp2f1(a + h, b, c, z), scaled(a)),
    db: central((h) => hyp2f1(a, b + h, c, z), scaled(b)),
    dc: central((h) => hyp2f1(a, b, c + h, z), scaled(c)),
    dz: central((h) => hyp2f1(a, b, c, z + h), zStep),
  };
}

function expectGradient(a: number, b: number, c: number, z: number, step: number, relative: number) {
  const exact = hyp2f1WithGradient(a, b, c, z);
  // The value is hyp2f1's own, not merely close to it.
  expect(exact.value).toBe(hyp2f1(a, b, c, z));
  const approximate = differences(a, b, c, z, step);
  for (const key of ["da", "db", "dc", "dz"] as const) {
    const scale = Math.max(Math.abs(approximate[key]), Math.abs(exact.value));
    expect(Math.abs(exact[key] - approximate[key]), `${key} at (${a}, ${b}, ${c}, ${z})`).toBeLessThanOrEqual(
      relative * scale,
    );
  }
}

describe("hyp2f1WithGradient", () => {
  it("differentiates the power series (0 < z ≤ 0.9)", () => {
    for (const [a, b, c, z] of [
      [1, 2.3, 4.1, 0.5],
      [0.45, 1.2, 2.3, 0.9],
      [1, 12.6, 13.9, 0.85],
      [2.5, -1.7, 3.3, 0.3],
      // Pareto/NBD's shape: a = 1, c = b + B with B = s + 1 or r + x.
      [1, 0.5534 + 3, 0.5534 + 0.6061 + 3 + 1, 0.07],
    ] as const)
      expectGradient(a, b, c, z, 1e-6, 1e-8);
  });

  it("differentiates a terminating series in the parameter that ends it", () => {
    // 2F1(-2, b; c; z) is a polynomial, but its derivative in a is an infinite series.
    expectGradient(-2, 1.7, 3.1, 0.6, 1e-6, 1e-8);
  });

  it("differentiates the connection formula in 1 - z (0.9 < z < 1, c - a - b not near an integer)", () => {
    for (const [a, b, c, z] of [
      [0.45, 1.2, 2.3, 0.97],
      [1, 2.3, 3.7, 0.95],
      [1, 3.5534, 5.1595, 0.999],
      [0.7, 1.9, 2.1, 0.9999],
      // c - a - b < 0: the second term dominates.
      [1.5, 2.2, 2.9, 0.93],
    ] as const)
      expectGradient(a, b, c, z, 1e-6, 1e-7);
  });

  it("differentiates the series summed where the 1-z formula's terms cancel (large b)", () => {
    expectGradient(1, 489.8, 494.22, 0.904, 1e-6, 1e-7);
    expectGradient(1, 60, 63.3, 0.93, 1e-6, 1e-7);
    expect(hyp2f1WithGradient(1, 50_001, 50_004, 0.9996).value).toBeNaN();
  });

  it("differentiates the series summed when c - a - b is within 1e-4 of an integer (z ≤ 0.999)", () => {
    for (const [a, b, c, z] of [
      [1, 2.3, 4.30005, 0.95],
      [1, 1.5, 3.5, 0.998],
      [0.8, 1.2, 2.99997, 0.92],
    ] as const)
      // Steps of 1e-5 keep c - a - b within 1e-4 of the integer, and in z leave less rounding.
      expectGradient(a, b, c, z, 1e-5, 1e-7);
  });

  it("differentiates the interpolation across an integer c - a - b (z > 0.999)", () => {
    // The shifted points must stay within 1e-5 of the integer: c - a - b = 2 + 2e-6, steps of 1e-7.
    for (const z of [0.9995, 0.99999]) expectGradient(1, 2.3, 5.300002, z, 1e-7, 1e-4);
    expectGradient(1, 1, 2, 0.9999, 1e-7, 1e-4);
  });

  it("differentiates Pfaff's transformation for z < 0", () => {
    for (const [a, b, c, z] of [
      [0.7, 1.3, 2.5, -3],
      [1, 2.3, 4.1, -0.4],
    ] as const)
      expectGradient(a, b, c, z, 1e-6, 1e-8);
  });

  it("matches closed forms at z = 0 and in z", () => {
    // ∂/∂z 2F1(a, b; c; z) = ab/c at z = 0, and d/dz of -ln(1-z)/z for 2F1(1, 1; 2; z).
    expect(hyp2f1WithGradient(1.3, 2.2, 3.1, 0)).toEqual({ value: 1, da: 0, db: 0, dc: 0, dz: (1.3 * 2.2) / 3.1 });
    for (const z of [0.3, 0.95, -2]) {
      const closed = 1 / (z * (1 - z)) + Math.log1p(-z) / (z * z);
      const { dz } = hyp2f1WithGradient(1, 1, 2, z);
      expect(Math.abs(dz - closed)).toBeLessThanOrEqual(1e-12 * Math.abs(closed));
    }
    // 2F1(a, b; b; z) = (1-z)^-a: ∂/∂a = -ln(1-z)(1-z)^-a, and ∂/∂b + ∂/∂c = 0.
    for (const z of [0.4, 0.93]) {
      const g = hyp2f1WithGradient(0.7, 2.3, 2.3, z);
      const expected = -Math.log1p(-z) * Math.pow(1 - z, -0.7);
      expect(Math.abs(g.da - expected)).toBeLessThanOrEqual(1e-10 * Math.abs(expected));
      expect(Math.abs(g.db + g.dc)).toBeLessThanOrEqual(1e-10 * Math.abs(g.db));
    }
  });
});
