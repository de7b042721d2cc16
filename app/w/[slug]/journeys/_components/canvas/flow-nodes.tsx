"use client";

import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { memo } from "react";
import { cx } from "~/app/_components/ui";
import { ChannelBadge, channelStyles } from "~/app/w/[slug]/_components/channels";
import type { CanvasNode } from "./flow-model";

// The four kinds of node on the flow canvas. Each shows its words on the node
// itself; the same words are in the node's aria-label (flow-model.ts), so a
// screen reader hears what a sighted user sees.

type Props<T extends CanvasNode["type"]> = NodeProps<Extract<CanvasNode, { type: T }>>;

const handleClass = "!h-3 !w-3 !border-2 !border-white !bg-slate-500";

function EntryNode({ selected }: Props<"entry">) {
  return (
    <div
      className={cx(
        "rounded-full border-2 bg-emerald-50 px-4 py-2 text-sm font-semibold text-emerald-900",
        selected ? "border-brand-600" : "border-emerald-500",
      )}
    >
      Entry
      <Handle type="source" position={Position.Right} className={handleClass} />
    </div>
  );
}

function ChecksMarker({ checks }: { checks: string[] }) {
  return (
    <div className="group/checks absolute -top-2.5 -right-2.5">
      <span
        aria-hidden="true"
        className="flex h-5 min-w-5 items-center justify-center rounded-full bg-amber-500 px-1 text-xs font-bold text-white ring-2 ring-white"
      >
        {checks.length === 1 ? "!" : checks.length}
      </span>
      {/* Shown on hover of the marker and while the node has focus; the node's aria-label carries the same words. */}
      <div
        aria-hidden="true"
        className="absolute top-6 right-0 z-10 hidden w-60 rounded-md border border-amber-300 bg-amber-50 p-2 text-xs text-amber-950 shadow-md group-hover/checks:block in-focus:block"
      >
        <ul className="list-disc space-y-1 pl-4">
          {checks.map((message, i) => (
            <li key={i}>{message}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function TouchpointNode({ data, selected }: Props<"touchpoint">) {
  const { touchpoint } = data;
  return (
    <div
      className={cx(
        "relative w-60 rounded-md border border-l-4 bg-white px-3 py-2 text-left shadow-sm",
        channelStyles[touchpoint.channel].strip,
        selected ? "border-brand-600 ring-brand-600 ring-1" : "border-slate-300",
        data.checks.length > 0 && !selected && "border-amber-400",
      )}
    >
      <Handle type="target" position={Position.Left} className={handleClass} />
      <div className="flex items-center justify-between gap-2">
        <ChannelBadge channel={touchpoint.channel} />
        <span className="truncate text-xs text-slate-500">{data.stageName}</span>
      </div>
      <p className="mt-1 line-clamp-2 text-sm font-medium text-slate-900">{touchpoint.title}</p>
      <p className="mt-0.5 text-xs text-slate-600">{data.trigger}</p>
      <p className="text-xs text-slate-500">Owner: {data.team}</p>
      {data.acted && <p className="mt-1 text-xs font-medium text-sky-800">{data.acted}</p>}
      {data.checks.length > 0 && <ChecksMarker checks={data.checks} />}
      <Handle type="source" position={Position.Right} className={handleClass} />
    </div>
  );
}

function BranchNode({ data, selected }: Props<"branch">) {
  return (
    <div
      className={cx(
        "w-56 rounded-md border-2 border-dashed bg-indigo-50 py-2 text-left shadow-sm",
        selected ? "border-brand-600" : "border-indigo-400",
      )}
    >
      <Handle type="target" position={Position.Left} className={handleClass} />
      <p className="px-3 text-xs font-semibold tracking-wide text-indigo-700 uppercase">Branch</p>
      <p className="px-3 text-sm font-medium text-slate-900">{data.label}</p>
      <p className="px-3 text-xs text-slate-600">{data.summary}</p>
      <ul className="mt-2 space-y-1">
        {data.outputs.map((output) => (
          <li
            key={output.id ?? "next"}
            className="relative pr-4 text-right text-xs font-medium text-indigo-900"
          >
            {output.label}
            <Handle
              type="source"
              id={output.id}
              position={Position.Right}
              className={cx(handleClass, "!bg-indigo-600")}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExitNode({ data, selected }: Props<"exit">) {
  return (
    <div
      className={cx(
        "rounded-md border-2 bg-slate-100 px-4 py-2 text-sm",
        selected ? "border-brand-600" : "border-slate-400",
      )}
    >
      <Handle type="target" position={Position.Left} className={handleClass} />
      <span className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Exit</span>
      <p className="font-medium text-slate-900">{data.label}</p>
    </div>
  );
}

export const nodeTypes = {
  entry: memo(EntryNode),
  touchpoint: memo(TouchpointNode),
  branch: memo(BranchNode),
  exit: memo(ExitNode),
} satisfies NodeTypes;
