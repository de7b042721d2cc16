import { TRPCError } from "@trpc/server";
import type { Database } from "~/db";
import type { Permission } from "~/server/permissions";
import { insertEvents, makeCustomerWithEvent, makeMergeFixture } from "~/server/customers/test-fixtures";
import { addSuppression } from "~/server/consent/store";
import { makeDestinationFixture } from "~/server/destinations/test-fixtures";
import { makeImportFixtures } from "~/server/imports/test-fixtures";
import { addComment } from "~/server/journeys/comments";
import { emptyDesign } from "~/server/journeys/design";
import { createJourney, updateJourney } from "~/server/journeys/store";
import { goLive, pauseRun } from "~/server/journeys/run/control";
import { exportJourney, type JourneyFile } from "~/server/journeys/transfer";
import { publishJourney } from "~/server/journeys/versions";
import { appRouter } from "~/server/root";
import { addAttachment, createAssessment, saveScores } from "~/server/maturity/assessments";
import { createInitiative } from "~/server/maturity/initiatives";
import { builtInModel } from "~/server/maturity/model";
import { copyIntoCustomModel } from "~/server/maturity/store";
import { createSegment } from "~/server/segments/store";
import type { SessionUser } from "~/server/auth/session-user";
import { createInvitation } from "~/server/workspaces/invitations";
import { createReadKey } from "~/server/profiles/read-keys";
import { createWriteKey } from "~/server/writekeys/writekeys";
import { callerAs, makeWorkspace, uniqueEmail } from "~/test/fixtures";

// The procedure matrix: every procedure of the AppRouter, how it is guarded,
// and an input that would succeed for an allowed caller, on a fixture that has
// one of everything. server/authz.test.ts checks the guards with it (and fails
// for a procedure without a row); server/trpc-input-fuzz.test.ts sends it
// hostile strings.

export type Access =
  { kind: "public"; why: string } | { kind: "protected" } | { kind: "workspace"; permission: Permission };

export interface Fixture {
  a: Awaited<ReturnType<typeof makeWorkspace>> & { invitation: { invitationId: string; token: string } };
  /** Admin of another workspace, member of nothing in `a`. */
  outsider: SessionUser;
  /** A customer of `a` with one event, another profile to merge into it, and a merge to undo, for customer.* */
  customer?: { id: string; eventId: number; otherId: string; mergeId: number };
  writeKeyId?: string; // a write key of `a`, for writeKey.revoke and writeKey.setAllowedOrigins
  readKeyId?: string; // a read key of `a`, for readKey.revoke and readKey.setAllowedOrigins
  /** An outbox destination of `a` and a dead-lettered delivery, for destination.* */
  destinations?: Awaited<ReturnType<typeof makeDestinationFixture>>;
  imports?: Awaited<ReturnType<typeof makeImportFixtures>>; // uploaded, queued and paused imports of `a`, for import.*
  segmentId?: string; // a segment of `a`, for segment.*
  /** A journey of `a` on a segment of its own, published once and changed since (revision 2), with a comment and its export. */
  journey?: {
    id: string;
    segmentId: string;
    commentId: string;
    file: JourneyFile;
    liveId: string;
    pausedId: string;
  };
  /** An open assessment of `a` with one score and one evidence file, a custom model and an initiative, for maturity.* */
  maturity?: Awaited<ReturnType<typeof makeMaturityFixture>>;
}

