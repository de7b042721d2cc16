import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "~/server/root";

// Every procedure declares what it returns with .output(): tRPC strips what
// the schema does not name, so a column added to a query does not reach the
// browser unless someone decides it should. A schema that lets unknown keys
// through, or takes anything, would undo that, so those are refused too.

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { output?: unknown } }>;

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Where a schema takes anything or lets unknown keys through: "" for the root, else a path. */
function openings(schema: z.ZodType, at = "", seen = new Set<z.ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = defOf(schema);
  const inner = (child: z.ZodType | undefined, step = "") => (child ? openings(child, at + step, seen) : []);
  switch (def.type) {
    case "any":
      return [`${at || "(root)"} is z.any()`];
    case "object":
      return [
        ...(def.catchall && defOf(def.catchall).type !== "never" ? [`${at || "(root)"} lets unknown keys through`] : []),
        ...Object.entries(def.shape ?? {}).flatMap(([key, child]) => inner(child, `.${key}`)),
      ];
    case "array":
      return inner(def.element, "[]");
    case "record":
      return inner(def.valueType, "{}");
    case "union":
      return (def.options ?? []).flatMap((option) => inner(option));
    case "intersection":
      return [...inner(def.left), ...inner(def.right)];
    case "pipe":
      return [...inner(def.in), ...inner(def.out)];
    case "lazy":
      return inner(def.getter?.());
    default:
      return inner(def.innerType);
  }
}

const paths = Object.keys(procedures).sort();

describe("procedure outputs", () => {
  it("finds the procedures", () => {
    expect(paths.length).toBeGreaterThan(80);
  });

  it("notices a schema that takes anything or lets unknown keys through", () => {
    const open = z.object({
      rows: z.array(z.looseObject({ id: z.string() })),
      extra: z.any().nullable(),
      design: z.strictObject({ id: z.string() }),
    });
    expect(openings(open)).toEqual([".rows[] lets unknown keys through", ".extra is z.any()"]);
  });

  it.each(paths)("%s declares its output", (path) => {
    const output = procedures[path]!._def.output as z.ZodType | undefined;
    expect(output, `${path} has no .output(schema)`).toBeDefined();
    expect(openings(output!)).toEqual([]);
  });
});
