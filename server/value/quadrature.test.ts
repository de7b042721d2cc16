import { describe, expect, it } from "vitest";
import { integrateHalfLine, integrateInterval, integrateUnit } from "./quadrature";
import { logBeta, logGamma } from "./special-functions";

describe("double-exponential quadrature", () => {
  it("integrates end-point singularities and the half line to about 1e-12", () => {
    const a = 0.3;
    const b = 0.7;
    const beta = integrateUnit((p, q) => Math.pow(p, a - 1) * Math.pow(q, b - 1));
    expect(Math.abs(beta / Math.exp(logBeta(a, b)) - 1)).toBeLessThan(1e-12);
    const r = 0.4;
    const gamma = integrateHalfLine((l) => Math.pow(l, r - 1) * Math.exp(-l));
    expect(Math.abs(gamma / Math.exp(logGamma(r)) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(integrateInterval((y) => 1 / y, 1, Math.E) - 1)).toBeLessThan(1e-13);
  });
});
