"use client";

import { useQuery } from "@tanstack/react-query";
import { parseAsNumberLiteral, useQueryState } from "nuqs";
import { useCallback, useMemo, useRef, useState } from "react";
import { Alert, Button, ButtonLink, cx, LoadingRows } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { checkDesign } from "~/server/journeys/checks";
import type { JourneyDesign } from "~/server/journeys/design";
import { RuleError } from "~/server/errors";
import { formatCount } from "../../_components/channels";
import { formatDay } from "../../_components/format";
import { useWorkspace } from "../../_components/workspace-context";
import { JourneyCanvas } from "./canvas/journey-canvas";
import { ChecksSummary, targetElementId, type CheckTarget } from "./checks";
import { commentKey, type CommentTarget, type Edit } from "./grid/grid-model";
import { JourneyGrid } from "./grid/journey-grid";
import { JourneyAnalyticsView } from "./insight/analytics-view";
import { DEFAULT_IMPACT_WINDOW, IMPACT_WINDOWS } from "~/server/journeys/impact/windows";
import { JourneyImpactView } from "./insight/impact-view";
import { JourneyComments } from "./insight/comments";
import { JourneyHistory } from "./insight/history";
import { JourneyHeader, type LoadedJourney } from "./journey-header";
import { JourneyRun } from "./run/journey-run";
import type { JourneyOverlay } from "./overlay";
import { useJourneyDraft } from "./use-journey-draft";

const views = [
  { key: "grid", label: "Grid" },
  { key: "canvas", label: "Canvas" },
  { key: "analytics", label: "Analytics" },
  { key: "impact", label: "Impact" },
  { key: "history", label: "History" },
  { key: "run", label: "Run" },
] as const;
type View = (typeof views)[number]["key"];