async function makeMaturityFixture(db: Database, workspaceId: string, userId: string) {
  const { id: assessmentId } = await createAssessment(db, {
    workspaceId,
    userId,
    title: "Spring",
    assessedOn: "2026-04-01",
    modelId: null,
  });
  await saveScores(db, {
    workspaceId,
    assessmentId,
    assessorId: userId,
    scores: [
      {
        dimensionKey: "governance",
        level: 2,
        confidence: null,
        notes: "",
        evidenceText: "",
        evidenceLinks: [],
      },
    ],
  });
  const file = await addAttachment(db, {
    workspaceId,
    assessmentId,
    userId,
    dimensionKey: "governance",
    fileName: "minutes.txt",
    data: Buffer.from("minutes"),
  });
  const model = await copyIntoCustomModel(db, { workspaceId, userId, from: { modelId: null }, name: "Ours" });
  const { id: initiativeId } = await createInitiative(db, {
    workspaceId,
    userId,
    dimensionKey: "governance",
    title: "Data council",
    description: "",
    ownerId: null,
    ownerName: null,
    status: "planned",
    dueDate: null,
    links: [],
  });
  return { assessmentId, attachmentId: file.id, modelId: model.modelId!, initiativeId };
}

export interface Row {
  access: Access;
  input: (f: Fixture) => unknown;
}

const ws = (permission: Permission): Access => ({ kind: "workspace", permission });

