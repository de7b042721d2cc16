"use client";

import { toJpeg, toPng } from "html-to-image";
import { useState, type RefObject } from "react";
import { Alert } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPCClient } from "~/app/_trpc/react";
import { Menu } from "../../../_components/menu";
import { downloadBlob, downloadUrl, fileBaseName } from "./download";
import { jpegToPdf } from "./pdf";

/** Pictures are taken at twice the screen's pixels, so they stay sharp when printed or zoomed. */
const PIXEL_RATIO = 2;

type Format = "png" | "pdf" | "json";

const formatLabels: Record<Format, string> = {
  png: "Picture (PNG)",
  pdf: "Picture (PDF)",
  json: "Data (JSON)",
};

/**
 * The canvas's controls, minimap and attribution, and anything marked
 * data-picture="skip" (toolbars, selection panels), are for working on the
 * map, not part of its picture.
 */
function pictured(node: HTMLElement): boolean {
  if (!(node instanceof HTMLElement)) return true;
  return !node.classList.contains("react-flow__panel") && node.dataset.picture !== "skip";
}

function pictureOptions() {
  return { backgroundColor: "#ffffff", pixelRatio: PIXEL_RATIO, filter: pictured };
}

function dataUrlBytes(dataUrl: string): Uint8Array {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(",") + 1));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The "Export" menu of a journey: a picture of what `pictureRef` shows (the
 * grid or the canvas) as PNG or PDF, and the journey's data as JSON that
 * "Import journey" reads back.
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
      if (format === "png") {
        downloadUrl(await toPng(element, pictureOptions()), `${base}.png`);
      } else {
        const jpeg = dataUrlBytes(await toJpeg(element, { ...pictureOptions(), quality: 0.92 }));
        const pdf = jpegToPdf(jpeg, { pixelRatio: PIXEL_RATIO });
        downloadBlob(new Blob([pdf as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), `${base}.pdf`);
      }
    } catch (error) {
      setFailure(`Could not export ${formatLabels[format]}: ${errorMessage(error)}`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <Menu label="Export" button={<span>{busy ? "Exporting…" : "Export"}</span>} align="right">
        {(close) =>
          (Object.keys(formatLabels) as Format[]).map((format) => (
            <button
              key={format}
              type="button"
              disabled={busy !== null}
              className="block w-full px-3 py-2 text-left text-sm text-slate-800 hover:bg-slate-100 disabled:text-slate-400"
              onClick={() => {
                close();
                void exportAs(format);
              }}
            >
              {formatLabels[format]}
            </button>
          ))
        }
      </Menu>
      <p aria-live="polite" className="sr-only">
        {busy ? `Exporting ${formatLabels[busy]}…` : ""}
      </p>
      {failure && <Alert>{failure}</Alert>}
    </div>
  );
}
