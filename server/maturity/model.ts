import { z } from "zod";
import { InvalidInputError } from "~/server/errors";
import { builtInModelContent } from "./built-in-model";

// A maturity model: the levels of the customer-centricity journey and, per
// dimension, what is true of an organisation at each level. It is plain JSON
// and imports nothing from the server (errors.ts has no imports), so the
// model editor can validate a custom model in the browser as it changes.
//
// How a model is scored: a dimension is at level N when the descriptors of
// levels 2..N are all true of the organisation (each descriptor from level 2
// on begins "All of level N-1, and ..."). Level 1 is the floor: a dimension
// whose level-2 descriptor is not fully true scores 1.
//
// Models are versioned: an assessment refers to a model key and version, and a
// changed model is saved as a new version, so old assessments keep the meaning
// they were scored against.

export const MIN_LEVELS = 2;
export const MAX_LEVELS = 7;
export const MAX_DIMENSIONS = 20;
export const MAX_EVIDENCE_EXAMPLES = 6;

// PostgreSQL text cannot hold NUL, so it is refused here rather than failing in the database.
const noNul = (s: string) => !s.includes("\u0000");
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, "must not contain NUL characters");

/** Keys name a model or a dimension in URLs, indicator definitions and stored scores. */
export const ZModelKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,47}$/, "must be 1-48 lower-case letters, digits or -, starting with a letter");

export const ZModelName = text(120);

const levelNumber = z
  .number()
  .int("must be a whole number")
  .min(1, "levels start at 1")
  .max(MAX_LEVELS, `a model has at most ${MAX_LEVELS} levels`);

export const ZMaturityLevel = z.strictObject({
  level: levelNumber,
  name: text(40),
  /** One or two sentences: the organisation at this level, across all dimensions. */
  summary: text(500),
});
export type MaturityLevel = z.infer<typeof ZMaturityLevel>;

/** One cell of the model: a dimension at a level. */
export const ZLevelDescriptor = z.strictObject({
  level: levelNumber,
  /** What is true of the organisation at this level, concretely enough to check. */
  descriptor: text(900),
  /** Examples of what an assessor would see; a new custom dimension may start without any. */
  evidence: z.array(text(300)).max(MAX_EVIDENCE_EXAMPLES, `at most ${MAX_EVIDENCE_EXAMPLES} examples`),
});
export type LevelDescriptor = z.infer<typeof ZLevelDescriptor>;

export const ZDimension = z.strictObject({
  key: ZModelKey,
  name: text(80),
  description: text(500),
  levels: z.array(ZLevelDescriptor).max(MAX_LEVELS),
});
export type Dimension = z.infer<typeof ZDimension>;

export const ZMaturityModel = z
  .strictObject({
    key: ZModelKey,
    name: ZModelName,
    version: z.number().int("must be a whole number").min(1, "versions start at 1"),
    levels: z
      .array(ZMaturityLevel)
      .min(MIN_LEVELS, `a model needs at least ${MIN_LEVELS} levels`)
      .max(MAX_LEVELS, `a model has at most ${MAX_LEVELS} levels`),
    dimensions: z
      .array(ZDimension)
      .min(1, "a model needs at least one dimension")
      .max(MAX_DIMENSIONS, `a model has at most ${MAX_DIMENSIONS} dimensions`),
  })
  .superRefine((model, ctx) => {
    for (const issue of structuralIssues(model)) ctx.addIssue({ code: "custom", ...issue });
  });
export type MaturityModel = z.infer<typeof ZMaturityModel>;
export type MaturityModelInput = z.input<typeof ZMaturityModel>;

type Issue = { path: (string | number)[]; message: string };

