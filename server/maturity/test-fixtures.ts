import type { Database } from "~/db";
import type { SessionUser } from "~/server/auth/session-user";
import { callerAs } from "~/test/fixtures";

// Assessments made through the tRPC callers, as people make them, for the
// maturity tests (assessments, scorecard, authz).

/** Scores of one assessor: dimension key → level. */
export type Sheet = Record<string, number>;

/** An assessment of the built-in model scored by each assessor's sheet; finalised unless `open`. */
export async function makeAssessment(
  db: Database,
  input: {
    workspaceId: string;
    title?: string;
    assessedOn: string;
    sheets: { assessor: SessionUser; scores: Sheet }[];
    /** Who finalises; the first assessor unless given. */
    reviewer?: SessionUser;
    overrides?: Record<string, number | null>;
    targets?: Record<string, { level: number; date?: string }>;
    open?: boolean;
  },
) {
  const first = input.sheets[0]!.assessor;
  const { id } = await callerAs(db, first).maturity.assessment.create({
    workspaceId: input.workspaceId,
    title: input.title ?? `Assessment of ${input.assessedOn}`,
    assessedOn: input.assessedOn,
  });
  for (const { assessor, scores } of input.sheets) {
    if (Object.keys(scores).length === 0) continue;
    await callerAs(db, assessor).maturity.assessment.saveScores({
      workspaceId: input.workspaceId,
      assessmentId: id,
      scores: Object.entries(scores).map(([dimensionKey, level]) => ({
        dimensionKey,
        level,
        confidence: "medium",
        evidenceText: `What ${assessor.name} saw for ${dimensionKey}`,
      })),
    });
  }
  for (const [dimensionKey, target] of Object.entries(input.targets ?? {})) {
    await callerAs(db, first).maturity.assessment.setTarget({
      workspaceId: input.workspaceId,
      assessmentId: id,
      dimensionKey,
      targetLevel: target.level,
      targetDate: target.date ?? null,
    });
  }
  if (!input.open)
    await callerAs(db, input.reviewer ?? first).maturity.assessment.finalise({
      workspaceId: input.workspaceId,
      assessmentId: id,
      overrides: input.overrides ?? {},
    });
  return id;
}
