// Where the canvas opens: the whole flow when it fits at a readable size,
// otherwise a readable zoom with the entry at the left edge, so a long journey
// starts where customers start instead of as a strip of tiny nodes. The
// minimap and the controls then lead on from there.

/** Below this the node text (14 px) is smaller than about 11 px: the canvas never opens below it. */
export const READABLE_ZOOM = 0.8;
/** Opening closer than 1:1 only makes a short flow's nodes large. */
export const OPENING_MAX_ZOOM = 1;
/** Screen pixels kept free around the flow. */
export const OPENING_PADDING = 24;

export interface NodeBox {
  /** The entry, where customers start. */
  entry: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function boundsOf(boxes: NodeBox[]): Bounds {
  return {
    left: Math.min(...boxes.map((b) => b.x)),
    top: Math.min(...boxes.map((b) => b.y)),
    right: Math.max(...boxes.map((b) => b.x + b.width)),
    bottom: Math.max(...boxes.map((b) => b.y + b.height)),
  };
}

/** The viewport (xyflow's: screen = flow × zoom + x / y) that the canvas opens on, for a view of this size. */
export function openingViewport(boxes: NodeBox[], view: { width: number; height: number }): Viewport {
  if (boxes.length === 0 || view.width <= 0 || view.height <= 0) return { x: 0, y: 0, zoom: 1 };
  const room = {
    width: Math.max(1, view.width - 2 * OPENING_PADDING),
    height: Math.max(1, view.height - 2 * OPENING_PADDING),
  };
  const all = boundsOf(boxes);
  const fitZoom = Math.min(
    room.width / (all.right - all.left || 1),
    room.height / (all.bottom - all.top || 1),
  );

  if (fitZoom >= READABLE_ZOOM) {
    // It all fits readably: centre it.
    const zoom = Math.min(fitZoom, OPENING_MAX_ZOOM);
    return centred(all, zoom, view);
  }

  // Too long or too tall: a readable zoom, starting at the entry (or the leftmost node without one).
  const zoom = READABLE_ZOOM;
  const entry = boxes.find((b) => b.entry) ?? boxes.reduce((a, b) => (b.x < a.x ? b : a));
  const left = entry.x;
  const right = left + room.width / zoom;
  // Up and down: centre what is on the first screen; when that is taller than the view, keep the
  // entry in it, as near the middle as the rest allows.
  const first = boundsOf(boxes.filter((b) => b.x + b.width > left && b.x < right));
  const visibleHeight = room.height / zoom;
  let top = (first.top + first.bottom) / 2 - visibleHeight / 2;
  if (first.bottom - first.top > visibleHeight) {
    const entryMiddle = entry.y + entry.height / 2;
    top = Math.min(Math.max(entryMiddle - visibleHeight / 2, first.top), first.bottom - visibleHeight);
  }
  return { x: OPENING_PADDING - left * zoom, y: OPENING_PADDING - top * zoom, zoom };
}

function centred(bounds: Bounds, zoom: number, view: { width: number; height: number }): Viewport {
  return {
    x: view.width / 2 - ((bounds.left + bounds.right) / 2) * zoom,
    y: view.height / 2 - ((bounds.top + bounds.bottom) / 2) * zoom,
    zoom,
  };
}
