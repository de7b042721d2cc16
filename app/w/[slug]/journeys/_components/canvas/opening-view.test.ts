import { describe, expect, it } from "vitest";
import { OPENING_PADDING, openingViewport, READABLE_ZOOM, type NodeBox, type Viewport } from "./opening-view";

const node = (x: number, y: number, entry = false): NodeBox => ({ entry, x, y, width: 240, height: 100 });
/** Where a flow point lands on the screen. */
const onScreen = (v: Viewport, x: number, y: number) => ({ x: x * v.zoom + v.x, y: y * v.zoom + v.y });

describe("openingViewport", () => {
  it("centres a short flow at 1:1 at most", () => {
    const view = openingViewport([node(0, 0, true), node(360, 0)], { width: 1200, height: 600 });
    expect(view.zoom).toBe(1);
    // The flow is 600 × 100: its middle (300, 50) is the view's middle.
    expect(onScreen(view, 300, 50)).toEqual({ x: 600, y: 300 });
  });

  it("zooms out to fit a flow that fits at a readable size", () => {
    const boxes = [node(0, 0, true), node(360, 0), node(720, 0), node(1000, 0)];
    const view = openingViewport(boxes, { width: 1200, height: 600 });
    expect(view.zoom).toBeCloseTo((1200 - 2 * OPENING_PADDING) / 1240);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });

  it("opens a long flow at a readable zoom with the entry at the left, not as a strip of tiny nodes", () => {
    // Ten nodes in a row with one above the middle, as the demo journey lies.
    const boxes = [
      node(0, 0, true),
      ...Array.from({ length: 9 }, (_, i) => node((i + 1) * 360, i === 4 ? -140 : 0)),
    ];
    const view = openingViewport(boxes, { width: 1100, height: 600 });
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(onScreen(view, 0, 0).x).toBe(OPENING_PADDING);
    // The nodes on the first screen (a row at y 0–100) sit in the middle of its height.
    expect(onScreen(view, 0, 50).y).toBeCloseTo(300);
  });

  it("starts at the entry wherever it lies, and keeps it in view when the first screen is tall", () => {
    const boxes = [node(500, 2000, true), node(0, 0), node(860, 2000), node(860, -2000)];
    const view = openingViewport(boxes, { width: 390, height: 600 });
    expect(view.zoom).toBe(READABLE_ZOOM);
    const entry = onScreen(view, 500, 2000);
    expect(entry.x).toBe(OPENING_PADDING);
    expect(entry.y).toBeGreaterThanOrEqual(0);
    expect(entry.y + 100 * view.zoom).toBeLessThanOrEqual(600);
  });

  it("opens at 1:1 on nothing", () => {
    expect(openingViewport([], { width: 800, height: 600 })).toEqual({ x: 0, y: 0, zoom: 1 });
    expect(openingViewport([node(0, 0, true)], { width: 0, height: 0 })).toEqual({ x: 0, y: 0, zoom: 1 });
  });
});
