"use client";

import { useId, useState, type FormEvent } from "react";
import { Button, controlProps, Field } from "~/app/_components/ui";
import type { JourneyDesign } from "~/server/journeys/design";
import { connect, disconnect, edgesFrom, removeNode } from "~/server/journeys/edit";
import { connectChoices, nodeNamer, outputOptions } from "./flow-model";

type Apply = (edit: (design: JourneyDesign) => JourneyDesign) => boolean;

/**
 * What can be done with the selected node without a mouse: connect one of its
 * outputs to another node, remove its arrows, edit or delete it. Arrow keys
 * move it (xyflow does that on the focused, selected node).
 */
export function SelectionPanel({
  design,
  nodeId,
  apply,
  onEdit,
}: {
  design: JourneyDesign;
  nodeId: string;
  apply: Apply;
  onEdit: (nodeId: string) => void;
}) {
  const node = design.flow.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const nameOf = nodeNamer(design);
  const name = nameOf(node);
  const outgoing = edgesFrom(design, nodeId);
  const outputs = outputOptions(node);
  const target = (id: string) => {
    const found = design.flow.nodes.find((n) => n.id === id);
    return found ? nameOf(found) : id;
  };

  return (
    <section
      data-picture="skip"
      aria-label={`Selected: ${name}`}
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium text-slate-900">
          Selected: <span className="font-semibold">{name}</span>
        </p>
        <div className="flex gap-2">
          {(node.kind === "branch" || node.kind === "exit") && (
            <Button variant="secondary" onClick={() => onEdit(node.id)}>
              {node.kind === "branch" ? "Edit branch" : "Rename exit"}
            </Button>
          )}
          {node.kind !== "entry" && (
            <Button variant="danger" onClick={() => apply((d) => removeNode(d, node.id))}>
              {node.kind === "touchpoint" ? "Delete touchpoint" : "Delete"}
            </Button>
          )}
        </div>
      </div>
      <p className="text-xs text-slate-500">
        Arrow keys move the selected node (hold Shift for bigger steps)
        {node.kind === "entry" ? "; the entry stays." : "; Delete removes it."}
        {node.kind === "touchpoint" && " Deleting a touchpoint removes it from the grid too."}
      </p>
      {outputs.length > 0 && <ConnectForm key={nodeId} design={design} nodeId={nodeId} apply={apply} />}
      {outgoing.length > 0 && (
        <div>
          <p className="text-sm font-medium text-slate-700">Arrows out</p>
          <ul className="mt-1 space-y-1">
            {outgoing.map((edge) => {
              const output = outputs.find((o) => o.id === edge.output);
              const words = `${output && edge.output !== null ? `${output.label} → ` : "→ "}${target(edge.target)}`;
              return (
                <li key={edge.id} className="flex items-center justify-between gap-2 text-sm text-slate-800">
                  <span>{words}</span>
                  <Button
                    variant="ghost"
                    aria-label={`Remove arrow ${words}`}
                    onClick={() => apply((d) => disconnect(d, edge.id))}
                  >
                    Remove
                  </Button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}

function ConnectForm({ design, nodeId, apply }: { design: JourneyDesign; nodeId: string; apply: Apply }) {
  const id = useId();
  const choices = connectChoices(design, nodeId);
  const [output, setOutput] = useState(0);
  const [targetId, setTargetId] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = choices.outputs[output];
    if (!chosen || !targetId) return;
    if (apply((d) => connect(d, nodeId, targetId, chosen.id))) setTargetId("");
  }

  if (choices.targets.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        There is nothing to connect to yet: add a touchpoint, branch or exit.
      </p>
    );
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
      {choices.outputs.length > 1 && (
        <div className="w-40">
          <Field id={`${id}-output`} label="Output">
            <select
              {...controlProps(`${id}-output`)}
              value={output}
              onChange={(e) => setOutput(Number(e.target.value))}
            >
              {choices.outputs.map((o, i) => (
                <option key={o.id ?? "next"} value={i}>
                  {o.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      <div className="min-w-56 flex-1">
        <Field id={`${id}-target`} label="Connect to…">
          <select
            {...controlProps(`${id}-target`)}
            value={targetId}
            onChange={(e) => setTargetId(e.target.value)}
          >
            <option value="">Choose a node</option>
            {choices.targets.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={!targetId}>
        Connect
      </Button>
    </form>
  );
}
