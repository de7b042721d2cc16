import "server-only";
import { and, asc, count, eq, exists, inArray, isNull, sql } from "drizzle-orm";
import type { Role } from "~/db/enums";
import {
  auditEvents,
  customers,
  events,
  jobs,
  memberships,
  segments,
  users,
  workspaces,
  writeKeys,
} from "~/db/schema";
import { recordAudit } from "~/server/audit/audit";
import { generateDemoMessages, type DemoMessage } from "~/server/demo/generate";
import { DEMO_RUN_DAYS, runDemoJourneyHistory } from "~/server/demo/journey-history";
import { demoJourneys } from "~/server/demo/journeys";
import { ingestMessages } from "~/server/ingest/ingest";
import { createJourney, takenNames } from "~/server/journeys/store";
import { publishJourney } from "~/server/journeys/versions";
import { markJobDone } from "~/server/jobs/jobs";
import { refreshSegment } from "~/server/segments/membership";
import { buildStreams } from "~/server/segments/streams";
import { createSegment, SEGMENT_REFRESH_JOB_KIND } from "~/server/segments/store";
import { segmentTemplates } from "~/server/segments/templates";
import { ensureDemoMaturity } from "~/server/maturity/demo";
import { createUser } from "~/server/users/users";
import { startFit } from "~/server/valuation/fits";
import { runValueFitNow } from "~/server/valuation/job";
import { createWorkspace, slugify } from "~/server/workspaces/workspaces";
import { createWriteKey } from "~/server/writekeys/writekeys";
import type { Database } from "~/db";

// The demo workspace that `npm start` creates on an empty database: two
// business units of one retailer and one person per role, so that a newcomer
// can sign in as each kind of user and switch between workspaces. Northwind
// Retail also gets a write key for the tracking API and a few thousand
// generated customers (server/demo/generate.ts) with their histories, segments,
// and journeys designed for two of them (server/demo/journeys.ts).

export const demoWorkspaces = [
  {
    key: "retail",
    name: "Northwind Retail",
    description: "Stores, web shop and loyalty programme of the Northwind retail brand.",
  },
  {
    key: "online",
    name: "Northwind Online",
    description: "The digital-only brand: web shop, mobile app and email.",
  },
] as const;

type DemoWorkspaceKey = (typeof demoWorkspaces)[number]["key"];

/** The demo workspace that gets the write key and the generated customers. */
const demoDataWorkspace = demoWorkspaces[0];
export const DEMO_WRITE_KEY_NAME = "Demo web site";
export const DEMO_CUSTOMERS = 3_000;
/** The generator's seed: every demo database has the same customers. */
const DEMO_SEED = 20_240_601;
const DEMO_BATCH = 500;

export const demoUsers: {
  email: string;
  name: string;
  password: string;
  roles: Partial<Record<DemoWorkspaceKey, Role>>;
}[] = [
  {
    email: "admin@centric.demo",
    name: "Alex Admin",
    password: "centric-admin-demo",
    roles: { retail: "admin", online: "admin" },
  },
  {
    email: "editor@centric.demo",
    name: "Maria Marketing",
    password: "centric-editor-demo",
    roles: { retail: "editor", online: "editor" },
  },
  {
    email: "viewer@centric.demo",
    name: "Eva Executive",
    password: "centric-viewer-demo",
    roles: { retail: "viewer", online: "viewer" },
  },
];

export interface DemoSignIn {
  email: string;
  password: string;
  role: string;
  workspace: string;
}

function demoSignIns(): DemoSignIn[] {
  return demoUsers.map((user) => ({
    email: user.email,
    password: user.password,
    role: [...new Set(Object.values(user.roles))].join(", "),
    workspace: demoWorkspaces
      .filter((w) => user.roles[w.key])
      .map((w) => w.name)
      .join(", "),
  }));
}

export interface DemoWriteKey {
  workspace: string;
  key: string;
}

export interface SeedResult {
  /** Whether the demo users and workspaces were created now. */
  created: boolean;
  signIns: DemoSignIn[];
  /** The demo write key, read from the database every time (none once an admin revoked it). */
  writeKeys: DemoWriteKey[];
  /** Generated customers loaded now (0 when they were there already). */
  customersLoaded: number;
}

