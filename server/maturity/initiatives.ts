import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import {
  journeys,
  maturityInitiativeLinks,
  maturityInitiatives,
  memberships,
  segments,
  users,
} from "~/db/schema";
import { type InitiativeLinkKind, type InitiativeStatus } from "~/db/enums";
import { InvalidInputError, NotFoundError } from "~/server/errors";
import { builtInModel } from "./model";

// Initiatives: the actions that close a dimension's gap, with an owner, a
// status, a due date and the segments or journeys that deliver them.
// They belong to the workspace and a dimension key, not to one assessment,
// so they carry over from one assessment to the next.

export interface InitiativeInput {
  dimensionKey: string;
  title: string;
  description: string;
  /** A member of the workspace; or else ownerName, for someone without an account. */
  ownerId: string | null;
  ownerName: string | null;
  status: InitiativeStatus;
  dueDate: string | null;
  links: { kind: InitiativeLinkKind; targetId: string }[];
}

export interface Initiative {
  id: string;
  dimensionKey: string;
  title: string;
  description: string;
  owner: { id: string | null; name: string } | null;
  status: InitiativeStatus;
  dueDate: string | null;
  /** The segments and journeys by name; a removed one drops out. */
  links: { kind: InitiativeLinkKind; targetId: string; name: string }[];
  createdAt: Date;
  updatedAt: Date;
}

const thisInitiative = (workspaceId: string, id: string) =>
  and(eq(maturityInitiatives.workspaceId, workspaceId), eq(maturityInitiatives.id, id));

