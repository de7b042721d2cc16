import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { auditEvents, journeys, maturityAssessments, segments } from "~/db/schema";
import { recordAudit } from "~/server/audit/audit";
import { createAssessment, finaliseAssessment, saveScores, setTarget } from "./assessments";
import { createInitiative, type InitiativeInput } from "./initiatives";
import { builtInModel } from "./model";
import type { Confidence } from "./scoring";

// Maturity data for the demo (server/demo/seed.ts): the workspace with customer data
// gets a baseline assessment about six months old and a recent one, each by
// two assessors who disagree here and there, targets on the recent one and
// initiatives delivered by the demo segments (and the published demo
// journey); every other demo workspace gets one assessment, so the
// scorecard's business-unit comparison has rows.
// Each workspace is seeded once, marked by an audit entry.

type Levels = Record<string, number>;

interface DemoAssessment {
  title: string;
  /** Days before the workspace was created. */
  daysAgo: number;
  /** Two sheets: the editor's and the admin's. */
  editor: Levels;
  admin: Levels;
  notes?: Record<string, string>;
  finalNote: string;
}

const retailAssessments: DemoAssessment[] = [
  {
    title: "Baseline assessment",
    daysAgo: 182,
    editor: {
      "self-service": 2,
      recognition: 1,
      "cross-channel": 1,
      personalisation: 1,
      "customer-value": 1,
      governance: 2,
      technology: 2,
    },
    admin: {
      "self-service": 2,
      recognition: 2,
      "cross-channel": 1,
      personalisation: 2,
      "customer-value": 1,
      governance: 1,
      technology: 2,
    },
    notes: {
      recognition: "Loyalty card holders are recognised in store, but the web shop does not know them.",
      governance: "Marketing and IT meet monthly, but without a shared customer goal.",
    },
    finalNote: "Baseline before the customer data platform; the lower score taken where we disagreed.",
  },
  {
    title: "Half-year review",
    daysAgo: 14,
    editor: {
      "self-service": 3,
      recognition: 2,
      "cross-channel": 2,
      personalisation: 2,
      "customer-value": 2,
      governance: 2,
      technology: 2,
    },
    admin: {
      "self-service": 3,
      recognition: 3,
      "cross-channel": 2,
      personalisation: 3,
      "customer-value": 2,
      governance: 2,
      technology: 3,
    },
    notes: {
      recognition: "Web and e-mail events land on one profile now; store receipts do not yet.",
      personalisation: "Three segments are in use, but journeys are designed for one of them only.",
    },
    finalNote: "Recognition and personalisation moved a level; store data is the next step.",
  },
];

/** Target level and months after the recent assessment. */
const retailTargets: Record<string, { level: number; months: number }> = {
  recognition: { level: 4, months: 6 },
  "cross-channel": { level: 3, months: 6 },
  personalisation: { level: 4, months: 12 },
  "customer-value": { level: 3, months: 9 },
  governance: { level: 3, months: 12 },
};

const retailInitiatives: (Omit<InitiativeInput, "links" | "ownerId"> & {
  owner: "editor" | "admin" | null;
  segment: string;
  /** A demo journey (server/demo/journeys.ts) that delivers it too. */
  journey?: string;
})[] = [
  {
    dimensionKey: "personalisation",
    title: "Journey for e-mail readers who buy on the web",
    description: "Stages from first click to repeat order, with the web shop and e-mail working as one.",
    owner: "editor",
    ownerName: null,
    status: "in_progress",
    dueDate: null,
    segment: "Email readers who buy on the web",
    journey: "From newsletter to web order",
  },
  {
    dimensionKey: "personalisation",
    title: "Win-back offer for holiday discount shoppers",
    description: "A timed offer before the next holiday season instead of the mass discount mail.",
    owner: "editor",
    ownerName: null,
    status: "planned",
    dueDate: null,
    segment: "Casual holiday discount shoppers",
  },
  {
    dimensionKey: "recognition",
    title: "Welcome series that asks for an e-mail address",
    description: "New customers get a reason to sign in, so their anonymous browsing joins their profile.",
    owner: "admin",
    ownerName: null,
    status: "in_progress",
    dueDate: null,
    segment: "New customers",
  },
  {
    dimensionKey: "cross-channel",
    title: "E-mail receipts in store",
    description: "Offer a receipt by e-mail at the till, so store purchases join the web profile.",
    owner: null,
    ownerName: "Store operations",
    status: "blocked",
    dueDate: null,
    segment: "Email readers who buy on the web",
  },
];

const onlineAssessment: DemoAssessment = {
  title: "Digital brand assessment",
  daysAgo: 60,
  editor: {
    "self-service": 3,
    recognition: 3,
    "cross-channel": 2,
    personalisation: 2,
    "customer-value": 1,
    governance: 2,
    technology: 3,
  },
  admin: {
    "self-service": 4,
    recognition: 3,
    "cross-channel": 2,
    personalisation: 2,
    "customer-value": 2,
    governance: 2,
    technology: 3,
  },
  finalNote: "Strong self-service; customer value is not managed yet.",
};

const DAY_MS = 24 * 3600 * 1000;
const dayBefore = (from: Date, days: number) =>
  new Date(from.getTime() - days * DAY_MS).toISOString().slice(0, 10);
const monthsAfter = (day: string, months: number) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
};

