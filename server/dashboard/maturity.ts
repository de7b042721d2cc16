import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { maturityAssessments } from "~/db/schema";
import { buildScorecard } from "~/server/maturity/scorecard";
import { maturityIndex } from "~/server/maturity/scoring";
import { getModelVersion } from "~/server/maturity/store";

// The maturity index as the scorecard states it (server/maturity/scorecard.ts:
// the latest final assessment), and the index the targets aim at: the same
// maturityIndex over each dimension's target, or its current level where no
// target is set, so an untargeted dimension neither raises nor lowers it.

export interface MaturityFigure {
  assessment: { id: string; title: string; assessedOn: string } | null;
  index: number | null;
  previousIndex: number | null;
  targetIndex: number | null;
  /** Dimensions scored below their target. */
  openGaps: number;
}

export async function maturityFigure(
  db: DbOrTx,
  { workspaceId, userId }: { workspaceId: string; userId: string },
): Promise<MaturityFigure> {
  const scorecard = await buildScorecard(db, { workspaceId, userId });
  if (!scorecard.current)
    return { assessment: null, index: null, previousIndex: null, targetIndex: null, openGaps: 0 };

  const [assessment] = await db
    .select({ modelId: maturityAssessments.modelId, modelVersion: maturityAssessments.modelVersion })
    .from(maturityAssessments)
    .where(
      and(eq(maturityAssessments.workspaceId, workspaceId), eq(maturityAssessments.id, scorecard.current.id)),
    );
  const hasTarget = scorecard.dimensions.some((d) => d.target !== null);
  let targetIndex: number | null = null;
  if (assessment && hasTarget) {
    const { model } = await getModelVersion(db, {
      workspaceId,
      modelId: assessment.modelId,
      version: assessment.modelVersion,
    });
    targetIndex = maturityIndex(
      model,
      Object.fromEntries(scorecard.dimensions.map((d) => [d.key, d.target ?? d.current])),
    ).index;
  }
  const { id, title, assessedOn } = scorecard.current;
  return {
    assessment: { id, title, assessedOn },
    index: scorecard.index.current,
    previousIndex: scorecard.index.previous,
    targetIndex,
    openGaps: scorecard.dimensions.filter(
      (d) => d.current !== null && d.target !== null && d.target > d.current,
    ).length,
  };
}