/** The owner must be a member, and linked segments must be the workspace's; every problem named with its field. */
async function checkInput(db: DbOrTx, workspaceId: string, input: InitiativeInput) {
  const issues: { path: string; message: string }[] = [];
  if (input.ownerId) {
    const [member] = await db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.ownerId)));
    if (!member) issues.push({ path: "ownerId", message: "the owner must be a member of this workspace" });
  }
  const known = await existingTargets(db, workspaceId, input.links);
  input.links.forEach((link, i) => {
    if (!known.has(`${link.kind}:${link.targetId}`))
      issues.push({ path: `links[${i}].targetId`, message: `no such ${link.kind} in this workspace` });
  });
  if (issues.length > 0)
    throw new InvalidInputError(
      `The initiative was not saved: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      issues,
    );
}

/** "segment:<id>" / "journey:<id>" for the linked targets that exist in the workspace. */
async function existingTargets(db: DbOrTx, workspaceId: string, links: InitiativeInput["links"]) {
  const ids = (kind: InitiativeLinkKind) => links.filter((l) => l.kind === kind).map((l) => l.targetId);
  const [segmentRows, journeyRows] = await Promise.all([
    ids("segment").length === 0
      ? []
      : db
          .select({ id: segments.id })
          .from(segments)
          .where(and(eq(segments.workspaceId, workspaceId), inArray(segments.id, ids("segment")))),
    ids("journey").length === 0
      ? []
      : db
          .select({ id: journeys.id })
          .from(journeys)
          .where(and(eq(journeys.workspaceId, workspaceId), inArray(journeys.id, ids("journey")))),
  ]);
  return new Set([
    ...segmentRows.map((r) => `segment:${r.id}`),
    ...journeyRows.map((r) => `journey:${r.id}`),
  ]);
}

function uniqueLinks(links: InitiativeInput["links"]) {
  const seen = new Map(links.map((l) => [`${l.kind}:${l.targetId}`, l]));
  return [...seen.values()];
}

async function writeLinks(
  db: DbOrTx,
  workspaceId: string,
  initiativeId: string,
  links: InitiativeInput["links"],
) {
  await db
    .delete(maturityInitiativeLinks)
    .where(
      and(
        eq(maturityInitiativeLinks.workspaceId, workspaceId),
        eq(maturityInitiativeLinks.initiativeId, initiativeId),
      ),
    );
  const rows = uniqueLinks(links);
  if (rows.length > 0)
    await db.insert(maturityInitiativeLinks).values(rows.map((l) => ({ workspaceId, initiativeId, ...l })));
}

const ownerFields = (input: InitiativeInput) => ({
  ownerId: input.ownerId,
  // A member is named by their account; a typed name only stands in for someone without one.
  ownerName: input.ownerId ? null : input.ownerName,
});

export async function createInitiative(
  db: DbOrTx,
  input: InitiativeInput & { workspaceId: string; userId: string },
): Promise<{ id: string }> {
  await checkInput(db, input.workspaceId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(maturityInitiatives)
      .values({
        workspaceId: input.workspaceId,
        dimensionKey: input.dimensionKey,
        title: input.title,
        description: input.description,
        ...ownerFields(input),
        status: input.status,
        dueDate: input.dueDate,
        createdBy: input.userId,
      })
      .returning({ id: maturityInitiatives.id });
    await writeLinks(tx, input.workspaceId, row!.id, input.links);
    return { id: row!.id };
  });
}

export async function updateInitiative(
  db: DbOrTx,
  input: { workspaceId: string; id: string; data: InitiativeInput },
): Promise<void> {
  await checkInput(db, input.workspaceId, input.data);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(maturityInitiatives)
      .set({
        dimensionKey: input.data.dimensionKey,
        title: input.data.title,
        description: input.data.description,
        ...ownerFields(input.data),
        status: input.data.status,
        dueDate: input.data.dueDate,
        updatedAt: sql`now()`,
      })
      .where(thisInitiative(input.workspaceId, input.id))
      .returning({ id: maturityInitiatives.id });
    if (updated.length === 0) throw new NotFoundError("That initiative does not exist.");
    await writeLinks(tx, input.workspaceId, input.id, input.data.links);
  });
}

export async function removeInitiative(
  db: DbOrTx,
  { workspaceId, id }: { workspaceId: string; id: string },
): Promise<{ title: string }> {
  const [removed] = await db
    .delete(maturityInitiatives)
    .where(thisInitiative(workspaceId, id))
    .returning({ title: maturityInitiatives.title });
  if (!removed) throw new NotFoundError("That initiative does not exist.");
  return removed;
}

/** By dimension in the built-in model's order (others after, by key), then due date, then title. */
export async function listInitiatives(
  db: DbOrTx,
  { workspaceId, dimensionKey }: { workspaceId: string; dimensionKey?: string },
): Promise<Initiative[]> {
  const rows = await db
    .select({
      id: maturityInitiatives.id,
      dimensionKey: maturityInitiatives.dimensionKey,
      title: maturityInitiatives.title,
      description: maturityInitiatives.description,
      ownerId: maturityInitiatives.ownerId,
      ownerName: maturityInitiatives.ownerName,
      ownerAccountName: users.name,
      status: maturityInitiatives.status,
      dueDate: maturityInitiatives.dueDate,
      createdAt: maturityInitiatives.createdAt,
      updatedAt: maturityInitiatives.updatedAt,
    })
    .from(maturityInitiatives)
    .leftJoin(users, eq(users.id, maturityInitiatives.ownerId))
    .where(
      and(
        eq(maturityInitiatives.workspaceId, workspaceId),
        dimensionKey === undefined ? undefined : eq(maturityInitiatives.dimensionKey, dimensionKey),
      ),
    )
    .orderBy(asc(maturityInitiatives.dueDate), asc(maturityInitiatives.title));
  if (rows.length === 0) return [];

  const linkName = sql<string | null>`coalesce(${segments.name}, ${journeys.name})`;
  const links = await db
    .select({
      initiativeId: maturityInitiativeLinks.initiativeId,
      kind: maturityInitiativeLinks.kind,
      targetId: maturityInitiativeLinks.targetId,
      name: linkName,
    })
    .from(maturityInitiativeLinks)
    .leftJoin(
      segments,
      and(
        eq(maturityInitiativeLinks.kind, "segment"),
        eq(segments.workspaceId, maturityInitiativeLinks.workspaceId),
        eq(segments.id, maturityInitiativeLinks.targetId),
      ),
    )
    .leftJoin(
      journeys,
      and(
        eq(maturityInitiativeLinks.kind, "journey"),
        eq(journeys.workspaceId, maturityInitiativeLinks.workspaceId),
        eq(journeys.id, maturityInitiativeLinks.targetId),
      ),
    )
    .where(
      and(
        eq(maturityInitiativeLinks.workspaceId, workspaceId),
        inArray(
          maturityInitiativeLinks.initiativeId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(maturityInitiativeLinks.kind), asc(linkName));

  const order = (key: string) => {
    const i = builtInModel.dimensions.findIndex((d) => d.key === key);
    return i < 0 ? builtInModel.dimensions.length : i;
  };
  return rows
    .map(({ ownerId, ownerName, ownerAccountName, ...row }) => ({
      ...row,
      owner: ownerId
        ? { id: ownerId, name: ownerAccountName ?? "Former member" }
        : ownerName
          ? { id: null, name: ownerName }
          : null,
      links: links
        // A removed segment or journey drops out of the list.
        .filter((l) => l.initiativeId === row.id && l.name !== null)
        .map((l) => ({ kind: l.kind, targetId: l.targetId, name: l.name! })),
    }))
    .sort(
      (a, b) => order(a.dimensionKey) - order(b.dimensionKey) || a.dimensionKey.localeCompare(b.dimensionKey),
    );
}
