"use client";

import { useEffect, useState } from "react";
import { Button } from "~/app/_components/ui";

/**
 * Copies `text`. Without clipboard access (plain http on another host) it
 * selects the element `selectId` instead, for Ctrl+C.
 */
export function CopyButton({
  text,
  selectId,
  label,
  what,
}: {
  text: string;
  selectId: string;
  /** Visible label, e.g. "Copy". */
  label: string;
  /** For screen readers and the confirmation: "the key of Web shop". */
  what: string;
}) {
  const [state, setState] = useState<"copied" | "select">();

  useEffect(() => {
    if (!state) return;
    const timer = setTimeout(() => setState(undefined), 4_000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      const target = document.getElementById(selectId);
      const selection = window.getSelection();
      if (target && selection) {
        const range = document.createRange();
        range.selectNodeContents(target);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setState("select");
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <Button variant="secondary" className="shrink-0 px-2 py-1 text-xs" onClick={() => void copy()}>
        {state === "copied" ? "Copied" : label}
        <span className="sr-only"> {what}</span>
      </Button>
      <span aria-live="polite" className="sr-only">
        {state === "copied"
          ? `Copied ${what}.`
          : state === "select"
            ? `Could not copy automatically: ${what} is selected, press Ctrl+C.`
            : ""}
      </span>
    </span>
  );
}