/**
 * Creates the demo data when the database has no users yet; otherwise leaves
 * everything as it is, except that a demo workspace created before write keys
 * and customer data existed gets them once.
 */
export async function seedDemo(
  db: Database,
  options: { customers?: number; onProgress?: (message: string) => void } = {},
): Promise<SeedResult> {
  const [existing] = await db.select({ n: count() }).from(users);
  const created = (existing?.n ?? 0) === 0;
  if (created) await createDemoWorkspaces(db);

  const workspace = await findDemoWorkspace(db);
  if (!workspace) return { created, signIns: demoSignIns(), writeKeys: [], customersLoaded: 0 };
  await ensureDemoWriteKey(db, workspace.id);
  const customersLoaded = await ensureDemoCustomers(
    db,
    workspace,
    options.customers ?? DEMO_CUSTOMERS,
    options.onProgress,
  );
  if (customersLoaded > 0) {
    // Segment counts read the customer streams; the loop would build them too, a few seconds later.
    await buildStreams(db, { workspaceId: workspace.id, settleMs: 0 });
    await fitDemoValue(db, workspace.id, options.onProgress);
    await createDemoSegments(db, workspace.id);
  }
  await ensureDemoJourneys(db, workspace.id);
  if (customersLoaded > 0) {
    options.onProgress?.(`Running the demo journey over the last ${DEMO_RUN_DAYS} days…`);
    if ((await runDemoJourneyHistory(db, workspace.id)) > 0) {
      // Its customers' answers are new events: their streams, and the value fit after the journey.
      await buildStreams(db, { workspaceId: workspace.id, settleMs: 0 });
      await fitDemoValue(db, workspace.id, options.onProgress);
      await refreshQueuedSegments(db, workspace.id);
    }
  }
  await seedDemoMaturity(db, workspace.id);
  return {
    created,
    signIns: demoSignIns(),
    writeKeys: await listDemoWriteKeys(db, workspace),
    customersLoaded,
  };
}

/**
 * The first value fit of the demo customers, so that customer value, the RFM
 * groups and the value templates have figures from the start. Run in place,
 * as the admin would from the Customer value page.
 */
async function fitDemoValue(db: Database, workspaceId: string, onProgress?: (message: string) => void) {
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@centric.demo"));
  onProgress?.("Fitting the customer value models to the demo purchases…");
  const { fitId, jobId } = await startFit({ db, workspaceId, userId: admin?.id ?? null });
  await runValueFitNow(db, { workspaceId, fitId, jobId });
}

/** The segment refreshes a value fit queued (those reading value), done in place like the first ones. */
async function refreshQueuedSegments(db: Database, workspaceId: string) {
  const queued = await db
    .select({ id: jobs.id, payload: jobs.payload })
    .from(jobs)
    .where(
      and(
        eq(jobs.workspaceId, workspaceId),
        eq(jobs.kind, SEGMENT_REFRESH_JOB_KIND),
        eq(jobs.status, "queued"),
      ),
    );
  for (const job of queued) {
    const { segmentId } = job.payload as { segmentId: string };
    await refreshSegment(db, { workspaceId, segmentId, cause: "value fit" });
    await markJobDone(db, { workspaceId, jobId: job.id });
  }
}

/** Templates saved as segments of the demo editor, with their first refresh done. "Loyal weekly customers" is left for a newcomer to build. */
const DEMO_SEGMENT_TEMPLATES = [
  "email-web-buyers",
  "holiday-discount",
  "at-risk-high-value",
  "new-customers",
];

async function createDemoSegments(db: Database, workspaceId: string) {
  const [editor] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "editor@centric.demo"));
  if (!editor) return;
  // A load finished after an interruption may find them made already.
  const [someSegment] = await db
    .select({ id: segments.id })
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId))
    .limit(1);
  if (someSegment) return;
  for (const template of segmentTemplates.filter((t) => DEMO_SEGMENT_TEMPLATES.includes(t.key))) {
    const { id, jobId } = await createSegment(db, {
      workspaceId,
      userId: editor.id,
      name: template.name,
      description: template.description,
      rule: template.rule,
      schedule: "daily",
    });
    // A few thousand customers refresh in well under a second: done here rather than left queued.
    await refreshSegment(db, { workspaceId, segmentId: id, cause: "created" });
    await markJobDone(db, { workspaceId, jobId });
  }
}

