import type { JourneyDesign } from "~/server/journeys/design";
import { moveNode } from "~/server/journeys/edit";
import { outputOptions } from "./flow-model";

// "Tidy up": a left-to-right layout by graph depth. Each node goes in the
// column of its longest path from the entry, so every arrow points right
// (except the ones that close a loop); up and down, a node follows what leads
// into it, so a chain runs straight and a branch's "yes" sits above its "no".

export const TIDY_COLUMN_WIDTH = 360;
export const TIDY_ROW_HEIGHT = 170;

type Position = { x: number; y: number };

export function tidyPositions(design: JourneyDesign): Map<string, Position> {
  const nodes = design.flow.nodes;
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const byId = new Map(nodes.map((n) => [n.id, n]));

  // Arrows out of each node in the order of the node's outputs (yes before no, A before B).
  const outputRank = (source: string, output: string | null) => {
    const node = byId.get(source);
    const rank = node ? outputOptions(node).findIndex((o) => o.id === output) : -1;
    return rank < 0 ? Number.MAX_SAFE_INTEGER : rank;
  };
  const out = new Map<string, { target: string; rank: number }[]>();
  for (const edge of design.flow.edges) {
    if (!byId.has(edge.source) || !byId.has(edge.target)) continue;
    const list = out.get(edge.source) ?? [];
    list.push({ target: edge.target, rank: outputRank(edge.source, edge.output) });
    out.set(edge.source, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.rank - b.rank);

  // Depth-first from the entry, then from whatever it does not reach; an arrow
  // back to a node still on the path closes a loop and does not count for depth.
  const state = new Map<string, "active" | "done">();
  const finished: string[] = [];
  const forward: { source: string; target: string; rank: number }[] = [];
  const visit = (id: string) => {
    state.set(id, "active");
    for (const { target, rank } of out.get(id) ?? []) {
      if (state.get(target) === "active") continue;
      forward.push({ source: id, target, rank });
      if (!state.has(target)) visit(target);
    }
    state.set(id, "done");
    finished.push(id);
  };
  const entry = nodes.find((n) => n.kind === "entry");
  if (entry) visit(entry.id);
  const unreached = nodes.filter((n) => !state.has(n.id)).map((n) => n.id);
  for (const id of unreached) if (!state.has(id)) visit(id);

  // Longest path over the loop-free arrows, in topological order (reverse finishing order).
  const depth = new Map<string, number>(nodes.map((n) => [n.id, n.kind === "entry" ? 0 : 1]));
  const incoming = new Map<string, { source: string; rank: number }[]>();
  for (const edge of forward) {
    const list = incoming.get(edge.target) ?? [];
    list.push({ source: edge.source, rank: edge.rank });
    incoming.set(edge.target, list);
  }
  for (const id of [...finished].reverse()) {
    for (const { source } of incoming.get(id) ?? [])
      depth.set(id, Math.max(depth.get(id)!, depth.get(source)! + 1));
  }

  // Columns left to right. A node wants the height of what leads into it (the
  // mean, when several arrows do), a branch's outputs fanned out around the
  // branch; nodes in one column then keep a row apart, the column staying
  // centred on what its nodes wanted.
  const columns = new Map<number, string[]>();
  for (const node of nodes) {
    const d = depth.get(node.id)!;
    columns.set(d, [...(columns.get(d) ?? []), node.id]);
  }
  const outputCount = (id: string) => {
    const node = byId.get(id);
    return node ? outputOptions(node).length : 1;
  };
  const positions = new Map<string, Position>();
  for (const d of [...columns.keys()].sort((a, b) => a - b)) {
    const wanted = columns.get(d)!.map((id) => {
      const parents = (incoming.get(id) ?? []).filter((p) => positions.has(p.source));
      const ys = parents.map((p) => {
        const fan = outputCount(p.source);
        const offset = fan > 1 && p.rank < fan ? (p.rank - (fan - 1) / 2) * TIDY_ROW_HEIGHT : 0;
        return positions.get(p.source)!.y + offset;
      });
      const y = ys.length > 0 ? ys.reduce((sum, v) => sum + v, 0) / ys.length : null;
      return { id, y };
    });
    // Nodes nothing leads into go below the others, in the design's order.
    wanted.sort(
      (a, b) =>
        (a.y ?? Number.POSITIVE_INFINITY) - (b.y ?? Number.POSITIVE_INFINITY) ||
        order.get(a.id)! - order.get(b.id)!,
    );
    const placed: number[] = [];
    for (const [i, w] of wanted.entries()) {
      const floor = i > 0 ? placed[i - 1]! + TIDY_ROW_HEIGHT : Number.NEGATIVE_INFINITY;
      placed.push(Math.max(floor, w.y ?? (i > 0 ? floor : 0)));
    }
    const anchored = wanted.flatMap((w, i) => (w.y === null ? [] : [w.y - placed[i]!]));
    const shift = anchored.length > 0 ? anchored.reduce((sum, v) => sum + v, 0) / anchored.length : 0;
    wanted.forEach((w, i) =>
      positions.set(w.id, { x: d * TIDY_COLUMN_WIDTH, y: Math.round(placed[i]! + shift) }),
    );
  }
  return positions;
}

/** The design with every node moved to its tidy place. */
export function tidyUp(design: JourneyDesign): JourneyDesign {
  let next = design;
  for (const [id, position] of tidyPositions(design)) {
    const node = next.flow.nodes.find((n) => n.id === id);
    if (node && (node.position.x !== position.x || node.position.y !== position.y))
      next = moveNode(next, id, position);
  }
  return next;
}