/** The assessor's evidence: the built-in model's first example at the level they gave, as a person would cite it. */
function evidenceFor(dimensionKey: string, level: number): string {
  const dimension = builtInModel.dimensions.find((d) => d.key === dimensionKey);
  return dimension?.levels.find((l) => l.level === level)?.evidence[0] ?? "";
}

async function seedAssessment(
  tx: DbOrTx,
  workspaceId: string,
  people: { editorId: string; adminId: string },
  spec: DemoAssessment,
  createdAt: Date,
) {
  const assessedOn = dayBefore(createdAt, spec.daysAgo);
  const { id } = await createAssessment(tx, {
    workspaceId,
    userId: people.editorId,
    title: spec.title,
    assessedOn,
    modelId: null,
  });
  const sheets = [
    { assessorId: people.editorId, levels: spec.editor, confidence: "medium" as Confidence },
    { assessorId: people.adminId, levels: spec.admin, confidence: "high" as Confidence },
  ];
  for (const sheet of sheets)
    await saveScores(tx, {
      workspaceId,
      assessmentId: id,
      assessorId: sheet.assessorId,
      scores: Object.entries(sheet.levels).map(([dimensionKey, level]) => ({
        dimensionKey,
        level,
        confidence: sheet.confidence,
        notes: sheet.assessorId === people.editorId ? (spec.notes?.[dimensionKey] ?? "") : "",
        evidenceText: evidenceFor(dimensionKey, level),
        evidenceLinks: [],
      })),
    });
  await finaliseAssessment(tx, {
    workspaceId,
    assessmentId: id,
    userId: people.adminId,
    overrides: {},
    note: spec.finalNote,
  });
  // Finalised the day after the workshop, not when the seed ran.
  await tx
    .update(maturityAssessments)
    .set({ finalisedAt: sql`${assessedOn}::date + interval '1 day'` })
    .where(and(eq(maturityAssessments.workspaceId, workspaceId), eq(maturityAssessments.id, id)));
  return { id, assessedOn };
}

export interface DemoMaturityWorkspace {
  id: string;
  createdAt: Date;
  /** The workspace with customer data and segments gets the full history. */
  withData: boolean;
}

/** Seeds each demo workspace's maturity data once; returns how many workspaces got it now. */
export async function ensureDemoMaturity(
  db: Database,
  input: { workspaces: DemoMaturityWorkspace[]; editorId: string; adminId: string },
): Promise<number> {
  if (input.workspaces.length === 0) return 0;
  const done = await db
    .select({ workspaceId: auditEvents.workspaceId })
    .from(auditEvents)
    .where(
      and(
        inArray(
          auditEvents.workspaceId,
          input.workspaces.map((w) => w.id),
        ),
        eq(auditEvents.action, "seed.demo"),
        sql`${auditEvents.details} ? 'demoMaturity'`,
      ),
    );
  const seeded = new Set(done.map((d) => d.workspaceId));
  let count = 0;
  for (const workspace of input.workspaces) {
    if (seeded.has(workspace.id)) continue;
    // The initiatives link the demo segments, which come with the demo customers: wait for them.
    if (workspace.withData) {
      const [segment] = await db
        .select({ id: segments.id })
        .from(segments)
        .where(eq(segments.workspaceId, workspace.id))
        .limit(1);
      if (!segment) continue;
    }
    await db.transaction(async (tx) => {
      const people = { editorId: input.editorId, adminId: input.adminId };
      if (!workspace.withData) {
        await seedAssessment(tx, workspace.id, people, onlineAssessment, workspace.createdAt);
      } else {
        let recent = { id: "", assessedOn: "" };
        for (const spec of retailAssessments)
          recent = await seedAssessment(tx, workspace.id, people, spec, workspace.createdAt);
        for (const [dimensionKey, target] of Object.entries(retailTargets))
          await setTarget(tx, {
            workspaceId: workspace.id,
            assessmentId: recent.id,
            userId: input.adminId,
            dimensionKey,
            targetLevel: target.level,
            targetDate: monthsAfter(recent.assessedOn, target.months),
          });
        const segmentRows = await tx
          .select({ id: segments.id, name: segments.name })
          .from(segments)
          .where(eq(segments.workspaceId, workspace.id));
        const journeyRows = await tx
          .select({ id: journeys.id, name: journeys.name })
          .from(journeys)
          .where(eq(journeys.workspaceId, workspace.id));
        for (const [i, { owner, segment, journey, ...initiative }] of retailInitiatives.entries()) {
          const segmentId = segmentRows.find((s) => s.name === segment)?.id;
          const journeyId = journeyRows.find((j) => j.name === journey)?.id;
          await createInitiative(tx, {
            ...initiative,
            workspaceId: workspace.id,
            userId: input.adminId,
            ownerId: owner === "editor" ? input.editorId : owner === "admin" ? input.adminId : null,
            dueDate: monthsAfter(recent.assessedOn, 3 + i * 2),
            links: [
              ...(segmentId ? [{ kind: "segment" as const, targetId: segmentId }] : []),
              ...(journeyId ? [{ kind: "journey" as const, targetId: journeyId }] : []),
            ],
          });
        }
      }
      await recordAudit(tx, [
        {
          workspaceId: workspace.id,
          actorUserId: null,
          action: "seed.demo",
          summary: "added demo maturity assessments",
          details: { demoMaturity: true },
        },
      ]);
    });
    count += 1;
  }
  return count;
}