/**
 * The demo journeys, once, for those of their segments that exist; an audit
 * entry records that they were made, so a journey someone deleted stays deleted.
 */
async function ensureDemoJourneys(db: Database, workspaceId: string) {
  const [done] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.workspaceId, workspaceId),
        eq(auditEvents.action, "seed.demo"),
        sql`${auditEvents.details} ? 'demoJourneys'`,
      ),
    )
    .limit(1);
  if (done) return;
  const [editor] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "editor@centric.demo"));
  if (!editor) return;
  const found = await db
    .select({ id: segments.id, name: segments.name })
    .from(segments)
    .where(
      and(
        eq(segments.workspaceId, workspaceId),
        inArray(
          segments.name,
          demoJourneys.map((j) => j.segmentName),
        ),
      ),
    );
  // The segments come with the demo customers: the journeys wait for them.
  if (found.length === 0) return;
  const segmentIds = new Map(found.map((s) => [s.name, s.id]));
  await db.transaction(async (tx) => {
    const made: string[] = [];
    for (const spec of demoJourneys) {
      const segmentId = segmentIds.get(spec.segmentName);
      if (!segmentId || (await takenNames(tx, workspaceId, segmentId)).has(spec.name.toLowerCase())) continue;
      const { id } = await createJourney(tx, {
        workspaceId,
        userId: editor.id,
        segmentId,
        name: spec.name,
        description: spec.description,
        design: spec.design,
      });
      if (spec.publishNote) {
        await publishJourney(tx, { workspaceId, userId: editor.id, id, note: spec.publishNote });
      }
      made.push(spec.name);
    }
    await recordAudit(tx, [
      {
        workspaceId,
        actorUserId: null,
        action: "seed.demo",
        summary: `designed the demo journeys ${made.map((name) => `“${name}”`).join(" and ")}`,
        details: { demoJourneys: made },
      },
    ]);
  });
}

/** Assessments in every demo workspace (a history in the one with data), so the scorecard has something to show. */
async function seedDemoMaturity(db: Database, dataWorkspaceId: string) {
  const people = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, ["admin@centric.demo", "editor@centric.demo"]));
  const admin = people.find((p) => p.email === "admin@centric.demo");
  const editor = people.find((p) => p.email === "editor@centric.demo");
  if (!admin || !editor) return;
  const found = await db
    .select({ id: workspaces.id, createdAt: workspaces.createdAt })
    .from(workspaces)
    .where(
      and(
        inArray(
          workspaces.slug,
          demoWorkspaces.map((w) => slugify(w.name)),
        ),
        exists(
          db
            .select({ id: auditEvents.id })
            .from(auditEvents)
            .where(and(eq(auditEvents.workspaceId, workspaces.id), eq(auditEvents.action, "seed.demo"))),
        ),
      ),
    );
  await ensureDemoMaturity(db, {
    workspaces: found.map((w) => ({ ...w, withData: w.id === dataWorkspaceId })),
    editorId: editor.id,
    adminId: admin.id,
  });
}

async function createDemoWorkspaces(db: Database) {
  await db.transaction(async (tx) => {
    const created = [];
    for (const user of demoUsers) created.push({ ...user, id: (await createUser(tx, user)).id });
    const [owner, ...others] = created;
    for (const spec of demoWorkspaces) {
      const workspace = await createWorkspace(tx, {
        userId: owner!.id,
        name: spec.name,
        description: spec.description,
        requireAdmin: false,
      });
      for (const user of others) {
        const role = user.roles[spec.key];
        if (role) await tx.insert(memberships).values({ workspaceId: workspace.id, userId: user.id, role });
      }
      await recordAudit(tx, [
        {
          workspaceId: workspace.id,
          actorUserId: null,
          action: "seed.demo",
          summary: `created the demo workspace ${spec.name} with its members`,
        },
      ]);
    }
  });
}

