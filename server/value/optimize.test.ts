import { expect, it } from "vitest";
import { minimizeBfgs, minimizeWithRestarts } from "./optimize";

const rosenbrock = (x: Float64Array, g: Float64Array) => {
  const [a, b] = [x[0]!, x[1]!];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

it("finds the minimum of Rosenbrock's valley and says it converged", () => {
  const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
  expect(result.converged).toBe(true);
  expect(result.x[0]).toBeCloseTo(1, 6);
  expect(result.x[1]).toBeCloseTo(1, 6);
  expect(result.iterations).toBeGreaterThan(5);
});

it("steps back from points where the objective is not finite, and keeps the best start", () => {
  // ln(x) + 1/x has its minimum at x = 1 and is NaN for x ≤ 0.
  const f = (x: Float64Array, g: Float64Array) => {
    const v = x[0]!;
    g[0] = 1 / v - 1 / (v * v);
    return v > 0 ? Math.log(v) + 1 / v : NaN;
  };
  const result = minimizeWithRestarts(f, [[0.05], [40]]);
  expect(result.converged).toBe(true);
  expect(result.x[0]).toBeCloseTo(1, 6);
  expect(result.value).toBeCloseTo(1, 12);
});
