import { useState } from "react";
import { RuleError } from "~/server/errors";
import type { JourneyDesign } from "~/server/journeys/design";

type DesignEdit = (current: JourneyDesign) => JourneyDesign;

/**
 * Applies the canvas's edits to the design. A rule an edit breaks is shown
 * (`refusal`) or, from a dialog, handed back to it; never thrown.
 */
export function useDesignEdits(design: JourneyDesign, onChange?: (next: JourneyDesign) => void) {
  const [refusal, setRefusal] = useState<string | null>(null);

  /** Returns whether the design changed. */
  function apply(edit: DesignEdit): boolean {
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
  /** The refusal's message, for the dialog to show; null once applied. */
  function applyFromDialog(edit: DesignEdit): string | null {
    try {
      onChange?.(edit(design));
      return null;
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      return error.message;
    }
  }
  return { apply, applyFromDialog, refusal };
}