export const matrix: Record<string, Row> = {
  "workspace.list": { access: { kind: "protected" }, input: () => undefined },
  "workspace.landing": { access: { kind: "protected" }, input: (f) => ({ last: f.a.workspace.slug }) },
  "workspace.get": { access: { kind: "protected" }, input: (f) => ({ slug: f.a.workspace.slug }) },
  "workspace.create": { access: { kind: "protected" }, input: () => ({ name: "Another brand" }) },
  "workspace.update": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, data: { name: "Renamed brand" } }),
  },
  "member.list": { access: ws("members:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "member.add": {
    access: ws("members:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, email: uniqueEmail("new"), role: "viewer" }),
  },
  "member.updateRole": {
    access: ws("members:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, userId: f.a.editor.id, role: "viewer" }),
  },
  "member.remove": {
    access: ws("members:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, userId: f.a.editor.id }),
  },
  "invitation.list": { access: ws("members:manage"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "invitation.revoke": {
    access: ws("members:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, invitationId: f.a.invitation.invitationId }),
  },
  "invitation.get": {
    access: { kind: "public", why: "the invitation link's secret token is the credential" },
    input: (f) => ({ token: f.a.invitation.token }),
  },
  "invitation.accept": {
    access: { kind: "public", why: "the invitation link's secret token is the credential" },
    input: (f) => ({ token: f.a.invitation.token, name: "New Person", password: "a long enough password" }),
  },
  "invitation.join": {
    // Signed in, and only as the invited email: anyone else is refused (FORBIDDEN).
    access: { kind: "protected" },
    input: (f) => ({ token: f.a.invitation.token }),
  },
  "audit.list": { access: ws("audit:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "customer.list": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, search: "ada" }),
  },
  "customer.get": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.customer!.id }),
  },
  "customer.timeline": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, customerId: f.customer!.id }),
  },
  "customer.merge": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      survivorId: f.customer!.id,
      mergedId: f.customer!.otherId,
    }),
  },
  "customer.undoMerge": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, mergeId: f.customer!.mergeId }),
  },
  "customer.event": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.customer!.eventId }),
  },
  "customer.eventNames": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "customer.lanes": {
    access: ws("workspace:read"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      customerId: f.customer!.id,
      from: new Date(Date.now() - 30 * 86_400_000),
      to: new Date(),
    }),
  },
  "customer.bestChoices": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, customerId: f.customer!.id }),
  },
  "customer.memberships": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, customerId: f.customer!.id }),
  },
  "dashboard.summary": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "dashboard.journeys": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "writeKey.list": { access: ws("settings:manage"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "writeKey.refusals": { access: ws("settings:manage"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "writeKey.create": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, name: "App" }),
  },
  "writeKey.revoke": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, keyId: f.writeKeyId }),
  },
  "writeKey.setAllowedOrigins": {
    access: ws("settings:manage"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      keyId: f.writeKeyId,
      allowedOrigins: ["https://shop.example"],
    }),
  },
  "readKey.list": { access: ws("settings:manage"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "readKey.create": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, name: "Web shop" }),
  },
  "readKey.revoke": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, keyId: f.readKeyId }),
  },
  "readKey.setAllowedOrigins": {
    access: ws("settings:manage"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      keyId: f.readKeyId,
      allowedOrigins: ["https://shop.example"],
    }),
  },
  "consent.ofCustomer": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, customerId: f.customer!.id }),
  },
  "consent.set": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      customerId: f.customer!.id,
      channel: "email",
      state: "unsubscribed",
    }),
  },
  "consent.suppressions": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id }),
  },
  "consent.addSuppression": {
    access: ws("settings:manage"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      channel: "email",
      address: "bounced@example.com",
      reason: "hard bounce",
    }),
  },
  "consent.removeSuppression": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, channel: "email", address: "complained@example.com" }),
  },
  "destination.list": { access: ws("settings:manage"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "destination.create": {
    access: ws("settings:manage"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      destination: { kind: "webhook", name: "CRM", settings: { url: "https://crm.example/hook" } },
    }),
  },
  "destination.update": {
    access: ws("settings:manage"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      destinationId: f.destinations!.outboxId,
      destination: { kind: "outbox", name: "Kept in the app", settings: {} },
    }),
  },
  "destination.remove": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, destinationId: f.destinations!.outboxId }),
  },
  "destination.setRoute": {
    access: ws("settings:manage"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      channel: "social",
      destinationId: f.destinations!.outboxId,
    }),
  },
  "destination.sendTest": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, destinationId: f.destinations!.outboxId }),
  },
  "destination.deliveries": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id }),
  },
  "destination.replay": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, deliveryId: f.destinations!.deadDeliveryId }),
  },
  "import.list": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "import.get": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, importId: f.imports!.queued }),
  },
  "import.errors": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, importId: f.imports!.queued }),
  },
  "import.preview": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, importId: f.imports!.uploaded }),
  },
  "import.start": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      importId: f.imports!.uploaded,
      options: f.imports!.options,
      mapping: f.imports!.mapping,
    }),
  },
  "import.pause": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, importId: f.imports!.queued }),
  },
  "import.resume": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, importId: f.imports!.paused }),
  },
  "import.discard": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, importId: f.imports!.discardable }),
  },
  "import.cancel": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, importId: f.imports!.queued }),
  },
  "value.overview": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "value.portfolio": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "value.customer": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, customerId: f.customer!.id }),
  },
  "value.startFit": {
    access: ws("content:write"),
    // A live fit over the fixture customer's purchase.
    input: (f) => ({ workspaceId: f.a.workspace.id }),
  },
  "value.setSchedule": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, schedule: "weekly" }),
  },
  "segment.templates": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "segment.list": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "segment.get": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.segmentId }),
  },
  "segment.preview": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, rule: { type: "eventCount", op: "gte", value: 1 } }),
  },
  "segment.sizeHistory": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.segmentId }),
  },
  "segment.changes": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.segmentId }),
  },
  "segment.create": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      name: "Another segment",
      rule: { type: "eventCount", op: "gte", value: 2 },
    }),
  },
  "segment.update": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      id: f.segmentId,
      name: "Renamed segment",
      rule: { type: "eventCount", op: "gte", value: 3 },
    }),
  },
  "segment.remove": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.segmentId }),
  },
  "segment.refresh": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.segmentId }),
  },
  "segment.reconstructHistory": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.segmentId }),
  },
  "journey.list": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "journey.get": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id }),
  },
  "journey.create": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      segmentId: f.journey!.segmentId,
      name: "Another journey",
    }),
  },
  "journey.update": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      id: f.journey!.id,
      revision: 2,
      data: { name: "Renamed journey" },
    }),
  },
  "journey.remove": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id }),
  },
  "journey.copy": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      id: f.journey!.id,
      segmentId: f.segmentId,
      name: "Copied journey",
    }),
  },
  "journey.publish": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id, note: "Second cut" }),
  },
  "journey.versions": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id }),
  },
  "journey.version": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id, version: 1 }),
  },
  "journey.diff": {
    access: ws("workspace:read"),
    // Not to "draft": viewers compare published versions only (server/authz-drafts.test.ts).
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id, from: 1, to: 1 }),
  },
  "journey.restore": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id, version: 1 }),
  },
  "journey.comments": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id }),
  },
  "journey.addComment": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      id: f.journey!.id,
      target: { kind: "journey" },
      body: "Shall we test the subject line?",
    }),
  },
  "journey.resolveComment": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, commentId: f.journey!.commentId }),
  },
  "journey.analytics": {
    access: ws("workspace:read"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      id: f.journey!.id,
      from: "2026-01-01",
      to: "2026-04-01",
      source: 1,
    }),
  },
  "journey.runState": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.liveId }),
  },
  "journey.goLive": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      id: f.journey!.id,
      reentryDays: 30,
      exitOnSegmentLeave: true,
      moveToNewVersion: false,
      timezone: "Europe/Amsterdam",
    }),
  },
  "journey.pause": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.liveId }),
  },
  "journey.resume": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.pausedId }),
  },
  "journey.stop": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.liveId }),
  },
  "journey.impact": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.liveId, windowDays: 30 }),
  },
  "journey.dryRun": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id, timezone: "UTC" }),
  },
  "journey.exportJson": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.journey!.id }),
  },
  "journey.importJson": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, segmentId: f.journey!.segmentId, file: f.journey!.file }),
  },
  "maturity.model.list": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
  "maturity.model.get": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, modelId: f.maturity!.modelId }),
  },
  "maturity.model.versions": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, modelId: f.maturity!.modelId }),
  },
  "maturity.model.copy": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, name: "Retail model" }),
  },
  "maturity.model.saveVersion": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, modelId: f.maturity!.modelId, definition: builtInModel }),
  },
  "maturity.assessment.list": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id }),
  },
  "maturity.assessment.get": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.maturity!.assessmentId }),
  },
  "maturity.assessment.create": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, title: "Autumn", assessedOn: "2026-10-01" }),
  },
  "maturity.assessment.saveScores": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      assessmentId: f.maturity!.assessmentId,
      scores: [{ dimensionKey: "recognition", level: 3 }],
    }),
  },
  "maturity.assessment.setTarget": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      assessmentId: f.maturity!.assessmentId,
      dimensionKey: "recognition",
      targetLevel: 4,
    }),
  },
  "maturity.assessment.finalise": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, assessmentId: f.maturity!.assessmentId }),
  },
  "maturity.assessment.remove": {
    access: ws("settings:manage"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.maturity!.assessmentId }),
  },
  "maturity.attachment.upload": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      assessmentId: f.maturity!.assessmentId,
      dimensionKey: "governance",
      fileName: "notes.txt",
      base64: Buffer.from("notes").toString("base64"),
    }),
  },
  "maturity.attachment.remove": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.maturity!.attachmentId }),
  },
  "maturity.initiative.list": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id }),
  },
  "maturity.initiative.create": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, dimensionKey: "recognition", title: "One profile" }),
  },
  "maturity.initiative.update": {
    access: ws("content:write"),
    input: (f) => ({
      workspaceId: f.a.workspace.id,
      id: f.maturity!.initiativeId,
      data: { dimensionKey: "governance", title: "Data council", status: "done" },
    }),
  },
  "maturity.initiative.remove": {
    access: ws("content:write"),
    input: (f) => ({ workspaceId: f.a.workspace.id, id: f.maturity!.initiativeId }),
  },
  "maturity.indicators": {
    access: ws("workspace:read"),
    input: (f) => ({ workspaceId: f.a.workspace.id, assessmentId: f.maturity!.assessmentId }),
  },
  "maturity.scorecard": { access: ws("workspace:read"), input: (f) => ({ workspaceId: f.a.workspace.id }) },
};