/** /journeys/[id]: loads the journey; a reload (after a conflict or a restore) starts the editor afresh. */
export function JourneyEditor({ id, canEdit }: { id: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const journey = useQuery({ ...trpc.journey.get.queryOptions({ workspaceId, id }), retry: false });
  const [loads, setLoads] = useState(0);
  const reload = useCallback(async () => {
    await journey.refetch();
    setLoads((n) => n + 1);
  }, [journey]);

  if (journey.isPending) return <LoadingRows rows={8} label="Loading the journey" />;
  if (!journey.data) {
    return (
      <div className="space-y-3">
        <Alert>Could not load the journey: {errorMessage(journey.error)}</Alert>
        <ButtonLink href={`/w/${slug}/journeys`} variant="secondary">
          Back to journeys
        </ButtonLink>
      </div>
    );
  }
  return (
    <Editor
      key={`${journey.data.id}-${loads}`}
      journey={journey.data}
      canEdit={canEdit && journey.data.canEdit}
      reload={reload}
    />
  );
}

function Editor({
  journey,
  canEdit,
  reload,
}: {
  journey: LoadedJourney;
  canEdit: boolean;
  reload: () => Promise<void>;
}) {
  const { id: workspaceId } = useWorkspace();
  const { draft, setDesign, setName, setDescription, status, settled, retry, revision } = useJourneyDraft({
    workspaceId,
    journeyId: journey.id,
    initial: { name: journey.name, description: journey.description, design: journey.draft },
    initialRevision: journey.revision,
    enabled: canEdit,
  });
  const design = draft.design;
  const checks = useMemo(() => checkDesign(design), [design]);
  // The Impact tab keeps its window in the URL (?impact=30), so a shared link opens it as it was.
  const [impactWindow, setImpactWindow] = useQueryState(
    "impact",
    parseAsNumberLiteral(IMPACT_WINDOWS).withOptions({ history: "replace" }),
  );
  const [view, setView] = useState<View>(impactWindow ? "impact" : "grid");
  const [analyticsOpened, setAnalyticsOpened] = useState(false);
  const showView = (next: View) => {
    setView(next);
    if (next === "analytics") setAnalyticsOpened(true);
    void setImpactWindow(next === "impact" ? (impactWindow ?? DEFAULT_IMPACT_WINDOW) : null);
  };
  const [overlay, setOverlay] = useState<JourneyOverlay | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [comments, setComments] = useState<{ open: boolean; target: CommentTarget }>({
    open: false,
    target: { kind: "journey" },
  });
  const trpc = useTRPC();
  // The same query as the comments panel, so a comment added there updates the counts here.
  const commentList = useQuery(trpc.journey.comments.queryOptions({ workspaceId, id: journey.id }));
  const commentCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const comment of commentList.data ?? []) {
      if (comment.resolvedAt || comment.target.kind === "journey" || !comment.target.id) continue;
      const key = commentKey({ kind: comment.target.kind, id: comment.target.id });
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }, [commentList.data]);
  const pictureRef = useRef<HTMLDivElement>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  const edit: Edit = (change) => {
    try {
      setDesign(change(design));
      setEditError(null);
      return true;
    } catch (error) {
      if (error instanceof RuleError) {
        setEditError(error.message);
        return false;
      }
      throw error;
    }
  };

  const focusTarget = (target: CheckTarget) => {
    setView("grid");
    // The grid may only now be rendering: wait a frame for its elements.
    requestAnimationFrame(() => {
      const element = document.getElementById(targetElementId(target));
      element?.scrollIntoView({ block: "nearest", inline: "center", behavior: "smooth" });
      element?.focus({ preventScroll: true });
    });
  };

  const openComments = (target: CommentTarget) => setComments({ open: true, target });
  // A stage or touchpoint removed since it was picked leaves the panel on the whole journey.
  const commentTarget: CommentTarget =
    comments.target.kind === "journey" || targetExists(design, comments.target)
      ? comments.target
      : { kind: "journey" };
  const writable = canEdit && status.kind !== "conflict";

  return (
    <div>
      <JourneyHeader
        journey={journey}
        name={draft.name}
        onRename={setName}
        description={draft.description}
        onDescribe={setDescription}
        canEdit={canEdit}
        status={status}
        settled={settled}
        revision={revision}
        onRetry={retry}
        pictureRef={pictureRef}
      />
      {status.kind === "conflict" && (
        <div className="mb-4" role="alert">
          <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            <p>
              Someone else saved this journey after you opened it, so your latest changes were not saved.
              Reload to continue from their version; the changes you made here since the last save will be
              lost.
            </p>
            <Button variant="secondary" onClick={() => void reload()}>
              Reload
            </Button>
          </div>
        </div>
      )}
      {editError && (
        <div
          className="mb-4 flex items-start justify-between gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          role="alert"
        >
          <p>{editError}</p>
          <button type="button" className="text-red-900 underline" onClick={() => setEditError(null)}>
            Dismiss
          </button>
        </div>
      )}

      <div className="mb-3 flex flex-wrap items-end justify-between gap-3 border-b border-slate-200">
        <div
          role="tablist"
          aria-label="Views of the journey"
          className="-mb-px flex flex-wrap gap-x-1"
          onKeyDown={(event) => {
            const index = views.findIndex((v) => v.key === view);
            const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
            if (!step) return;
            event.preventDefault();
            const next = views[(index + step + views.length) % views.length]!;
            showView(next.key);
            tabRefs.current[next.key]?.focus();
          }}
        >
          {views.map((v) => (
            <button
              key={v.key}
              ref={(element) => {
                tabRefs.current[v.key] = element;
              }}
              type="button"
              role="tab"
              id={`journey-tab-${v.key}`}
              aria-selected={view === v.key}
              aria-controls="journey-view"
              tabIndex={view === v.key ? 0 : -1}
              onClick={() => showView(v.key)}
              className={cx(
                "focus-visible:outline-brand-600 rounded-t-md border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 sm:px-4",
                view === v.key
                  ? "border-brand-600 text-brand-700"
                  : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
              )}
            >
              {v.label}
            </button>
          ))}
        </div>
        <div className="mb-2 flex flex-wrap items-center gap-2">
          <ChecksSummary checks={checks} design={design} onFocus={focusTarget} />
          <Button
            variant="secondary"
            aria-expanded={comments.open}
            aria-controls="journey-comments"
            onClick={() => setComments((c) => ({ open: !c.open, target: c.target }))}
          >
            {comments.open ? "Hide comments" : "Comments"}
          </Button>
        </div>
      </div>

      {overlay && (view === "grid" || view === "canvas") && (
        <div
          className="border-brand-100 bg-brand-50 text-brand-700 mb-3 flex flex-wrap items-center justify-between gap-3 rounded-md border px-3 py-2 text-sm"
          role="status"
        >
          <p>
            Showing real counts for the segment&apos;s {formatCount(overlay.members)} members,{" "}
            {formatDay(overlay.from)} to {formatDay(overlay.to)}.
          </p>
          <button type="button" className="font-medium underline" onClick={() => showView("analytics")}>
            Change or hide them in Analytics
          </button>
        </div>
      )}

      <div className="flex flex-col gap-4 xl:flex-row">
        <div
          ref={pictureRef}
          id="journey-view"
          role="tabpanel"
          aria-labelledby={`journey-tab-${view}`}
          className="min-w-0 flex-1"
        >
          {view === "grid" && (
            <JourneyGrid
              design={design}
              edit={writable ? edit : undefined}
              checks={checks}
              overlay={overlay}
              onComment={openComments}
              commentCounts={commentCounts}
            />
          )}
          {view === "canvas" && (
            <JourneyCanvas
              design={design}
              onChange={writable ? (next: JourneyDesign) => setDesign(next) : undefined}
              checks={checks}
              overlay={overlay}
            />
          )}
          {/* Once opened, the analytics stay mounted (hidden on other tabs): they own the counts on the
              map, which would go with them, and keep their chosen window. */}
          {analyticsOpened && (
            <div hidden={view !== "analytics"}>
              <JourneyAnalyticsView
                workspaceId={workspaceId}
                journeyId={journey.id}
                design={design}
                onOverlay={setOverlay}
              />
            </div>
          )}
          {view === "impact" && (
            <JourneyImpactView
              workspaceId={workspaceId}
              journeyId={journey.id}
              design={design}
              windowDays={impactWindow ?? DEFAULT_IMPACT_WINDOW}
              onWindowDays={(days) => void setImpactWindow(days)}
            />
          )}
          {view === "run" && (
            <JourneyRun
              journeyId={journey.id}
              design={design}
              publishedVersion={journey.publishedVersion}
              canEdit={canEdit}
            />
          )}
          {view === "history" && (
            <JourneyHistory
              workspaceId={workspaceId}
              journeyId={journey.id}
              canEdit={canEdit}
              onRestored={() => void reload()}
            />
          )}
        </div>
        {comments.open && (
          <aside
            id="journey-comments"
            aria-label="Comments"
            className="w-full shrink-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm xl:w-80"
          >
            <CommentTargetPicker
              design={design}
              target={commentTarget}
              onChange={(target) => setComments({ open: true, target })}
            />
            <JourneyComments
              workspaceId={workspaceId}
              journeyId={journey.id}
              design={design}
              canEdit={canEdit}
              target={commentTarget}
            />
          </aside>
        )}
      </div>
    </div>
  );
}

