import { z } from "zod";
import { MAX_LEVELS, ZMaturityModel, type MaturityModel } from "~/server/maturity/model";

// The model editor's working copy. It differs from a model in one way: each
// cell's evidence examples are the text of a textarea, one example a line, so
// that typing a new line does not lose it. toDefinition turns it back into a
// model for validation and saving; the paths of the problems found are then the
// model's own ("dimensions[2].levels[0].evidence[1]").

export interface DraftCell {
  level: number;
  descriptor: string;
  evidenceText: string;
}

export interface DraftDimension {
  key: string;
  name: string;
  description: string;
  /** Added in this edit: its key can still be changed. */
  added: boolean;
  levels: DraftCell[];
}

export interface ModelDraft {
  key: string;
  name: string;
  version: number;
  levels: MaturityModel["levels"];
  dimensions: DraftDimension[];
}

export function draftOf(model: MaturityModel): ModelDraft {
  return {
    key: model.key,
    name: model.name,
    version: model.version,
    levels: model.levels.map((l) => ({ ...l })),
    dimensions: model.dimensions.map((d) => ({
      key: d.key,
      name: d.name,
      description: d.description,
      added: false,
      levels: d.levels.map((cell) => ({
        level: cell.level,
        descriptor: cell.descriptor,
        evidenceText: cell.evidence.join("\n"),
      })),
    })),
  };
}

/** The examples of a textarea: one a line, blank lines ignored. */
export function evidenceLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function toDefinition(draft: ModelDraft): unknown {
  return {
    key: draft.key,
    name: draft.name,
    version: draft.version,
    levels: draft.levels,
    dimensions: draft.dimensions.map((d) => ({
      key: d.key,
      name: d.name,
      description: d.description,
      levels: d.levels.map((cell) => ({
        level: cell.level,
        descriptor: cell.descriptor,
        evidence: evidenceLines(cell.evidenceText),
      })),
    })),
  };
}

/**
 * The draft made into a model and checked with the server's own schema and
 * rules, so the problems shown beside the fields are the ones a save would get.
 */
export const modelDraftSchema = z.custom<ModelDraft>().transform(toDefinition).pipe(ZMaturityModel);

/** A key for a new dimension from its place: "dimension-8", or the next free number. */
export function newDimensionKey(existing: readonly string[]): string {
  for (let n = existing.length + 1; ; n++) {
    const key = `dimension-${n}`;
    if (!existing.includes(key)) return key;
  }
}

/** A new, empty dimension with a cell for every level, for the admin to fill in. */
export function emptyDimension(draft: ModelDraft): DraftDimension {
  return {
    key: newDimensionKey(draft.dimensions.map((d) => d.key)),
    name: "",
    description: "",
    added: true,
    levels: draft.levels
      .slice(0, MAX_LEVELS)
      .map((l) => ({ level: l.level, descriptor: "", evidenceText: "" })),
  };
}