export const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
export const paths = Object.keys(procedures).sort();
export const guarded = paths.filter((path) => matrix[path]?.access.kind !== "public");
export const workspaceScoped = paths.filter((path) => matrix[path]?.access.kind === "workspace");
export const mutations = guarded.filter((path) => procedures[path]?._def.type === "mutation");

async function makeJourneyFixture(db: Database, workspaceId: string, userId: string) {
  // Its own segment: segment.remove must still be able to delete f.segmentId.
  const segment = await createSegment(db, {
    workspaceId,
    userId,
    name: "Email readers",
    description: "",
    rule: { type: "eventCount", op: "gte", value: 2 },
    schedule: "off",
  });
  const journey = await createJourney(db, {
    workspaceId,
    userId,
    segmentId: segment.id,
    name: "Welcome",
    description: "",
  });
  await publishJourney(db, { workspaceId, userId, id: journey.id });
  await updateJourney(db, {
    workspaceId,
    userId,
    id: journey.id,
    revision: 1,
    data: { design: emptyDesign() },
  });
  const comment = await addComment(db, {
    workspaceId,
    userId,
    journeyId: journey.id,
    target: { kind: "journey" },
    body: "First thoughts",
  });
  const file = await exportJourney(db, { workspaceId, id: journey.id });
  // Two more, running: one live (to pause or stop), one paused (to resume).
  const running = async (name: string) => {
    const { id } = await createJourney(db, {
      workspaceId,
      userId,
      segmentId: segment.id,
      name,
      description: "",
    });
    await publishJourney(db, { workspaceId, userId, id });
    const settings = {
      reentryDays: null,
      exitOnSegmentLeave: false,
      moveToNewVersion: false,
      timezone: "UTC",
      holdoutPercent: 10,
    };
    await goLive(db, { workspaceId, journeyId: id, userId, ...settings });
    return id;
  };
  const liveId = await running("Live");
  const pausedId = await running("Paused");
  await pauseRun(db, { workspaceId, journeyId: pausedId });
  return { id: journey.id, segmentId: segment.id, commentId: comment.id, file, liveId, pausedId };
}

