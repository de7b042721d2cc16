import { useMemo, useState } from "react";
import type { DesignCheck } from "~/server/journeys/checks";
import type { JourneyDesign } from "~/server/journeys/design";
import type { JourneyOverlay } from "../overlay";
import { carryViewState, toCanvasEdges, toCanvasNodes } from "./flow-model";

/**
 * The nodes and arrows xyflow draws. xyflow keeps selection and measured sizes
 * on its own copies of the nodes; they follow the design and keep that view
 * state when the design changes. `selectNext` names a node about to be added
 * from the toolbar: it is selected once it arrives, so it can be connected at once.
 */
export function useFlowElements(
  design: JourneyDesign,
  {
    checks,
    overlay,
    segmentNames,
  }: { checks: DesignCheck[]; overlay?: JourneyOverlay | null; segmentNames: Map<string, string> },
) {
  const designNodes = useMemo(
    () => toCanvasNodes(design, { checks, overlay, segmentNames }),
    [design, checks, overlay, segmentNames],
  );
  const designEdges = useMemo(() => toCanvasEdges(design, overlay), [design, overlay]);
  const [nodes, setNodes] = useState(designNodes);
  const [edges, setEdges] = useState(designEdges);
  const [shownNodes, setShownNodes] = useState(designNodes);
  const [shownEdges, setShownEdges] = useState(designEdges);
  const [selectNext, setSelectNext] = useState<string | null>(null);
  if (shownNodes !== designNodes) {
    setShownNodes(designNodes);
    const added = selectNext && designNodes.some((n) => n.id === selectNext) ? selectNext : null;
    if (added) setSelectNext(null);
    setNodes((previous) => {
      const next = carryViewState(previous, designNodes);
      return added ? next.map((n) => ({ ...n, selected: n.id === added })) : next;
    });
  }
  if (shownEdges !== designEdges) {
    setShownEdges(designEdges);
    setEdges((previous) => carryViewState(previous, designEdges));
  }
  return { nodes, setNodes, edges, setEdges, selectNext: setSelectNext };
}
