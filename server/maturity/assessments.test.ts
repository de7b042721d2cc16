import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { maturityAttachments, maturityScores, memberships } from "~/db/schema";
import type { SessionUser } from "~/server/auth/session-user";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeUser, makeWorkspace } from "~/test/fixtures";
import { getAttachment } from "./assessments";
import { builtInModel } from "./model";
import { makeAssessment } from "./test-fixtures";

type Fixture = Awaited<ReturnType<typeof makeWorkspace>> & { second: SessionUser };

/** The tRPC error of a call that must fail. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** The input issues a refused input reports (the errorFormatter's data.inputIssues). */
function issuesOf(error: TRPCError) {
  const cause = error.cause as { issues?: { path: string; message: string }[] } | undefined;
  return cause?.issues ?? [];
}

describeEachDatabase("maturity assessments", (getDb) => {
  let f: Fixture;
  const ws = () => f.workspace.id;

  beforeEach(async () => {
    const db = getDb();
    await truncateAllTables(db);
    const base = await makeWorkspace(db, "Brand A");
    const second = await makeUser(db, "second-editor");
    await db
      .insert(memberships)
      .values({ workspaceId: base.workspace.id, userId: second.id, role: "editor" });
    f = { ...base, second };
  });

  it("shows each assessor's sheet and the consensus, spread and agreement of two who disagree", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [
        { assessor: f.editor, scores: { "self-service": 2, recognition: 3 } },
        { assessor: f.second, scores: { "self-service": 4, recognition: 3 } },
      ],
      open: true,
    });
    await callerAs(db, f.second).maturity.assessment.saveScores({
      workspaceId: ws(),
      assessmentId: id,
      scores: [
        {
          dimensionKey: "self-service",
          level: 4,
          confidence: "high",
          notes: "Checked the help centre",
          evidenceLinks: ["https://example.com/help"],
        },
      ],
    });
    const view = await callerAs(db, f.viewer).maturity.assessment.get({ workspaceId: ws(), id });
    expect(view.status).toBe("open");
    expect(view.assessors.map((a) => a.id).sort()).toEqual([f.editor.id, f.second.id].sort());
    const second = view.assessors.find((a) => a.id === f.second.id)!;
    expect(second.name).toBe(f.second.name);
    expect(second.scores["self-service"]).toMatchObject({
      level: 4,
      confidence: "high",
      notes: "Checked the help centre",
      evidenceLinks: ["https://example.com/help"],
    });
    const selfService = view.dimensions.find((d) => d.key === "self-service")!;
    // Two assessors split 2 and 4: the lower middle score, spread 2.
    expect(selfService.consensus).toMatchObject({ level: 2, tied: true, spread: 2, agreement: "disagree" });
    expect(view.dimensions.find((d) => d.key === "recognition")!.consensus).toMatchObject({
      level: 3,
      spread: 0,
      agreement: "agree",
    });
    expect(view.levels).toMatchObject({ "self-service": 2, recognition: 3, governance: null });
    // (2-1)/4 and (3-1)/4 of 100, averaged over the two scored dimensions.
    expect(view.index.index).toBe(37.5);
    expect(view.index.missing).toHaveLength(builtInModel.dimensions.length - 2);
  });

  it("lets nobody but the assessor change their sheet, and no viewer score at all", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [{ assessor: f.editor, scores: { governance: 2 } }],
      open: true,
    });
    const viewer = await failure(
      callerAs(db, f.viewer).maturity.assessment.saveScores({
        workspaceId: ws(),
        assessmentId: id,
        scores: [{ dimensionKey: "governance", level: 5 }],
      }),
    );
    expect(viewer.code).toBe("FORBIDDEN");
    // Naming another assessor is not part of the input: the score lands on the caller's own sheet.
    await callerAs(db, f.second).maturity.assessment.saveScores({
      workspaceId: ws(),
      assessmentId: id,
      assessorId: f.editor.id,
      scores: [{ dimensionKey: "governance", level: 5 }],
    } as never);
    const rows = await db
      .select({ assessorId: maturityScores.assessorId, level: maturityScores.level })
      .from(maturityScores)
      .where(eq(maturityScores.assessmentId, id));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.assessorId === f.editor.id)?.level).toBe(2);
    expect(rows.find((r) => r.assessorId === f.second.id)?.level).toBe(5);
  });

  it("refuses a level or dimension outside the model, naming each, and stores nothing", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [{ assessor: f.editor, scores: {} }],
      open: true,
    });
    const error = await failure(
      callerAs(db, f.editor).maturity.assessment.saveScores({
        workspaceId: ws(),
        assessmentId: id,
        scores: [
          { dimensionKey: "governance", level: 2 },
          { dimensionKey: "technology", level: 6 },
          { dimensionKey: "weather", level: 1 },
        ],
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(issuesOf(error)).toEqual([
      { path: "scores[1].level", message: "6 is not a level of this model (1 to 5)" },
      { path: "scores[2].dimensionKey", message: expect.stringContaining('"weather" is not a dimension') },
    ]);
    expect(await db.select().from(maturityScores).where(eq(maturityScores.assessmentId, id))).toEqual([]);
  });

  it("finalises with the reviewer's override and a note, then refuses new scores and evidence", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [
        { assessor: f.editor, scores: { recognition: 2, governance: 3 } },
        { assessor: f.second, scores: { recognition: 2, governance: 3 } },
      ],
      targets: { recognition: { level: 4, date: "2026-01-01" } },
      open: true,
    });
    const result = await callerAs(db, f.admin).maturity.assessment.finalise({
      workspaceId: ws(),
      assessmentId: id,
      overrides: { governance: 2 },
      note: "Governance is not yet cross-unit.",
    });
    expect(result.levels).toMatchObject({ recognition: 2, governance: 2 });
    const view = await callerAs(db, f.viewer).maturity.assessment.get({ workspaceId: ws(), id });
    expect(view.status).toBe("final");
    expect(view.finalisedBy).toEqual({ id: f.admin.id, name: f.admin.name });
    expect(view.finalNote).toBe("Governance is not yet cross-unit.");
    expect(view.dimensions.find((d) => d.key === "governance")!.final).toEqual({
      level: 2,
      consensusLevel: 3,
      overridden: true,
    });
    expect(view.dimensions.find((d) => d.key === "recognition")!.final).toMatchObject({ overridden: false });
    expect(view.index.index).toBe(25);
    expect(view.gaps).toEqual([
      expect.objectContaining({ dimensionKey: "recognition", gap: 2, overdue: true }),
    ]);

    const rescore = await failure(
      callerAs(db, f.editor).maturity.assessment.saveScores({
        workspaceId: ws(),
        assessmentId: id,
        scores: [{ dimensionKey: "recognition", level: 5 }],
      }),
    );
    expect(rescore.code).toBe("BAD_REQUEST");
    expect(rescore.message).toMatch(/is final: its scores and evidence can no longer change/);
    const again = await failure(
      callerAs(db, f.editor).maturity.assessment.finalise({ workspaceId: ws(), assessmentId: id }),
    );
    expect(again.message).toMatch(/is final/);
    const upload = await failure(
      callerAs(db, f.editor).maturity.attachment.upload({
        workspaceId: ws(),
        assessmentId: id,
        dimensionKey: "recognition",
        fileName: "late.txt",
        base64: Buffer.from("late").toString("base64"),
      }),
    );
    expect(upload.message).toMatch(/is final/);
    const removal = await failure(
      callerAs(db, f.admin).maturity.assessment.remove({ workspaceId: ws(), id }),
    );
    expect(removal.message).toMatch(/cannot be removed/);
  });

  it("starts a new assessment with the targets of the latest final one", async () => {
    const db = getDb();
    await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-01-15",
      sheets: [{ assessor: f.editor, scores: { recognition: 1 } }],
      targets: { recognition: { level: 2, date: "2026-06-01" } },
    });
    await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [{ assessor: f.editor, scores: { recognition: 2, governance: 3 } }],
      targets: { recognition: { level: 4, date: "2027-01-01" }, governance: { level: 4 } },
    });
    const open = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-08-01",
      sheets: [{ assessor: f.editor, scores: { recognition: 3 } }],
      targets: { recognition: { level: 5 } },
      open: true,
    });
    expect(open).toBeTruthy();
    const { id } = await callerAs(db, f.editor).maturity.assessment.create({
      workspaceId: ws(),
      title: "Autumn review",
      assessedOn: "2026-10-01",
    });
    const view = await callerAs(db, f.viewer).maturity.assessment.get({ workspaceId: ws(), id });
    const targets = Object.fromEntries(view.dimensions.filter((d) => d.target).map((d) => [d.key, d.target]));
    // From the latest final assessment (May), not the older one nor the open one.
    expect(targets).toEqual({
      recognition: expect.objectContaining({ level: 4, date: "2027-01-01" }),
      governance: expect.objectContaining({ level: 4, date: null }),
    });
  });

  it("refuses to finalise an assessment nobody scored", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [{ assessor: f.editor, scores: {} }],
      open: true,
    });
    const error = await failure(
      callerAs(db, f.editor).maturity.assessment.finalise({ workspaceId: ws(), assessmentId: id }),
    );
    expect(error.message).toMatch(/no dimension has a score/);
  });

  it("keeps an old assessment on its model version when the custom model is edited", async () => {
    const db = getDb();
    const admin = callerAs(db, f.admin);
    const copy = await admin.maturity.model.copy({ workspaceId: ws(), name: "Retail model" });
    expect(copy).toMatchObject({ version: 1, name: "Retail model", builtIn: false, dimensions: 7 });
    const { id: oldId } = await callerAs(db, f.editor).maturity.assessment.create({
      workspaceId: ws(),
      title: "Spring",
      assessedOn: "2026-04-01",
      modelId: copy.modelId,
    });
    const { model } = await admin.maturity.model.get({ workspaceId: ws(), modelId: copy.modelId });
    const edited = {
      ...model,
      name: "Retail model, lean",
      dimensions: model.dimensions.filter((d) => d.key !== "technology"),
      levels: model.levels.map((l) => (l.level === 1 ? { ...l, name: "Basic web" } : l)),
    };
    const v2 = await admin.maturity.model.saveVersion({
      workspaceId: ws(),
      modelId: copy.modelId!,
      definition: edited,
    });
    expect(v2).toMatchObject({ version: 2, name: "Retail model, lean", dimensions: 6 });

    const old = await callerAs(db, f.viewer).maturity.assessment.get({ workspaceId: ws(), id: oldId });
    expect(old.model.version).toBe(1);
    expect(old.model.definition.dimensions.map((d) => d.key)).toContain("technology");
    expect(old.model.definition.levels[0]!.name).toBe(builtInModel.levels[0]!.name);
    const { id: newId } = await callerAs(db, f.editor).maturity.assessment.create({
      workspaceId: ws(),
      title: "Autumn",
      assessedOn: "2026-10-01",
      modelId: copy.modelId,
    });
    const current = await callerAs(db, f.viewer).maturity.assessment.get({ workspaceId: ws(), id: newId });
    expect(current.model.version).toBe(2);
    expect(current.dimensions.map((d) => d.key)).not.toContain("technology");

    const models = await callerAs(db, f.viewer).maturity.model.list({ workspaceId: ws() });
    expect(models.map((m) => [m.name, m.version])).toEqual([
      [builtInModel.name, 1],
      ["Retail model, lean", 2],
    ]);

    const bad = await failure(
      admin.maturity.model.saveVersion({
        workspaceId: ws(),
        modelId: copy.modelId!,
        definition: { ...edited, dimensions: [] },
      }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(issuesOf(bad)).toEqual([{ path: "dimensions", message: "a model needs at least one dimension" }]);
    expect((await admin.maturity.model.get({ workspaceId: ws(), modelId: copy.modelId })).ref.version).toBe(
      2,
    );
  });

  it("stores evidence files of accepted types up to 5 MB and gives them back", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [{ assessor: f.editor, scores: {} }],
      open: true,
    });
    const editor = callerAs(db, f.editor).maturity.attachment;
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    const file = await editor.upload({
      workspaceId: ws(),
      assessmentId: id,
      dimensionKey: "cross-channel",
      fileName: "Timeline.PNG",
      base64: bytes.toString("base64"),
    });
    expect(file).toMatchObject({ contentType: "image/png", size: 12, uploadedBy: { id: f.editor.id } });
    const saved = await getAttachment(db, { workspaceId: ws(), id: file.id });
    expect(saved).toMatchObject({ fileName: "Timeline.PNG", contentType: "image/png" });
    expect(saved.data.equals(bytes)).toBe(true);
    const view = await callerAs(db, f.viewer).maturity.assessment.get({ workspaceId: ws(), id });
    expect(
      view.dimensions.find((d) => d.key === "cross-channel")!.attachments.map((a) => a.fileName),
    ).toEqual(["Timeline.PNG"]);

    const exe = await failure(
      editor.upload({
        workspaceId: ws(),
        assessmentId: id,
        dimensionKey: "cross-channel",
        fileName: "setup.exe",
        base64: bytes.toString("base64"),
      }),
    );
    expect(issuesOf(exe)).toEqual([{ path: "fileName", message: expect.stringContaining("pdf, png, jpg") }]);
    // A name does not make a type: the bytes must be what the extension says.
    const mislabelled = await Promise.all(
      [
        { fileName: "scan.pdf", data: bytes },
        { fileName: "notes.txt", data: bytes },
        { fileName: "page.png", data: Buffer.from("<html><script>alert(1)</script></html>") },
      ].map(({ fileName, data }) =>
        failure(
          editor.upload({
            workspaceId: ws(),
            assessmentId: id,
            dimensionKey: "cross-channel",
            fileName,
            base64: data.toString("base64"),
          }),
        ),
      ),
    );
    expect(mislabelled.map(issuesOf)).toEqual([
      [{ path: "data", message: "“scan.pdf” is not a PDF document: it looks like a PNG image" }],
      [{ path: "data", message: "“notes.txt” is not UTF-8 text: it looks like a PNG image" }],
      [{ path: "data", message: "“page.png” is not a PNG image: it looks like UTF-8 text" }],
    ]);
    const big = await failure(
      editor.upload({
        workspaceId: ws(),
        assessmentId: id,
        dimensionKey: "cross-channel",
        fileName: "big.pdf",
        base64: Buffer.alloc(5 * 1024 * 1024 + 1).toString("base64"),
      }),
    );
    expect(big.code).toBe("BAD_REQUEST");
    expect(big.message).toMatch(/at most 5 MB/);
    const stored = await db
      .select({ id: maturityAttachments.id })
      .from(maturityAttachments)
      .where(and(eq(maturityAttachments.workspaceId, ws()), eq(maturityAttachments.assessmentId, id)));
    expect(stored).toHaveLength(1);

    await editor.remove({ workspaceId: ws(), id: file.id });
    expect(await db.select().from(maturityAttachments)).toEqual([]);
  });

  it("refuses an evidence link that is not http(s)", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [{ assessor: f.editor, scores: {} }],
      open: true,
    });
    const error = await failure(
      callerAs(db, f.editor).maturity.assessment.saveScores({
        workspaceId: ws(),
        assessmentId: id,
        scores: [{ dimensionKey: "governance", level: 2, evidenceLinks: ["javascript:alert(1)"] }],
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/http:\/\/ or https:\/\//);
  });

  it("answers NOT_FOUND for another workspace's assessment, file and model", async () => {
    const db = getDb();
    const id = await makeAssessment(db, {
      workspaceId: ws(),
      assessedOn: "2026-05-01",
      sheets: [{ assessor: f.editor, scores: { governance: 2 } }],
      open: true,
    });
    const file = await callerAs(db, f.editor).maturity.attachment.upload({
      workspaceId: ws(),
      assessmentId: id,
      dimensionKey: "governance",
      fileName: "minutes.txt",
      base64: Buffer.from("minutes").toString("base64"),
    });
    const copy = await callerAs(db, f.admin).maturity.model.copy({ workspaceId: ws(), name: "Ours" });
    const other = await makeWorkspace(db, "Brand B");
    const outsider = callerAs(db, other.admin).maturity;
    const own = other.workspace.id;
    const codes = await Promise.all([
      failure(outsider.assessment.get({ workspaceId: own, id })),
      failure(
        outsider.assessment.saveScores({
          workspaceId: own,
          assessmentId: id,
          scores: [{ dimensionKey: "governance", level: 5 }],
        }),
      ),
      failure(outsider.assessment.finalise({ workspaceId: own, assessmentId: id })),
      failure(outsider.assessment.remove({ workspaceId: own, id })),
      failure(outsider.attachment.remove({ workspaceId: own, id: file.id })),
      failure(outsider.model.get({ workspaceId: own, modelId: copy.modelId })),
      failure(outsider.indicators({ workspaceId: own, assessmentId: id })),
    ]);
    expect(codes.map((e) => e.code)).toEqual(Array(7).fill("NOT_FOUND"));
    const rows = await db.select({ level: maturityScores.level }).from(maturityScores);
    expect(rows).toEqual([{ level: 2 }]);
  });

  it("lists assessments newest first, with the index of final ones; an admin removes an open one", async () => {
    const db = getDb();
    await makeAssessment(db, {
      workspaceId: ws(),
      title: "Spring",
      assessedOn: "2026-03-01",
      sheets: [{ assessor: f.editor, scores: { governance: 3 } }],
    });
    const open = await makeAssessment(db, {
      workspaceId: ws(),
      title: "Autumn",
      assessedOn: "2026-09-01",
      sheets: [{ assessor: f.editor, scores: { governance: 4 } }],
      open: true,
    });
    const list = await callerAs(db, f.viewer).maturity.assessment.list({ workspaceId: ws() });
    expect(list.map((a) => [a.title, a.status, a.index, a.assessors])).toEqual([
      ["Autumn", "open", null, 1],
      ["Spring", "final", 50, 1],
    ]);
    await callerAs(db, f.admin).maturity.assessment.remove({ workspaceId: ws(), id: open });
    expect(
      (await callerAs(db, f.viewer).maturity.assessment.list({ workspaceId: ws() })).map((a) => a.title),
    ).toEqual(["Spring"]);
  });
});