/** The rules across fields: numbering, every cell present once, no repeated names, keys or descriptors. */
function structuralIssues(model: { levels: MaturityLevel[]; dimensions: Dimension[] }): Issue[] {
  const issues: Issue[] = [];
  const levelCount = model.levels.length;

  model.levels.forEach((level, i) => {
    if (level.level !== i + 1)
      issues.push({
        path: ["levels", i, "level"],
        message: `expected level ${i + 1}: levels are numbered 1 to ${levelCount} in order, without gaps`,
      });
  });
  issues.push(
    ...duplicates(
      model.levels,
      (l) => l.name.toLowerCase(),
      ["levels"],
      "name",
      (i) => `level ${i + 1}`,
    ),
    ...duplicates(
      model.dimensions,
      (d) => d.key,
      ["dimensions"],
      "key",
      (i) => `dimension ${i + 1}`,
    ),
    ...duplicates(
      model.dimensions,
      (d) => d.name.toLowerCase(),
      ["dimensions"],
      "name",
      (i) => `dimension ${i + 1}`,
    ),
  );

  model.dimensions.forEach((dimension, d) => {
    const cellIssues: Issue[] = [];
    const described = new Set<number>();
    dimension.levels.forEach((cell, c) => {
      const path = ["dimensions", d, "levels", c, "level"];
      if (cell.level > levelCount)
        cellIssues.push({ path, message: `the model has no level ${cell.level} (it has ${levelCount})` });
      else if (described.has(cell.level))
        cellIssues.push({ path, message: `level ${cell.level} is described twice` });
      described.add(cell.level);
    });
    for (const level of model.levels) {
      if (!described.has(level.level))
        cellIssues.push({
          path: ["dimensions", d, "levels"],
          message: `"${dimension.name}" does not describe level ${level.level} (${level.name})`,
        });
    }
    // Order matters only once every level is there exactly once: cell i is level i + 1 everywhere else.
    if (cellIssues.length === 0) {
      const misplaced = dimension.levels.findIndex((cell, c) => cell.level !== c + 1);
      if (misplaced >= 0)
        cellIssues.push({
          path: ["dimensions", d, "levels", misplaced, "level"],
          message: `expected level ${misplaced + 1}: describe the levels in order`,
        });
    }
    issues.push(...cellIssues);
    // Two levels with the same words cannot be told apart by an assessor.
    issues.push(
      ...duplicates(
        dimension.levels,
        (cell) => cell.descriptor.toLowerCase(),
        ["dimensions", d, "levels"],
        "descriptor",
        (i) => `level ${dimension.levels[i]?.level}`,
      ),
    );
  });
  return issues;
}

function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  path: (string | number)[],
  field: string,
  /** Names the first item with the same value: "dimension 2". */
  itemName: (index: number) => string,
): Issue[] {
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else issues.push({ path: [...path, i, field], message: `the same ${field} as ${itemName(first)}` });
  });
  return issues;
}

export type ModelIssue = { path: string; message: string };

export type ModelValidation = { ok: true; model: MaturityModel } | { ok: false; issues: ModelIssue[] };

/** Checks a model from any source (the editor, an import, the database); paths read like "dimensions[2].levels[0].descriptor". */
export function validateModel(input: unknown): ModelValidation {
  const result = ZMaturityModel.safeParse(input);
  if (result.success) return { ok: true, model: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: z.core.toDotPath(issue.path),
      message: issue.message,
    })),
  };
}

export class InvalidModelError extends InvalidInputError {
  name = "InvalidModelError";
  constructor(issues: ModelIssue[]) {
    const listed = issues.slice(0, 5).map((i) => `${i.path || "model"}: ${i.message}`);
    super(`The maturity model is not valid: ${listed.join("; ")}`, issues);
  }
}

/** Like validateModel, but throws InvalidModelError (a BAD_REQUEST with the issues) for a caller that needs a model. */
export function parseModel(input: unknown): MaturityModel {
  const result = validateModel(input);
  if (!result.ok) throw new InvalidModelError(result.issues);
  return result.model;
}

/** The model that ships with Centric (docs/maturity-model.md shows it as tables). */
export const builtInModel: MaturityModel = parseModel(builtInModelContent);

/**
 * An editable copy of a model, for admins to rename, add or remove dimensions
 * and reword levels. It gets a new key (from its name) and starts at version 1;
 * the dimension keys stay, so data indicators keep informing the dimensions that
 * the copy keeps.
 */
export function copyModel(model: MaturityModel, options: { name: string }): MaturityModel {
  const name = ZModelName.safeParse(options.name);
  if (!name.success)
    throw new InvalidModelError(name.error.issues.map((issue) => ({ path: "name", message: issue.message })));
  return parseModel({
    ...structuredClone(model),
    key: newModelKey(name.data),
    name: name.data,
    version: 1,
  });
}

/** "Retail EU model" → "retail-eu-model-3f9a1c"; the random tail keeps copies with the same name apart. */
export function newModelKey(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  const random = globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 6);
  return `${slug || "model"}-${random}`;
}

/** The name of a level in a model, e.g. 3 → "Integrated". */
export function levelName(model: Pick<MaturityModel, "levels">, level: number): string {
  const found = model.levels.find((l) => l.level === level);
  if (!found) throw new RangeError(`the model has no level ${level}`);
  return found.name;
}
