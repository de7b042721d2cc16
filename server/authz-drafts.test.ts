import { beforeAll, expect, it } from "vitest";
import { emptyDesign } from "~/server/journeys/design";
import { createJourney, updateJourney } from "~/server/journeys/store";
import { publishJourney } from "~/server/journeys/versions";
import { createSegment } from "~/server/segments/store";
import { describeEachDatabase, rolledBack } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { codeOf } from "~/test/procedure-matrix";

// Viewers read journeys as published: the latest version's design wherever an
// editor sees the draft, and no journey that was never published. Editors and
// admins keep reading the draft.

describeEachDatabase("journey drafts and viewers", (getDb) => {
  let f: {
    workspaceId: string;
    admin: Awaited<ReturnType<typeof makeWorkspace>>["admin"];
    editor: Awaited<ReturnType<typeof makeWorkspace>>["editor"];
    viewer: Awaited<ReturnType<typeof makeWorkspace>>["viewer"];
    /** Published with stages Discover/Buy, then changed in the draft to Draft only/Secret stage. */
    changed: string;
    /** Never published. */
    unpublished: string;
  };

  beforeAll(async () => {
    const db = getDb();
    const { workspace, admin, editor, viewer } = await makeWorkspace(db, "Drafts");
    const segment = await createSegment(db, {
      workspaceId: workspace.id,
      userId: admin.id,
      name: "Everyone",
      description: "",
      rule: { type: "eventCount", op: "gte", value: 0 },
      schedule: "off",
    });
    const journey = (name: string, stages: string[]) =>
      createJourney(db, {
        workspaceId: workspace.id,
        userId: admin.id,
        segmentId: segment.id,
        name,
        description: "",
        design: emptyDesign(stages),
      });
    const changed = await journey("Welcome", ["Discover", "Buy"]);
    await publishJourney(db, { workspaceId: workspace.id, userId: admin.id, id: changed.id });
    await updateJourney(db, {
      workspaceId: workspace.id,
      userId: editor.id,
      id: changed.id,
      revision: changed.revision,
      data: { design: emptyDesign(["Draft only", "Secret stage", "Third"]) },
    });
    const unpublished = await journey("Not yet", ["Idea"]);
    f = {
      workspaceId: workspace.id,
      admin,
      editor,
      viewer,
      changed: changed.id,
      unpublished: unpublished.id,
    };
  });

  const stageNames = (design: { stages: { name: string }[] }) => design.stages.map((s) => s.name);

  it("journey.get gives a viewer the published design, an editor the draft", () =>
    rolledBack(getDb(), async (db) => {
      const asViewer = await callerAs(db, f.viewer).journey.get({
        workspaceId: f.workspaceId,
        id: f.changed,
      });
      expect(stageNames(asViewer.draft)).toEqual(["Discover", "Buy"]);
      expect(asViewer).toMatchObject({ publishedVersion: 1, hasUnpublishedChanges: false, canEdit: false });
      expect(asViewer.draftUpdatedBy).toBeNull();

      const asEditor = await callerAs(db, f.editor).journey.get({
        workspaceId: f.workspaceId,
        id: f.changed,
      });
      expect(stageNames(asEditor.draft)).toEqual(["Draft only", "Secret stage", "Third"]);
      expect(asEditor.hasUnpublishedChanges).toBe(true);
    }));

  it("a journey never published is NOT_FOUND for a viewer and missing from their list", () =>
    rolledBack(getDb(), async (db) => {
      const viewer = callerAs(db, f.viewer);
      expect(await codeOf(viewer.journey.get({ workspaceId: f.workspaceId, id: f.unpublished }))).toBe(
        "NOT_FOUND",
      );
      expect(await codeOf(viewer.journey.exportJson({ workspaceId: f.workspaceId, id: f.unpublished }))).toBe(
        "NOT_FOUND",
      );
      expect(await codeOf(viewer.journey.comments({ workspaceId: f.workspaceId, id: f.unpublished }))).toBe(
        "NOT_FOUND",
      );

      const listed = await viewer.journey.list({ workspaceId: f.workspaceId });
      expect(listed.map((j) => j.name)).toEqual(["Welcome"]);
      expect(listed[0]).toMatchObject({ stageCount: 2, hasUnpublishedChanges: false });

      const editorList = await callerAs(db, f.editor).journey.list({ workspaceId: f.workspaceId });
      expect(editorList.map((j) => [j.name, j.stageCount])).toEqual([
        ["Not yet", 1],
        ["Welcome", 3],
      ]);
    }));

  it("a viewer's export carries the published design; the draft's diff is FORBIDDEN to them", () =>
    rolledBack(getDb(), async (db) => {
      const viewer = callerAs(db, f.viewer);
      const file = await viewer.journey.exportJson({ workspaceId: f.workspaceId, id: f.changed });
      expect(stageNames(file.design)).toEqual(["Discover", "Buy"]);
      const diff = viewer.journey.diff({ workspaceId: f.workspaceId, id: f.changed, from: 1, to: "draft" });
      expect(await codeOf(diff)).toBe("FORBIDDEN");
      const editorDiff = await callerAs(db, f.editor).journey.diff({
        workspaceId: f.workspaceId,
        id: f.changed,
        from: 1,
        to: "draft",
      });
      expect(editorDiff.changes.length).toBeGreaterThan(0);
    }));

  it("a viewer's analytics of the 'draft' measure the published design", () =>
    rolledBack(getDb(), async (db) => {
      const window = { from: "2026-01-01", to: "2026-02-01", source: "draft" as const };
      const input = { workspaceId: f.workspaceId, id: f.changed, ...window };
      const published = await callerAs(db, f.viewer).journey.get({
        workspaceId: f.workspaceId,
        id: f.changed,
      });
      const asViewer = await callerAs(db, f.viewer).journey.analytics(input);
      expect(asViewer.stages.map((s) => s.stageId)).toEqual(published.draft.stages.map((s) => s.id));
      const asEditor = await callerAs(db, f.editor).journey.analytics(input);
      expect(asEditor.stages).toHaveLength(3);
    }));
});
