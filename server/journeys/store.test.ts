import { TRPCError } from "@trpc/server";
import { count, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { journeyComments, journeys, journeyVersions, segments, workspaces } from "~/db/schema";
import { listAuditEvents } from "~/server/audit/audit";
import { ConflictError, InvalidInputError, NotFoundError, RuleError } from "~/server/errors";
import { createSegment, removeSegment } from "~/server/segments/store";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { addComment, listComments, resolveComment } from "./comments";
import { defaultStageNames, parseDesign, type JourneyDesign, type JourneyDesignInput } from "./design";
import { copyJourney, createJourney, getJourney, listJourneys, removeJourney, updateJourney } from "./store";
import { exportJourney, freeName, importJourney } from "./transfer";
import { getVersion, listVersions, publishJourney, restoreVersion } from "./versions";

const at = (x: number) => ({ x, y: 0 });

/** Two stages, one email on the canvas after the entry. */
const designInput = (title = "Welcome email"): JourneyDesignInput => ({
  stages: [
    {
      id: "s-open",
      name: "Email Opened",
      touchpoints: [
        {
          id: "t-welcome",
          channel: "email",
          title,
          trigger: { kind: "segmentEntry" },
          ownerTeam: "marketing",
        },
      ],
    },
    { id: "s-buy", name: "Order Completed", goal: { event: "Order Completed", channel: "web" } },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: at(0) },
      { kind: "touchpoint", id: "n-welcome", touchpointId: "t-welcome", position: at(100) },
    ],
    edges: [{ id: "e1", source: "entry", target: "n-welcome" }],
  },
});

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describeEachDatabase("journeys", (getDb) => {
  let a: Awaited<ReturnType<typeof makeWorkspace>>;
  let segmentId: string;
  let otherSegmentId: string;

  const segment = (workspaceId: string, userId: string, name: string) =>
    createSegment(getDb(), {
      workspaceId,
      userId,
      name,
      description: "",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "off",
    }).then((s) => s.id);

  /** A journey of workspace a for `segmentId`, made by its editor. */
  const journey = (name = "Welcome", design: unknown = designInput()) =>
    createJourney(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.editor.id,
      segmentId,
      name,
      description: "For new readers",
      design,
    });
  const ids = (id: string) => ({ workspaceId: a.workspace.id, id });
  const stored = async () => {
    const [row] = await getDb().select({ n: count() }).from(journeys);
    return row!.n;
  };

  beforeEach(async () => {
    await truncateAllTables(getDb());
    a = await makeWorkspace(getDb(), "Brand A");
    segmentId = await segment(a.workspace.id, a.admin.id, "Email readers");
    otherSegmentId = await segment(a.workspace.id, a.admin.id, "Holiday shoppers");
  });

  it("creates a journey with the default stages, and lists it as a draft with everything unpublished", async () => {
    const { id, revision } = await createJourney(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.editor.id,
      segmentId,
      name: "Onboarding",
      description: "",
    });
    expect(revision).toBe(1);
    const got = await getJourney(getDb(), ids(id));
    expect(got).toMatchObject({
      name: "Onboarding",
      segment: { id: segmentId, name: "Email readers", memberCount: 0 },
      revision: 1,
      draftUpdatedBy: "editor person",
      publishedVersion: null,
      hasUnpublishedChanges: true,
      owner: { id: a.editor.id },
    });
    expect(got.draft.stages.map((s) => s.name)).toEqual([...defaultStageNames]);
    expect(await listJourneys(getDb(), { workspaceId: a.workspace.id })).toMatchObject([
      {
        id,
        name: "Onboarding",
        segment: { id: segmentId, name: "Email readers" },
        status: "draft",
        publishedVersion: null,
        hasUnpublishedChanges: true,
        stageCount: defaultStageNames.length,
        touchpointCount: 0,
        owner: { name: "editor person" },
      },
    ]);
    expect(await listJourneys(getDb(), { workspaceId: a.workspace.id, segmentId: otherSegmentId })).toEqual(
      [],
    );
  });

  it("refuses a segment of another workspace, and a name already used for the segment in any case", async () => {
    const b = await makeWorkspace(getDb(), "Brand B");
    const foreignSegment = await segment(b.workspace.id, b.admin.id, "Theirs");
    await expect(
      createJourney(getDb(), {
        workspaceId: a.workspace.id,
        userId: a.editor.id,
        segmentId: foreignSegment,
        name: "Sneaky",
        description: "",
      }),
    ).rejects.toThrow(NotFoundError);
    await journey("Welcome");
    await expect(journey("WELCOME")).rejects.toThrow(
      new ConflictError('A journey named "WELCOME" already exists for this segment.'),
    );
    segmentId = otherSegmentId;
    await expect(journey("Welcome")).resolves.toMatchObject({ revision: 1 });
  });

  it("saves against the revision last seen and refuses a save from an older one", async () => {
    const { id } = await journey();
    const first = await updateJourney(getDb(), {
      ...ids(id),
      userId: a.admin.id,
      revision: 1,
      data: { design: designInput("Hello there"), name: "Welcome series" },
    });
    expect(first).toMatchObject({ id, revision: 2, name: "Welcome series" });
    // A second person still on revision 1.
    await expect(
      updateJourney(getDb(), { ...ids(id), userId: a.editor.id, revision: 1, data: { description: "Mine" } }),
    ).rejects.toThrow(ConflictError);
    const got = await getJourney(getDb(), ids(id));
    expect(got).toMatchObject({
      name: "Welcome series",
      description: "For new readers",
      revision: 2,
      draftUpdatedBy: "admin person",
    });
    expect(got.draft.stages[0]!.touchpoints[0]!.title).toBe("Hello there");
    await expect(
      updateJourney(getDb(), { ...ids(crypto.randomUUID()), userId: a.editor.id, revision: 1, data: {} }),
    ).rejects.toThrow(NotFoundError);
  });

  it("lets exactly one of two saves or publishes at the same moment through", async () => {
    const { id } = await journey();
    const save = (name: string) =>
      updateJourney(getDb(), { ...ids(id), userId: a.editor.id, revision: 1, data: { name } });
    const saves = await Promise.allSettled([save("First"), save("Second")]);
    expect(saves.map((s) => s.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(saves.find((s) => s.status === "rejected")).toMatchObject({ reason: expect.any(ConflictError) });
    const publish = () => publishJourney(getDb(), { ...ids(id), userId: a.admin.id });
    const publishes = await Promise.allSettled([publish(), publish()]);
    expect(
      publishes.map((p) => (p.status === "fulfilled" ? p.value.version : (p.reason as Error).message)).sort(),
    ).toEqual([1, "Nothing changed since version 1: there is nothing to publish."]);
  });

  it("refuses an invalid design with the path of each problem, and stores nothing", async () => {
    const { id } = await journey();
    const broken = designInput();
    broken.stages[0]!.name = " ";
    broken.flow.edges.push({ id: "e2", source: "n-welcome", target: "nowhere" });
    const error = await updateJourney(getDb(), {
      ...ids(id),
      userId: a.editor.id,
      revision: 1,
      data: { design: broken, name: "Renamed" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues).toEqual([
      { path: "stages[0].name", message: "must not be empty" },
      { path: "flow.edges[1].target", message: 'no node has the id "nowhere"' },
    ]);
    expect(await getJourney(getDb(), ids(id))).toMatchObject({ name: "Welcome", revision: 1 });
    await expect(journey("Other", { stages: [] })).rejects.toThrow(InvalidInputError);
    expect(await stored()).toBe(1);
  });

  it("copies the draft only, to another segment under a new name", async () => {
    const { id } = await journey();
    await publishJourney(getDb(), { ...ids(id), userId: a.admin.id });
    await addComment(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.editor.id,
      journeyId: id,
      target: { kind: "journey" },
      body: "Looks good",
    });
    const copy = await copyJourney(getDb(), {
      ...ids(id),
      userId: a.admin.id,
      segmentId: otherSegmentId,
      name: "Welcome for holiday shoppers",
    });
    const got = await getJourney(getDb(), ids(copy.id));
    expect(got).toMatchObject({
      segment: { id: otherSegmentId },
      description: "For new readers",
      publishedVersion: null,
      revision: 1,
      owner: { id: a.admin.id },
    });
    expect(got.draft).toEqual((await getJourney(getDb(), ids(id))).draft);
    expect(await listVersions(getDb(), { workspaceId: a.workspace.id, journeyId: copy.id })).toEqual([]);
    expect(await listComments(getDb(), { workspaceId: a.workspace.id, journeyId: copy.id })).toEqual([]);
  });

  it("publishes versions, refuses to publish nothing new, and restores an old version into the draft", async () => {
    const { id } = await journey();
    const v1 = await publishJourney(getDb(), { ...ids(id), userId: a.admin.id, note: "First cut" });
    expect(v1.version).toBe(1);
    expect(await listJourneys(getDb(), { workspaceId: a.workspace.id })).toMatchObject([
      { status: "published", publishedVersion: 1, hasUnpublishedChanges: false },
    ]);
    await expect(publishJourney(getDb(), { ...ids(id), userId: a.admin.id })).rejects.toThrow(
      new RuleError("Nothing changed since version 1: there is nothing to publish."),
    );

    await updateJourney(getDb(), {
      ...ids(id),
      userId: a.editor.id,
      revision: 1,
      data: { design: designInput("Second welcome") },
    });
    expect((await getJourney(getDb(), ids(id))).hasUnpublishedChanges).toBe(true);
    await expect(publishJourney(getDb(), { ...ids(id), userId: a.admin.id, revision: 1 })).rejects.toThrow(
      ConflictError,
    );
    expect((await publishJourney(getDb(), { ...ids(id), userId: a.editor.id, revision: 2 })).version).toBe(2);
    expect(await listVersions(getDb(), { workspaceId: a.workspace.id, journeyId: id })).toMatchObject([
      { version: 2, note: "", publishedBy: { name: "editor person", email: a.editor.email } },
      { version: 1, note: "First cut", publishedBy: { name: "admin person" } },
    ]);

    const restored = await restoreVersion(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.admin.id,
      journeyId: id,
      version: 1,
    });
    expect(restored.revision).toBe(3);
    const got = await getJourney(getDb(), ids(id));
    const version1 = await getVersion(getDb(), { workspaceId: a.workspace.id, journeyId: id, version: 1 });
    expect(got.draft).toEqual(version1.design);
    expect(got).toMatchObject({ publishedVersion: 2, hasUnpublishedChanges: true });
    // The versions themselves did not change.
    expect(
      (await getVersion(getDb(), { workspaceId: a.workspace.id, journeyId: id, version: 2 })).design
        .stages[0]!.touchpoints[0]!.title,
    ).toBe("Second welcome");
    await expect(
      getVersion(getDb(), { workspaceId: a.workspace.id, journeyId: id, version: 9 }),
    ).rejects.toThrow(new NotFoundError("This journey has no version 9."));
  });

  it("says through the router what changed between a version and the draft", async () => {
    const { id } = await journey();
    const editor = callerAs(getDb(), a.editor);
    const workspaceId = a.workspace.id;
    await editor.journey.publish({ workspaceId, id });
    const design = designInput();
    design.stages[1]!.name = "Order Completed (web)";
    design.quietHours = { startHour: 22, endHour: 7 };
    const saved = await editor.journey.update({ workspaceId, id, revision: 1, data: { design } });
    expect(saved).toMatchObject({ id, revision: 2, updatedAt: expect.any(Date) });
    const diff = await editor.journey.diff({ workspaceId, id, from: 1, to: "draft" });
    expect(diff.changes).toEqual([
      expect.objectContaining({ item: "journey", field: "quietHours", before: "none", after: "22:00–07:00" }),
      expect.objectContaining({ item: "stage", id: "s-buy", field: "name", after: "Order Completed (web)" }),
    ]);
    await editor.journey.publish({ workspaceId, id, note: "Web only" });
    expect((await editor.journey.diff({ workspaceId, id, from: 1, to: 2 })).changes).toHaveLength(2);
    expect((await editor.journey.diff({ workspaceId, id, from: 2, to: "draft" })).changes).toEqual([]);
    await expect(editor.journey.diff({ workspaceId, id, from: 3, to: "draft" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const { events } = await listAuditEvents({ db: getDb(), workspaceId, limit: 10 });
    expect(events.map((e) => [e.action, e.summary])).toEqual([
      ["journey.publish", "published version 2 of the journey “Welcome”"],
      ["journey.update", "changed the journey “Welcome” (design)"],
      ["journey.publish", "published version 1 of the journey “Welcome”"],
    ]);
    // The log names what changed; the designs are in the journey and its versions.
    expect(events[1]!.details).toEqual({ journeyId: id, revision: 2, input: { id, fields: ["design"] } });
    const opened = await callerAs(getDb(), a.viewer).journey.get({ workspaceId, id });
    expect(opened).toMatchObject({ canEdit: false, revision: 2, publishedVersion: 2 });
    expect((await editor.journey.get({ workspaceId, id })).canEdit).toBe(true);
  });

  it("takes comments on the journey, a stage or a touchpoint of the draft, and resolves and reopens them", async () => {
    const { id } = await journey();
    const comment = (target: Parameters<typeof addComment>[1]["target"], body: string) =>
      addComment(getDb(), { workspaceId: a.workspace.id, userId: a.editor.id, journeyId: id, target, body });
    const onStage = await comment({ kind: "stage", id: "s-open" }, "Is opening really a goal?");
    await comment({ kind: "touchpoint", id: "t-welcome" }, "Shorter subject line");
    const error = await comment({ kind: "stage", id: "s-gone" }, "Hello?").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues).toEqual([
      {
        path: "target.id",
        message: 'This journey has no stage with the id "s-gone"; it may have been removed.',
      },
    ]);
    await expect(comment({ kind: "stage", id: "t-welcome" }, "Wrong kind")).rejects.toThrow(
      InvalidInputError,
    );

    await resolveComment(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.admin.id,
      id: onStage.id,
      resolved: true,
    });
    let listed = await listComments(getDb(), { workspaceId: a.workspace.id, journeyId: id });
    expect(listed).toMatchObject([
      {
        body: "Is opening really a goal?",
        target: { kind: "stage", id: "s-open", label: "Email Opened", exists: true },
        author: { name: "editor person" },
        resolvedAt: expect.any(Date),
        resolvedBy: "admin person",
      },
      { target: { kind: "touchpoint", label: "Welcome email" }, resolvedAt: null, resolvedBy: null },
    ]);

    // The stage goes: its comment stays, marked as about something no longer there.
    const withoutStage = designInput();
    withoutStage.stages[0]!.name = "Opened";
    await updateJourney(getDb(), {
      ...ids(id),
      userId: a.editor.id,
      revision: 1,
      data: { design: { ...withoutStage, stages: [withoutStage.stages[0]!] } },
    });
    await resolveComment(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.admin.id,
      id: onStage.id,
      resolved: false,
    });
    listed = await listComments(getDb(), { workspaceId: a.workspace.id, journeyId: id });
    expect(listed[0]).toMatchObject({ target: { label: "Opened" }, resolvedAt: null });
    await expect(
      resolveComment(getDb(), {
        workspaceId: a.workspace.id,
        userId: a.admin.id,
        id: crypto.randomUUID(),
        resolved: true,
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it("exports a journey to a file and imports it back with the same design and a free name", async () => {
    const { id } = await journey();
    const file = await exportJourney(getDb(), { ...ids(id), now: new Date("2026-05-01T10:00:00Z") });
    expect(file).toMatchObject({
      format: "centric.journey",
      formatVersion: 1,
      name: "Welcome",
      description: "For new readers",
      segment: { name: "Email readers" },
      exportedAt: "2026-05-01T10:00:00.000Z",
    });
    // Through JSON, as a file would travel.
    const text = JSON.stringify(file);
    const first = await importJourney(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.editor.id,
      segmentId,
      file: JSON.parse(text) as unknown,
    });
    const second = await importJourney(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.editor.id,
      segmentId,
      file: text,
    });
    const third = await importJourney(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.editor.id,
      segmentId: otherSegmentId,
      file: text,
    });
    expect([first.name, second.name, third.name]).toEqual([
      "Welcome (imported)",
      "Welcome (imported 2)",
      "Welcome",
    ]);
    const imported = await getJourney(getDb(), ids(first.id));
    expect(imported.draft).toEqual((await getJourney(getDb(), ids(id))).draft);
    expect(imported.description).toBe("For new readers");
  });

  it("refuses a broken file with clear messages and paths, and stores nothing", async () => {
    const { id } = await journey();
    const file = await exportJourney(getDb(), ids(id));
    /** The error an import of `content` fails with. */
    const importing = (content: unknown) =>
      importJourney(getDb(), {
        workspaceId: a.workspace.id,
        userId: a.editor.id,
        segmentId,
        file: content,
      }).then(
        () => {
          throw new Error("the import should have been refused");
        },
        (e: unknown) => e as InvalidInputError,
      );

    const notJson = await importing("{ nope");
    expect(notJson).toBeInstanceOf(InvalidInputError);
    expect(notJson.message).toMatch(/^The file is not JSON: /);

    const wrongKind = await importing({ ...file, format: "something.else", name: "" });
    expect(wrongKind.issues).toEqual([
      { path: "format", message: 'must be "centric.journey": this is not a Centric journey file' },
      { path: "name", message: "Give the journey a name" },
    ]);

    const design = structuredClone(file.design) as JourneyDesign;
    design.stages[0]!.touchpoints[0]!.channel = "fax" as never;
    const badDesign = await importing({ ...file, design });
    expect(badDesign.message).toMatch(
      /^The journey in the file is not valid: design\.stages\[0\]\.touchpoints\[0\]\.channel: unknown channel/,
    );
    expect(badDesign.issues.map((i) => i.path)).toEqual(["design.stages[0].touchpoints[0].channel"]);
    const noEntry = structuredClone(file.design) as JourneyDesign;
    noEntry.flow.nodes.splice(0, 1);
    expect((await importing({ ...file, design: noEntry })).issues).toEqual([
      { path: "design.flow.nodes", message: "the canvas needs exactly one entry" },
      { path: "design.flow.edges[0].source", message: 'no node has the id "entry"' },
    ]);

    expect(await stored()).toBe(1);
  });

  it("picks the first free name, keeping within the name's length", () => {
    expect(freeName("Welcome", new Set())).toBe("Welcome");
    expect(freeName("Welcome", new Set(["welcome", "welcome (imported)"]))).toBe("Welcome (imported 2)");
    const long = "x".repeat(120);
    expect(freeName(long, new Set([long]))).toBe(`${"x".repeat(109)} (imported)`);
  });

  it("keeps each workspace's journeys to itself", async () => {
    const b = await makeWorkspace(getDb(), "Brand B");
    const theirSegment = await segment(b.workspace.id, b.admin.id, "Theirs");
    const theirs = await createJourney(getDb(), {
      workspaceId: b.workspace.id,
      userId: b.admin.id,
      segmentId: theirSegment,
      name: "Secret plan",
      description: "",
      design: designInput(),
    });
    await publishJourney(getDb(), { workspaceId: b.workspace.id, id: theirs.id, userId: b.admin.id });
    const admin = callerAs(getDb(), a.admin);
    const workspaceId = a.workspace.id;
    const id = theirs.id;
    const attempts: (() => Promise<unknown>)[] = [
      () => admin.journey.get({ workspaceId, id }),
      () => admin.journey.update({ workspaceId, id, revision: 1, data: { name: "Mine now" } }),
      () => admin.journey.remove({ workspaceId, id }),
      () => admin.journey.copy({ workspaceId, id, segmentId, name: "Copied" }),
      () => admin.journey.publish({ workspaceId, id }),
      () => admin.journey.versions({ workspaceId, id }),
      () => admin.journey.version({ workspaceId, id, version: 1 }),
      () => admin.journey.diff({ workspaceId, id, from: 1, to: "draft" }),
      () => admin.journey.restore({ workspaceId, id, version: 1 }),
      () => admin.journey.comments({ workspaceId, id }),
      () => admin.journey.addComment({ workspaceId, id, target: { kind: "journey" }, body: "Hi" }),
      () => admin.journey.exportJson({ workspaceId, id }),
      () => admin.journey.create({ workspaceId, segmentId: theirSegment, name: "Into their segment" }),
    ];
    for (const attempt of attempts) expect(await codeOf(attempt())).toBe("NOT_FOUND");
    expect(await admin.journey.list({ workspaceId })).toEqual([]);
    expect(await getJourney(getDb(), { workspaceId: b.workspace.id, id })).toMatchObject({
      name: "Secret plan",
      revision: 1,
    });
  });

  it("refuses to delete a segment while journeys are designed for it", async () => {
    const welcome = await journey("Welcome");
    const winBack = await journey("Win back");
    await expect(removeSegment(getDb(), { workspaceId: a.workspace.id, id: segmentId })).rejects.toThrow(
      new RuleError(
        "Journeys are designed for this segment: Welcome, Win back. Delete them or copy them to another segment first.",
      ),
    );
    // Even past the check, the database keeps the journeys' segment.
    await expect(getDb().delete(segments).where(eq(segments.id, segmentId))).rejects.toThrow();
    await removeJourney(getDb(), ids(welcome.id));
    await removeJourney(getDb(), ids(winBack.id));
    await expect(
      removeSegment(getDb(), { workspaceId: a.workspace.id, id: segmentId }),
    ).resolves.toMatchObject({
      name: "Email readers",
    });
  });

  it("removes a journey with its versions and comments, and goes with its workspace", async () => {
    const { id } = await journey();
    await publishJourney(getDb(), { ...ids(id), userId: a.admin.id });
    await addComment(getDb(), {
      workspaceId: a.workspace.id,
      userId: a.editor.id,
      journeyId: id,
      target: { kind: "journey" },
      body: "Note",
    });
    expect(await removeJourney(getDb(), ids(id))).toEqual({ name: "Welcome" });
    await expect(removeJourney(getDb(), ids(id))).rejects.toThrow(NotFoundError);
    for (const table of [journeyVersions, journeyComments]) {
      const [row] = await getDb().select({ n: count() }).from(table);
      expect(row!.n).toBe(0);
    }
    await journey();
    await getDb().delete(workspaces).where(eq(workspaces.id, a.workspace.id));
    expect(await stored()).toBe(0);
  });

  it("fills in the design's defaults before storing it", async () => {
    const { id } = await journey();
    const draft = (await getJourney(getDb(), ids(id))).draft;
    expect(draft).toEqual(parseDesign(designInput()));
    expect(draft.stages[0]!.touchpoints[0]).toMatchObject({
      delayHours: 0,
      respectQuietHours: true,
      link: null,
    });
  });
});
