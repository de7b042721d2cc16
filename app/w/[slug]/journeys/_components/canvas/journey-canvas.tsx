"use client";

import "@xyflow/react/dist/style.css";
import { useQuery } from "@tanstack/react-query";
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnBeforeDelete,
} from "@xyflow/react";
import { useMemo, useRef, useState } from "react";
import { Alert, Button } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { RuleError } from "~/server/errors";
import type { DesignCheck } from "~/server/journeys/checks";
import type { JourneyDesign } from "~/server/journeys/design";
import {
  addBranch,
  addExit,
  connect,
  disconnect,
  moveNode,
  removeNode,
  renameExit,
  updateBranch,
} from "~/server/journeys/edit";
import { useWorkspace } from "../../../_components/workspace-context";
import type { JourneyOverlay } from "../overlay";
import { BranchDialog } from "./branch-dialog";
import { ExitDialog } from "./exit-dialog";
import {
  carryViewState,
  conversionColour,
  toCanvasEdges,
  toCanvasNodes,
  type CanvasEdge,
  type CanvasNode,
} from "./flow-model";
import { nodeTypes } from "./flow-nodes";
import { SelectionPanel } from "./selection-panel";
import { TIDY_COLUMN_WIDTH, tidyUp } from "./tidy-layout";

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

