"use client";

import { toPng } from "html-to-image";
import Link from "next/link";
import { useState, type RefObject } from "react";
import { Alert } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPCClient } from "~/app/_trpc/react";
import { Menu } from "../../../_components/menu";
import { useWorkspace } from "../../../_components/workspace-context";
import { downloadBlob, downloadUrl, fileBaseName } from "./download";
import { PICTURED_STYLES } from "./pictured-styles";

/** Pictures are taken at twice the screen's pixels, so they stay sharp when printed or zoomed. */
const PIXEL_RATIO = 2;

type Format = "png" | "json";

const formatLabels: Record<Format, string> = {
  png: "Picture (PNG)",
  json: "Data (JSON)",
};

const menuItemClass =
  "block w-full px-3 py-2 text-left text-sm text-slate-800 hover:bg-slate-100 disabled:text-slate-400";

/**
 * The canvas's controls, minimap and attribution, and anything marked
 * data-picture="skip" (toolbars, selection panels), are for working on the
 * map, not part of its picture.
 */
function pictured(node: HTMLElement): boolean {
  if (!(node instanceof HTMLElement)) return true;
  return !node.classList.contains("react-flow__panel") && node.dataset.picture !== "skip";
}

/**
 * A box inside the picture that scrolls (the grid when it is wider than the
 * screen) would be pictured as the slice that shows. html-to-image copies each
 * node's computed style into its clone, so the boxes are unrolled on the page
 * itself for the time of the capture; the returned function rolls them back.
 */
function unrollScrollBoxes(root: HTMLElement): () => void {
  const restores: (() => void)[] = [];
  for (const box of root.querySelectorAll<HTMLElement>("*")) {
    const style = getComputedStyle(box);
    const scrollsX = /auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth;
    const scrollsY = /auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight;
    if (!scrollsX && !scrollsY) continue;
    const before = box.getAttribute("style");
    // Measured before any change: the unrolled box is as large as what it scrolled.
    const borderX = box.offsetWidth - box.clientWidth;
    const borderY = box.offsetHeight - box.clientHeight;
    const [width, height] = [box.scrollWidth + borderX, box.scrollHeight + borderY];
    box.style.overflow = "visible";
    if (scrollsX) Object.assign(box.style, { width: `${width}px`, maxWidth: "none" });
    if (scrollsY) Object.assign(box.style, { height: `${height}px`, maxHeight: "none" });
    restores.push(() => (before === null ? box.removeAttribute("style") : box.setAttribute("style", before)));
  }
  return () => restores.forEach((restore) => restore());
}

/**
 * Pictures the whole of `element`, however much of it is scrolled out of
 * view: the capture is sized to its scroll size, with nothing clipped.
 */
async function picture(element: HTMLElement): Promise<string> {
  const rollBack = unrollScrollBoxes(element);
  try {
    const [width, height] = [element.scrollWidth, element.scrollHeight];
    return await toPng(element, {
      backgroundColor: "#ffffff",
      pixelRatio: PIXEL_RATIO,
      filter: pictured,
      // The app's fonts are the system's: there are no web fonts to embed.
      skipFonts: true,
      includeStyleProperties: PICTURED_STYLES,
      width,
      height,
      style: { width: `${width}px`, height: `${height}px`, maxWidth: "none", overflow: "visible" },
    });
  } finally {
    rollBack();
  }
}

/**
 * The "Export" menu of a journey: a picture of what `pictureRef` shows (the
 * grid or the canvas) as PNG, the journey's data as JSON that "Import journey"
 * reads back, and the printable document, whose print dialog saves a PDF.
 */
export function ExportJourneyMenu({
  workspaceId,
  journeyId,
  journeyName,
  pictureRef,
}: {
  workspaceId: string;
  journeyId: string;
  journeyName: string;
  pictureRef: RefObject<HTMLElement | null>;
}) {
  const client = useTRPCClient();
  const { slug } = useWorkspace();
  const [busy, setBusy] = useState<Format | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const base = fileBaseName(journeyName);

  async function exportAs(format: Format) {
    setBusy(format);
    setFailure(null);
    try {
      if (format === "json") {
        const data = await client.journey.exportJson.query({ workspaceId, id: journeyId });
        const json = JSON.stringify(data, null, 2);
        downloadBlob(new Blob([json], { type: "application/json" }), `${base}.journey.json`);
        return;
      }
      const element = pictureRef.current;
      if (!element) throw new Error("There is nothing on screen to picture yet.");
      downloadUrl(await picture(element), `${base}.png`);
    } catch (error) {
      setFailure(`Could not export ${formatLabels[format]}: ${errorMessage(error)}`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <Menu label="Export" button={<span>{busy ? "Exporting…" : "Export"}</span>} align="right">
        {(close) => (
          <>
            {(Object.keys(formatLabels) as Format[]).map((format) => (
              <button
                key={format}
                type="button"
                disabled={busy !== null}
                className={menuItemClass}
                onClick={() => {
                  close();
                  void exportAs(format);
                }}
              >
                {formatLabels[format]}
              </button>
            ))}
            <Link
              href={`/w/${slug}/journeys/${journeyId}/print?print=1`}
              target="_blank"
              className={menuItemClass}
              onClick={close}
            >
              Print or PDF (document)
            </Link>
          </>
        )}
      </Menu>
      <p aria-live="polite" className="sr-only">
        {busy ? `Exporting ${formatLabels[busy]}…` : ""}
      </p>
      {failure && <Alert>{failure}</Alert>}
    </div>
  );
}
