"use client";

import "@xyflow/react/dist/style.css";
import { useQuery } from "@tanstack/react-query";
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnBeforeDelete,
} from "@xyflow/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import type { DesignCheck } from "~/server/journeys/checks";
import type { JourneyDesign } from "~/server/journeys/design";
import { connect, disconnect, moveNode, removeNode } from "~/server/journeys/edit";
import { useWorkspace } from "../../../_components/workspace-context";
import type { JourneyOverlay } from "../overlay";
import { CanvasChecks } from "./canvas-checks";
import { CanvasToolbar } from "./canvas-toolbar";
import type { CanvasEdge, CanvasNode } from "./flow-model";
import { nodeTypes } from "./flow-nodes";
import { NodeDialogs, type OpenDialog } from "./node-dialogs";
import { openingViewport } from "./opening-view";
import { OverlayLegend } from "./overlay-legend";
import { SelectedArrowsBar } from "./selected-arrows-bar";
import { SelectionPanel } from "./selection-panel";
import { TIDY_COLUMN_WIDTH, tidyUp } from "./tidy-layout";
import { useDesignEdits } from "./use-design-edits";
import { useFlowElements } from "./use-flow-elements";

/**
 * The flow canvas of a journey: the entry, a node per touchpoint, branches and
 * exits, joined by arrows. With `onChange` it edits the design through the
 * shared edits of server/journeys/edit.ts; without, it is read-only (pan and
 * zoom only). `overlay` draws the analytics' counts on arrows and touchpoints.
 */