type OpenDialog =
  | { kind: "addBranch" }
  | { kind: "editBranch"; nodeId: string }
  | { kind: "addExit" }
  | { kind: "renameExit"; nodeId: string }
  | null;

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

  // xyflow keeps selection and measured sizes on its own copies of the nodes;
  // they follow the design and keep that view state when the design changes.
  const designNodes = useMemo(
    () => toCanvasNodes(design, { checks, overlay, segmentNames }),
    [design, checks, overlay, segmentNames],
  );
  const designEdges = useMemo(() => toCanvasEdges(design, overlay), [design, overlay]);
  const [nodes, setNodes] = useState(designNodes);
  const [edges, setEdges] = useState(designEdges);
  const [shownNodes, setShownNodes] = useState(designNodes);
  const [shownEdges, setShownEdges] = useState(designEdges);
  /** A node just added from the toolbar: selected once it arrives, so it can be connected at once. */
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

  const [refusal, setRefusal] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);

  /** Applies an edit; a rule it breaks is shown, not thrown. Returns whether the design changed. */
  function apply(edit: (current: JourneyDesign) => JourneyDesign): boolean {
    if (!onChange) return false;
    try {
      onChange(edit(design));
      setRefusal(null);
      return true;
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      setRefusal(error.message);
      return false;
    }
  }
  /** The same, for a dialog: the refusal's message goes back to the dialog. */
  function applyFromDialog(edit: (current: JourneyDesign) => JourneyDesign): string | null {
    try {
      onChange?.(edit(design));
      return null;
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      return error.message;
    }
  }

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

  function tidy() {
    if (apply(tidyUp)) setTimeout(() => void flow.fitView({ duration: 300 }), 50);
  }

  function show(nodeId: string) {
    setNodes((current) => current.map((n) => ({ ...n, selected: n.id === nodeId })));
    const node = flow.getNode(nodeId);
    if (node) void flow.setCenter(node.position.x + 120, node.position.y + 50, { zoom: 1, duration: 300 });
    box.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(nodeId)}"]`)?.focus();
  }

  const editedBranch =
    dialog?.kind === "editBranch" ? design.flow.nodes.find((n) => n.id === dialog.nodeId) : undefined;
  const renamedExit =
    dialog?.kind === "renameExit" ? design.flow.nodes.find((n) => n.id === dialog.nodeId) : undefined;
  const checkedNodes = nodes.flatMap((n) =>
    n.type === "touchpoint" && n.data.checks.length > 0
      ? [{ id: n.id, title: n.data.touchpoint.title, checks: n.data.checks }]
      : [],
  );

  return (
    <div className="space-y-3">
      {editable && (
        <div
          role="toolbar"
          aria-label="Canvas tools"
          data-picture="skip"
          className="flex flex-wrap items-center gap-2"
        >
          <Button variant="secondary" onClick={() => setDialog({ kind: "addBranch" })}>
            Add branch
          </Button>
          <Button variant="secondary" onClick={() => setDialog({ kind: "addExit" })}>
            Add exit
          </Button>
          <Button variant="secondary" onClick={tidy}>
            Tidy up
          </Button>
          <p className="text-xs text-slate-500">
            Drag from a node’s right edge to another node to connect them, or select a node to connect it from
            the keyboard.
          </p>
        </div>
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
          fitView
          fitViewOptions={{ padding: 0.15 }}
          minZoom={0.2}
          maxZoom={2}
        >
          <Background gap={24} color="#e2e8f0" />
          <MiniMap
            pannable
            zoomable
            ariaLabel="Overview of the canvas"
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
          <Controls showInteractive={false} />
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
        <div
          data-picture="skip"
          className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 bg-slate-50 p-3"
        >
          <p className="text-sm text-slate-800">{selectedEdges.map((e) => e.ariaLabel).join("; ")}</p>
          <Button
            variant="danger"
            onClick={() => apply((d) => selectedEdges.reduce((n, e) => disconnect(n, e.id), d))}
          >
            {selectedEdges.length === 1 ? "Remove arrow" : "Remove arrows"}
          </Button>
        </div>
      )}

      {checkedNodes.length > 0 && (
        <section
          aria-labelledby="canvas-checks"
          className="rounded-md border border-amber-300 bg-amber-50 p-3"
        >
          <h3 id="canvas-checks" className="text-sm font-semibold text-amber-950">
            Checks on the canvas
          </h3>
          <ul className="mt-1 space-y-1 text-sm text-amber-950">
            {checkedNodes.map((n) => (
              <li key={n.id} className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium">{n.title}:</span>
                <span>{n.checks.join(" ")}</span>
                <button
                  type="button"
                  className="text-brand-700 text-xs underline hover:no-underline"
                  onClick={() => show(n.id)}
                >
                  Show <span className="sr-only">“{n.title}” </span>on canvas
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <BranchDialog
        open={dialog?.kind === "addBranch" || editedBranch?.kind === "branch"}
        initial={
          editedBranch?.kind === "branch"
            ? { label: editedBranch.label, split: editedBranch.split }
            : undefined
        }
        segments={segmentList}
        onClose={() => setDialog(null)}
        onSubmit={(label, split) =>
          editedBranch
            ? applyFromDialog((d) => updateBranch(d, editedBranch.id, { label, split }))
            : applyFromDialog((d) => {
                const added = addBranch(d, label, split, newNodePosition());
                setSelectNext(added.nodeId);
                return added.design;
              })
        }
      />
      <ExitDialog
        open={dialog?.kind === "addExit" || renamedExit?.kind === "exit"}
        initialLabel={renamedExit?.kind === "exit" ? renamedExit.label : undefined}
        onClose={() => setDialog(null)}
        onSubmit={(label) =>
          renamedExit
            ? applyFromDialog((d) => renameExit(d, renamedExit.id, label))
            : applyFromDialog((d) => {
                const added = addExit(d, label, newNodePosition());
                setSelectNext(added.nodeId);
                return added.design;
              })
        }
      />
    </div>
  );
}

function OverlayLegend() {
  const steps = [0.1, 0.35, 0.6, 0.85];
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600">
      <span>Arrows between stages: thickness shows how many customers went on, colour their conversion.</span>
      <span className="flex items-center gap-1" aria-hidden="true">
        {steps.map((s) => (
          <span key={s} className="h-2 w-6 rounded" style={{ backgroundColor: conversionColour(s) }} />
        ))}
      </span>
      <span>low → high</span>
    </div>
  );
}
