import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "~/server/errors";
import { indicatorDefinitions } from "./indicators";
import {
  builtInModel,
  copyModel,
  InvalidModelError,
  levelName,
  newModelKey,
  parseModel,
  validateModel,
  type MaturityModel,
} from "./model";

const copyOf = (): MaturityModel => structuredClone(builtInModel);

describe("the built-in model", () => {
  it("validates, with five levels from self-service web to memorable and the seven dimensions", () => {
    expect(validateModel(builtInModel)).toEqual({ ok: true, model: builtInModel });
    expect(builtInModel.levels.map((l) => l.name)).toEqual([
      "Self-service web",
      "Recognised",
      "Integrated",
      "Personalised",
      "Memorable",
    ]);
    expect(builtInModel.dimensions.map((d) => d.name)).toEqual([
      "Digital presence and self-service",
      "Customer recognition and data",
      "Cross-channel integration",
      "Personalisation and timing",
      "Customer value management",
      "Governance and organisation",
      "Technology leverage",
    ]);
  });

  it("describes all 35 cells, each distinct, with 2-4 evidence examples", () => {
    const cells = builtInModel.dimensions.flatMap((d) => d.levels);
    expect(cells).toHaveLength(35);
    for (const cell of cells) {
      expect(cell.descriptor.length).toBeGreaterThan(100);
      expect(cell.evidence.length).toBeGreaterThanOrEqual(2);
      expect(cell.evidence.length).toBeLessThanOrEqual(4);
    }
    expect(new Set(cells.map((c) => c.descriptor)).size).toBe(35);
    expect(new Set(cells.flatMap((c) => c.evidence)).size).toBe(cells.flatMap((c) => c.evidence).length);
  });

  it("builds each level on the one below it", () => {
    for (const dimension of builtInModel.dimensions) {
      for (const cell of dimension.levels.slice(1)) {
        expect(cell.descriptor, `${dimension.key} level ${cell.level}`).toMatch(
          new RegExp(`^All of level ${cell.level - 1}, and `),
        );
      }
    }
  });

  it("names the same thresholds as the data indicators of each dimension", () => {
    // A descriptor that says "at least 40%" while its indicator counts from 45%
    // would make the data disagree with an honest self-score.
    for (const indicator of indicatorDefinitions) {
      const dimension = builtInModel.dimensions.find((d) => d.key === indicator.dimensionKey)!;
      indicator.thresholds.forEach((threshold, i) => {
        if (threshold === null) return;
        const cell = dimension.levels[i + 1]!;
        const figure = indicator.unit === "percent" ? `${threshold}%` : `${threshold} days`;
        expect(cell.descriptor, `${indicator.key} at level ${i + 2}`).toContain(figure);
      });
    }
  });
});

describe("validateModel", () => {
  it("reports a dimension that leaves out a level, with its path", () => {
    const model = copyOf();
    model.dimensions[2]!.levels.splice(3, 1);
    const result = validateModel(model);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      {
        path: "dimensions[2].levels",
        message: '"Cross-channel integration" does not describe level 4 (Personalised)',
      },
    ]);
  });

  it("reports duplicate dimension keys and names at the second one", () => {
    const model = copyOf();
    model.dimensions[5] = {
      ...model.dimensions[5]!,
      key: "recognition",
      name: "customer RECOGNITION and data",
    };
    const result = validateModel(model);
    expect(!result.ok && result.issues).toEqual([
      { path: "dimensions[5].key", message: "the same key as dimension 2" },
      { path: "dimensions[5].name", message: "the same name as dimension 2" },
    ]);
  });

  it("reports levels that are not numbered 1..N, a level described twice and one the model lacks", () => {
    const model = copyOf();
    model.levels[2]!.level = 4;
    const gappy = validateModel(model);
    expect(!gappy.ok && gappy.issues[0]).toEqual({
      path: "levels[2].level",
      message: "expected level 3: levels are numbered 1 to 5 in order, without gaps",
    });

    const twice = copyOf();
    twice.dimensions[0]!.levels[4]!.level = 4;
    const result = validateModel(twice);
    expect(!result.ok && result.issues.map((i) => i.path + ": " + i.message)).toEqual([
      "dimensions[0].levels[4].level: level 4 is described twice",
      'dimensions[0].levels: "Digital presence and self-service" does not describe level 5 (Memorable)',
    ]);

    const beyond = copyOf();
    beyond.dimensions[1]!.levels.push({ level: 6, descriptor: "Beyond the top", evidence: [] });
    const extra = validateModel(beyond);
    expect(!extra.ok && extra.issues).toEqual([
      { path: "dimensions[1].levels[5].level", message: "the model has no level 6 (it has 5)" },
    ]);
  });

  it("reports levels out of order, and two levels of a dimension with the same words", () => {
    const swapped = copyOf();
    const cells = swapped.dimensions[3]!.levels;
    [cells[1], cells[2]] = [cells[2]!, cells[1]!];
    const result = validateModel(swapped);
    expect(!result.ok && result.issues).toEqual([
      { path: "dimensions[3].levels[1].level", message: "expected level 2: describe the levels in order" },
    ]);

    const repeated = copyOf();
    repeated.dimensions[4]!.levels[3]!.descriptor = repeated.dimensions[4]!.levels[2]!.descriptor;
    const same = validateModel(repeated);
    expect(!same.ok && same.issues).toEqual([
      { path: "dimensions[4].levels[3].descriptor", message: "the same descriptor as level 3" },
    ]);
  });

  it("refuses empty text, unknown fields and bad keys field by field", () => {
    const model = copyOf() as unknown as Record<string, unknown> & MaturityModel;
    model.dimensions[0]!.name = "  ";
    model.dimensions[6]!.key = "Technology Leverage";
    (model.dimensions[1]!.levels[0] as unknown as Record<string, unknown>).score = 3;
    const result = validateModel(model);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual([
      "dimensions[0].name",
      "dimensions[1].levels[0]",
      "dimensions[6].key",
    ]);
  });

  it("parseModel throws an InvalidInputError listing the issues", () => {
    const model = copyOf();
    model.dimensions = [];
    expect(() => parseModel(model)).toThrow(InvalidModelError);
    try {
      parseModel(model);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues).toEqual([
        { path: "dimensions", message: "a model needs at least one dimension" },
      ]);
    }
  });
});