/** The demo workspace the seed created (it carries the seed's audit entry), not a user's own of that name. */
async function findDemoWorkspace(db: Database) {
  const [workspace] = await db
    .select({ id: workspaces.id, name: workspaces.name, createdAt: workspaces.createdAt })
    .from(workspaces)
    .where(
      and(
        eq(workspaces.slug, slugify(demoDataWorkspace.name)),
        exists(
          db
            .select({ id: auditEvents.id })
            .from(auditEvents)
            .where(and(eq(auditEvents.workspaceId, workspaces.id), eq(auditEvents.action, "seed.demo"))),
        ),
      ),
    );
  return workspace;
}

/** Only a workspace that never had a key gets one: a revoked demo key stays revoked. */
async function ensureDemoWriteKey(db: Database, workspaceId: string) {
  const [any] = await db
    .select({ id: writeKeys.id })
    .from(writeKeys)
    .where(eq(writeKeys.workspaceId, workspaceId))
    .limit(1);
  if (any) return;
  await db.transaction(async (tx) => {
    await createWriteKey(tx, { workspaceId, name: DEMO_WRITE_KEY_NAME, createdBy: null });
    await recordAudit(tx, [
      {
        workspaceId,
        actorUserId: null,
        action: "seed.demo",
        summary: `created the write key “${DEMO_WRITE_KEY_NAME}”`,
      },
    ]);
  });
}

async function listDemoWriteKeys(
  db: Database,
  workspace: { id: string; name: string },
): Promise<DemoWriteKey[]> {
  const keys = await db
    .select({ key: writeKeys.key })
    .from(writeKeys)
    .where(
      and(
        eq(writeKeys.workspaceId, workspace.id),
        eq(writeKeys.name, DEMO_WRITE_KEY_NAME),
        isNull(writeKeys.revokedAt),
      ),
    )
    .orderBy(asc(writeKeys.createdAt));
  return keys.map(({ key }) => ({ workspace: workspace.name, key }));
}

/**
 * Loads the generated customers through the same path as the tracking API,
 * when the workspace has none yet, or when an earlier load was interrupted:
 * the history ends when the workspace was created and the messageIds are
 * deterministic, so loading again stores only what is missing.
 */
async function ensureDemoCustomers(
  db: Database,
  workspace: { id: string; name: string; createdAt: Date },
  total: number,
  onProgress?: (message: string) => void,
) {
  if (total <= 0) return 0;
  const [done] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.workspaceId, workspace.id),
        eq(auditEvents.action, "seed.demo"),
        sql`${auditEvents.details} ? 'demoCustomers'`,
      ),
    )
    .limit(1);
  if (done) return 0;
  const [someCustomer] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.workspaceId, workspace.id))
    .limit(1);
  if (someCustomer) {
    const [demoEvent] = await db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.workspaceId, workspace.id), eq(events.source, "demo")))
      .limit(1);
    // The workspace has data of its own: leave it alone.
    if (!demoEvent) return 0;
  }

  onProgress?.(`Loading ${total.toLocaleString("en")} demo customers into ${workspace.name}…`);
  let batch: DemoMessage[] = [];
  let accepted = 0;
  const flush = async () => {
    const result = await ingestMessages(db, { workspaceId: workspace.id, messages: batch, source: "demo" });
    if (result.rejected.length > 0) {
      throw new Error(
        `The demo generator made a message the tracking API refuses: ${result.rejected[0]!.error}`,
      );
    }
    accepted += result.accepted;
    batch = [];
  };
  for (const message of generateDemoMessages({
    customers: total,
    seed: DEMO_SEED,
    now: workspace.createdAt,
  })) {
    batch.push(message);
    if (batch.length === DEMO_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await recordAudit(db, [
    {
      workspaceId: workspace.id,
      actorUserId: null,
      action: "seed.demo",
      summary: `loaded ${total.toLocaleString("en")} generated demo customers with their histories`,
      details: { demoCustomers: total, events: accepted },
    },
  ]);
  return total;
}