export function call(db: Database, user: SessionUser | null, path: string, input: unknown) {
  const procedure = path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], callerAs(db, user));
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

export async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/** Two workspaces and, in the first, one of everything a procedure can be called on. */
export async function makeProcedureFixture(db: Database): Promise<Fixture> {
  const a = await makeWorkspace(db, "Brand A");
  const invitation = await createInvitation(db, {
    workspaceId: a.workspace.id,
    email: uniqueEmail("invitee"),
    role: "editor",
    invitedBy: a.admin.id,
  });
  const other = await makeWorkspace(db, "Brand B");
  const f: Fixture = { a: { ...a, invitation }, outsider: other.admin };
  const customer = await makeCustomerWithEvent(db, a.workspace.id);
  // A purchase, so that value.startFit has something to fit.
  await insertEvents(db, a.workspace.id, customer.id, [
    { event: "Order Completed", timestamp: new Date(Date.now() - 86_400_000), amount: 42 },
  ]);
  f.customer = { ...customer, ...(await makeMergeFixture(db, a.workspace.id, customer.id, a.admin.id)) };
  f.writeKeyId = (
    await createWriteKey(db, { workspaceId: a.workspace.id, name: "Web shop", createdBy: a.admin.id })
  ).id;
  f.readKeyId = (
    await createReadKey(db, { workspaceId: a.workspace.id, name: "Web shop", createdBy: a.admin.id })
  ).id;
  f.imports = await makeImportFixtures(db, a.workspace.id, a.admin.id);
  f.destinations = await makeDestinationFixture(db, a.workspace.id, a.admin.id);
  await addSuppression(db, {
    workspaceId: a.workspace.id,
    channel: "email",
    address: "complained@example.com",
    reason: "spam complaint",
    userId: a.admin.id,
  });
  f.segmentId = (
    await createSegment(db, {
      workspaceId: a.workspace.id,
      userId: a.admin.id,
      name: "Active customers",
      description: "",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "daily",
    })
  ).id;
  f.journey = await makeJourneyFixture(db, a.workspace.id, a.admin.id);
  f.maturity = await makeMaturityFixture(db, a.workspace.id, a.admin.id);
  return f;
}
