import "server-only";
import { and, desc, eq, max } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { maturityModels, maturityModelVersions, users } from "~/db/schema";
import { InvalidInputError, NotFoundError } from "~/server/errors";
import { builtInModel, copyModel, parseModel, type MaturityModel } from "./model";

// Maturity models as a workspace sees them: the built-in model, which lives in
// code and is never stored, and the workspace's custom copies, each saved as
// numbered versions. An assessment names (model id, version) with a null id
// for the built-in model, so editing a model never changes an old assessment.

/** A model version as assessments refer to it; modelId null is the built-in model. */
export interface ModelRef {
  modelId: string | null;
  version: number;
}

export interface ModelSummary extends ModelRef {
  key: string;
  name: string;
  builtIn: boolean;
  levels: number;
  dimensions: number;
  createdAt: Date | null;
}

function summary(ref: ModelRef, model: MaturityModel, createdAt: Date | null): ModelSummary {
  return {
    ...ref,
    key: model.key,
    name: model.name,
    builtIn: ref.modelId === null,
    levels: model.levels.length,
    dimensions: model.dimensions.length,
    createdAt,
  };
}

/** The built-in model, then the workspace's custom models (newest version each), by name. */
export async function listModels(db: DbOrTx, workspaceId: string): Promise<ModelSummary[]> {
  const rows = await db
    .selectDistinctOn([maturityModelVersions.modelId], {
      modelId: maturityModelVersions.modelId,
      version: maturityModelVersions.version,
      definition: maturityModelVersions.definition,
      createdAt: maturityModelVersions.createdAt,
    })
    .from(maturityModelVersions)
    .where(eq(maturityModelVersions.workspaceId, workspaceId))
    .orderBy(maturityModelVersions.modelId, desc(maturityModelVersions.version));
  const custom = rows
    .map((row) => summary(row, row.definition, row.createdAt))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [summary({ modelId: null, version: builtInModel.version }, builtInModel, null), ...custom];
}

/** A model version's definition; without a version, the newest. NotFoundError for another workspace's model. */
export async function getModelVersion(
  db: DbOrTx,
  { workspaceId, modelId, version }: { workspaceId: string; modelId: string | null; version?: number },
): Promise<{ ref: ModelRef; model: MaturityModel }> {
  if (modelId === null) {
    if (version !== undefined && version !== builtInModel.version)
      throw new NotFoundError(`The built-in model has no version ${version}.`);
    return { ref: { modelId: null, version: builtInModel.version }, model: builtInModel };
  }
  const [row] = await db
    .select({ version: maturityModelVersions.version, definition: maturityModelVersions.definition })
    .from(maturityModelVersions)
    .where(
      and(
        eq(maturityModelVersions.workspaceId, workspaceId),
        eq(maturityModelVersions.modelId, modelId),
        version === undefined ? undefined : eq(maturityModelVersions.version, version),
      ),
    )
    .orderBy(desc(maturityModelVersions.version))
    .limit(1);
  if (!row)
    throw new NotFoundError(
      version === undefined ? "That maturity model does not exist." : `That model has no version ${version}.`,
    );
  return { ref: { modelId, version: row.version }, model: row.definition };
}

/** Copies a model (the built-in one or a custom version) into a new custom model at version 1. */
export async function copyIntoCustomModel(
  db: DbOrTx,
  input: {
    workspaceId: string;
    userId: string;
    from: { modelId: string | null; version?: number };
    name: string;
  },
): Promise<ModelSummary> {
  const { model: source } = await getModelVersion(db, { workspaceId: input.workspaceId, ...input.from });
  const copy = copyModel(source, { name: input.name });
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(maturityModels)
      .values({ workspaceId: input.workspaceId, key: copy.key, name: copy.name, createdBy: input.userId })
      .returning({ id: maturityModels.id, createdAt: maturityModels.createdAt });
    await tx.insert(maturityModelVersions).values({
      workspaceId: input.workspaceId,
      modelId: created!.id,
      version: 1,
      definition: copy,
      createdBy: input.userId,
    });
    return summary({ modelId: created!.id, version: 1 }, copy, created!.createdAt);
  });
}

/**
 * Saves an edited custom model as its next version. The key stays the model's
 * own and the version is assigned here, whatever the definition says; the rest
 * is validated by parseModel (InvalidModelError names each bad field).
 */
export async function saveModelVersion(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; modelId: string; definition: unknown },
): Promise<ModelSummary> {
  return db.transaction(async (tx) => {
    const [model] = await tx
      .select({ key: maturityModels.key })
      .from(maturityModels)
      .where(and(eq(maturityModels.workspaceId, input.workspaceId), eq(maturityModels.id, input.modelId)))
      .for("update");
    if (!model) throw new NotFoundError("That maturity model does not exist.");
    if (typeof input.definition !== "object" || input.definition === null)
      throw new InvalidInputError("The maturity model is not valid: expected an object", [
        { path: "", message: "expected an object" },
      ]);
    const [latest] = await tx
      .select({ version: max(maturityModelVersions.version) })
      .from(maturityModelVersions)
      .where(
        and(
          eq(maturityModelVersions.workspaceId, input.workspaceId),
          eq(maturityModelVersions.modelId, input.modelId),
        ),
      );
    const version = (latest?.version ?? 0) + 1;
    const definition = parseModel({ ...input.definition, key: model.key, version });
    const [saved] = await tx
      .insert(maturityModelVersions)
      .values({
        workspaceId: input.workspaceId,
        modelId: input.modelId,
        version,
        definition,
        createdBy: input.userId,
      })
      .returning({ createdAt: maturityModelVersions.createdAt });
    await tx
      .update(maturityModels)
      .set({ name: definition.name })
      .where(and(eq(maturityModels.workspaceId, input.workspaceId), eq(maturityModels.id, input.modelId)));
    return summary({ modelId: input.modelId, version }, definition, saved!.createdAt);
  });
}

export interface ModelVersionSummary {
  version: number;
  name: string;
  levels: number;
  dimensions: number;
  createdAt: Date;
  /** Who saved it; null once their account is gone. */
  createdBy: string | null;
}

/** Every saved version of a custom model, newest first, for its history. NotFoundError for another workspace's model. */
export async function listModelVersions(
  db: DbOrTx,
  { workspaceId, modelId }: { workspaceId: string; modelId: string },
): Promise<ModelVersionSummary[]> {
  const rows = await db
    .select({
      version: maturityModelVersions.version,
      definition: maturityModelVersions.definition,
      createdAt: maturityModelVersions.createdAt,
      createdBy: users.name,
    })
    .from(maturityModelVersions)
    .leftJoin(users, eq(users.id, maturityModelVersions.createdBy))
    .where(
      and(eq(maturityModelVersions.workspaceId, workspaceId), eq(maturityModelVersions.modelId, modelId)),
    )
    .orderBy(desc(maturityModelVersions.version));
  if (rows.length === 0) throw new NotFoundError("That maturity model does not exist.");
  return rows.map(({ definition, ...row }) => ({
    ...row,
    name: definition.name,
    levels: definition.levels.length,
    dimensions: definition.dimensions.length,
  }));
}