describe("copyModel", () => {
  it("makes an editable copy with its own key, the new name and version 1", () => {
    const revised = { ...copyOf(), version: 3 };
    const copy = copyModel(revised, { name: "  Retail EU model " });
    expect(copy.name).toBe("Retail EU model");
    expect(copy.key).toMatch(/^retail-eu-model-[0-9a-f]{6}$/);
    expect(copy.version).toBe(1);
    expect(copy.dimensions).toEqual(builtInModel.dimensions);
    expect(copyModel(revised, { name: "Retail EU model" }).key).not.toBe(copy.key);

    // Editing the copy leaves the original alone.
    copy.dimensions[0]!.levels[0]!.evidence.push("Our own example.");
    copy.levels[0]!.name = "Web basics";
    expect(builtInModel.dimensions[0]!.levels[0]!.evidence).toHaveLength(3);
    expect(levelName(builtInModel, 1)).toBe("Self-service web");
    expect(validateModel(copy).ok).toBe(true);
  });

  it("refuses an empty name", () => {
    expect(() => copyModel(builtInModel, { name: "   " })).toThrow(/name: must not be empty/);
  });

  it("makes a key from a name with accents, or without letters", () => {
    expect(newModelKey("2026 — Ünïcode")).toMatch(/^unicode-[0-9a-f]{6}$/);
    expect(newModelKey("!!!")).toMatch(/^model-[0-9a-f]{6}$/);
  });
});

describe("docs/maturity-model.md", () => {
  const doc = readFileSync(new URL("../../docs/maturity-model.md", import.meta.url), "utf8");

  it("names every level and dimension of the built-in model, and every indicator", () => {
    for (const level of builtInModel.levels) expect(doc).toContain(`${level.level} ${level.name}`);
    for (const dimension of builtInModel.dimensions) expect(doc).toContain(`### ${dimension.name}`);
    for (const indicator of indicatorDefinitions) expect(doc).toContain(indicator.name);
  });

  it("shows each indicator's definition and thresholds as the module has them", () => {
    for (const indicator of indicatorDefinitions) {
      const row = doc.split("\n").find((line) => line.includes(`(\`${indicator.key}\`)`));
      expect(row, indicator.key).toContain(indicator.definition);
      const cells = row!
        .split("|")
        .slice(-5, -1)
        .map((cell) => cell.trim());
      expect(cells.map((cell) => (cell === "–" ? null : Number(cell.replace(/[^\d.]/g, ""))))).toEqual(
        indicator.thresholds,
      );
    }
  });

  it("shows every cell's descriptor as the module has it", () => {
    for (const dimension of builtInModel.dimensions)
      for (const cell of dimension.levels)
        expect(doc, `${dimension.key} ${cell.level}`).toContain(cell.descriptor);
  });
});