export function JourneyCanvas(props: {
  design: JourneyDesign;
  onChange?: (next: JourneyDesign) => void;
  checks: DesignCheck[];
  overlay?: JourneyOverlay | null;
}) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({
  design,
  onChange,
  checks,
  overlay,
}: {
  design: JourneyDesign;
  onChange?: (next: JourneyDesign) => void;
  checks: DesignCheck[];
  overlay?: JourneyOverlay | null;
}) {
  const editable = onChange !== undefined;
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const segmentList = useMemo(
    () => (segments.data ?? []).map((s) => ({ id: s.id, name: s.name })),
    [segments.data],
  );
  const segmentNames = useMemo(() => new Map(segmentList.map((s) => [s.id, s.name])), [segmentList]);
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const box = useRef<HTMLDivElement>(null);

  const { nodes, setNodes, edges, setEdges, selectNext } = useFlowElements(design, {
    checks,
    overlay,
    segmentNames,
  });
  const { apply, applyFromDialog, refusal } = useDesignEdits(design, onChange);
  const [dialog, setDialog] = useState<OpenDialog>(null);

  function onNodesChange(changes: NodeChange<CanvasNode>[]) {
    setNodes((current) => applyNodeChanges(changes, current));
    // A drag's end and each arrow-key step report a settled position (dragging: false).
    const settled = changes.flatMap((c) =>
      c.type === "position" && c.dragging === false && c.position
        ? [{ id: c.id, position: { x: Math.round(c.position.x), y: Math.round(c.position.y) } }]
        : [],
    );
    if (editable && settled.length > 0)
      apply((d) => settled.reduce((next, c) => moveNode(next, c.id, c.position), d));
  }

  function onEdgesChange(changes: EdgeChange<CanvasEdge>[]) {
    setEdges((current) => applyEdgeChanges(changes, current));
  }

  function onConnect(connection: Connection) {
    apply((d) => connect(d, connection.source, connection.target, connection.sourceHandle ?? null));
  }

  // The Delete key: the design drops the nodes and arrows, so xyflow is told not to.
  const onBeforeDelete: OnBeforeDelete<CanvasNode, CanvasEdge> = async (selection) => {
    const gone = new Set(selection.nodes.map((n) => n.id));
    apply((d) => {
      let next = d;
      for (const edge of selection.edges)
        if (!gone.has(edge.source) && !gone.has(edge.target)) next = disconnect(next, edge.id);
      for (const node of selection.nodes) next = removeNode(next, node.id);
      return next;
    });
    return false;
  };

  const selectedNodes = nodes.filter((n) => n.selected);
  const selectedEdges = edges.filter((e) => e.selected);
  const selectedNode = selectedNodes.length === 1 ? selectedNodes[0] : undefined;

  /** Where a new node goes: right of the selected node, else the middle of the view. */
  function newNodePosition() {
    if (selectedNode) return { x: selectedNode.position.x + TIDY_COLUMN_WIDTH, y: selectedNode.position.y };
    const rect = box.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    const p = flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    return { x: Math.round(p.x), y: Math.round(p.y) };
  }

  /** The opening view: the whole flow if it fits readably, else a readable zoom from the entry. */
  async function showStart(duration?: number) {
    const rect = box.current?.getBoundingClientRect();
    if (!rect) return;
    const boxes = flow.getNodes().map((n) => ({
      entry: n.type === "entry",
      x: n.position.x,
      y: n.position.y,
      width: n.measured?.width ?? 0,
      height: n.measured?.height ?? 0,
    }));
    await flow.setViewport(openingViewport(boxes, rect), duration ? { duration } : undefined);
  }

  // Opened once the nodes have their sizes; until then the canvas stays hidden rather than jump.
  const measured = useNodesInitialized();
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (!measured || opened) return;
    void showStart().then(() => setOpened(true));
    // showStart reads the flow's current nodes; it is run once, when they are first measured.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [measured, opened]);

  function tidy() {
    if (apply(tidyUp)) setTimeout(() => void showStart(300), 50);
  }

  function show(nodeId: string) {
    setNodes((current) => current.map((n) => ({ ...n, selected: n.id === nodeId })));
    const node = flow.getNode(nodeId);
    if (node) void flow.setCenter(node.position.x + 120, node.position.y + 50, { zoom: 1, duration: 300 });
    box.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(nodeId)}"]`)?.focus();
  }

  const checkedNodes = nodes.flatMap((n) =>
    n.type === "touchpoint" && n.data.checks.length > 0
      ? [{ id: n.id, title: n.data.touchpoint.title, checks: n.data.checks }]
      : [],
  );

  return (
    <div className="space-y-3">
      {editable && (
        <CanvasToolbar
          onAddBranch={() => setDialog({ kind: "addBranch" })}
          onAddExit={() => setDialog({ kind: "addExit" })}
          onTidy={tidy}
        />
      )}
      {refusal && (
        <div data-picture="skip">
          <Alert>{refusal}</Alert>
        </div>
      )}

      <div
        ref={box}
        className="h-[600px] w-full overflow-hidden rounded-lg border border-slate-200 bg-white"
        role="group"
        aria-label="Flow canvas"
      >
        <ReactFlow<CanvasNode, CanvasEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={editable ? onConnect : undefined}
          onBeforeDelete={onBeforeDelete}
          nodesDraggable={editable}
          nodesConnectable={editable}
          nodesFocusable
          edgesFocusable
          elementsSelectable
          deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
          className={opened ? undefined : "invisible"}
          minZoom={0.2}
          maxZoom={2}
        >
          <Background gap={24} color="#e2e8f0" />
          <MiniMap
            pannable
            zoomable
            ariaLabel="Overview of the canvas"
            className="max-sm:!h-[90px] max-sm:!w-[120px] [&_svg]:max-sm:h-[90px] [&_svg]:max-sm:w-[120px]"
            nodeColor={(n) =>
              n.type === "branch"
                ? "#818cf8"
                : n.type === "exit"
                  ? "#94a3b8"
                  : n.type === "entry"
                    ? "#10b981"
                    : "#cbd5e1"
            }
          />
          <Controls showInteractive={false} showFitView={false}>
            <ControlButton
              onClick={() => void showStart(300)}
              title="Back to the start at a readable size"
              aria-label="Back to the start at a readable size"
            >
              <svg viewBox="0 0 16 16" aria-hidden="true">
                <path d="M2 2h2v12H2zM6 8l6-5v10z" />
              </svg>
            </ControlButton>
          </Controls>
        </ReactFlow>
      </div>

      {overlay && <OverlayLegend />}
      {editable && selectedNode && (
        <SelectionPanel
          design={design}
          nodeId={selectedNode.id}
          apply={apply}
          onEdit={(nodeId) => {
            const node = design.flow.nodes.find((n) => n.id === nodeId);
            if (node?.kind === "branch") setDialog({ kind: "editBranch", nodeId });
            if (node?.kind === "exit") setDialog({ kind: "renameExit", nodeId });
          }}
        />
      )}
      {editable && !selectedNode && selectedEdges.length > 0 && (
        <SelectedArrowsBar
          edges={selectedEdges}
          onRemove={() => apply((d) => selectedEdges.reduce((n, e) => disconnect(n, e.id), d))}
        />
      )}

      {checkedNodes.length > 0 && <CanvasChecks nodes={checkedNodes} onShow={show} />}

      <NodeDialogs
        dialog={dialog}
        design={design}
        segments={segmentList}
        onClose={() => setDialog(null)}
        applyFromDialog={applyFromDialog}
        newNodePosition={newNodePosition}
        selectNext={selectNext}
      />
    </div>
  );
}