function targetExists(design: JourneyDesign, target: { kind: "stage" | "touchpoint"; id: string }) {
  return design.stages.some((stage) =>
    target.kind === "stage" ? stage.id === target.id : stage.touchpoints.some((tp) => tp.id === target.id),
  );
}

function targetKey(target: CommentTarget) {
  return target.kind === "journey" ? "journey" : commentKey(target);
}

/** Which item the comments panel is about: the journey, a stage or a touchpoint. */
function CommentTargetPicker({
  design,
  target,
  onChange,
}: {
  design: JourneyDesign;
  target: CommentTarget;
  onChange: (target: CommentTarget) => void;
}) {
  const options: { key: string; label: string; target: CommentTarget }[] = [
    { key: "journey", label: "The whole journey", target: { kind: "journey" } },
  ];
  for (const stage of design.stages) {
    options.push({
      key: `stage:${stage.id}`,
      label: `Stage: ${stage.name}`,
      target: { kind: "stage", id: stage.id },
    });
    for (const tp of stage.touchpoints) {
      options.push({
        key: `touchpoint:${tp.id}`,
        label: `— ${tp.title}`,
        target: { kind: "touchpoint", id: tp.id },
      });
    }
  }
  return (
    <div className="mb-3 space-y-1">
      <label htmlFor="comment-target" className="block text-sm font-medium text-slate-700">
        Comments on
      </label>
      <select
        id="comment-target"
        value={targetKey(target)}
        onChange={(event) => {
          const chosen = options.find((o) => o.key === event.target.value);
          if (chosen) onChange(chosen.target);
        }}
        className="focus:border-brand-500 focus:ring-brand-500 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:ring-1 focus:outline-none"
      >
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
