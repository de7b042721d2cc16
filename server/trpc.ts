import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Database, DbOrTx } from "~/db";
import { users } from "~/db/schema";
import { recordAudit, redact, type AuditEntry } from "~/server/audit/audit";
import type { SessionUser } from "~/server/auth/session-user";
import { describeDomainError, INTERNAL_ERROR_MESSAGE, InvalidInputError } from "~/server/errors";
import type { Permission } from "~/server/permissions";
import { describeUnstorable, findUnstorableText } from "~/server/storable-text";
import { requireWorkspacePermission, ZWorkspaceId } from "~/server/workspaces/access";

// ---------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------

/** What a handler says about its change; the middleware adds the action (the procedure path). */
export type AuditNote = Omit<AuditEntry, "action" | "actorUserId" | "workspaceId"> & {
  /** Defaults to the signed-in user; public procedures name the person they acted for. */
  actorUserId?: string;
  /** Defaults to the workspace of a workspace procedure; others name it. */
  workspaceId?: string;
};

export interface Context {
  db: DbOrTx;
  session: { user: SessionUser } | null;
  /** The request came from a page of another site (server/http/origin.ts): it may read, not change. */
  foreignOrigin: boolean;
}

export function createContext(input: {
  db: Database;
  session: { user: SessionUser } | null;
  foreignOrigin?: boolean;
}): Context {
  return { db: input.db, session: input.session, foreignOrigin: input.foreignOrigin ?? false };
}

/** Logs failures the caller cannot fix (the others are answered with their message). */
export function logTrpcFailure({ error, path }: { error: TRPCError; path?: string }) {
  if (error.code === "INTERNAL_SERVER_ERROR")
    console.error(`[trpc] ${path ?? "?"} failed:`, error.cause ?? error);
}

// ---------------------------------------------------------------------------
// Initialisation: superjson on the wire; zod failures reach the client as a
// field → messages map, so forms can show what is wrong where.
// ---------------------------------------------------------------------------

/** Like z.flattenError, but nested fields keep their full path ("data.name"), so forms can place them. */
function flattenByPath(error: ZodError) {
  const formErrors: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    if (issue.path.length === 0) formErrors.push(issue.message);
    else (fieldErrors[issue.path.join(".")] ??= []).push(issue.message);
  }
  return { formErrors, fieldErrors };
}

/** "email: Enter a valid email address" — the first issue in words, and how many more there are. */
function describeIssues(error: ZodError) {
  const [first, ...rest] = error.issues;
  if (!first) return "The input is not valid.";
  const where = first.path.length > 0 ? `${first.path.join(".")}: ` : "";
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})` : "";
  return `${where}${first.message}${more}`;
}

/**
 * The largest request body a procedure is sent: an evidence file (5 MB, as
 * base64) with room to spare. Anything larger is refused before it is read.
 */
export const MAX_TRPC_BODY_BYTES = 8 * 1024 * 1024;

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // The caller never sees an internal error's message (SQL, parameters) or stack;
    // logTrpcFailure logs it in full on the server.
    if (error.code === "INTERNAL_SERVER_ERROR") {
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, message: INTERNAL_ERROR_MESSAGE, data: { ...data, zodError: null, inputIssues: null } };
    }
    return {
      ...shape,
      // tRPC's own message for a zod failure is the issues as a JSON string; say it in words.
      message: error.cause instanceof ZodError ? describeIssues(error.cause) : shape.message,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? flattenByPath(error.cause) : null,
        /** Issues by path of a refused input that is a tree (a segment rule), see InvalidInputError. */
        inputIssues: error.cause instanceof InvalidInputError ? error.cause.issues : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// ---------------------------------------------------------------------------
// Audit: every mutation runs in one transaction with its audit entries, so a
// change is never stored without its record, nor recorded without the change.
// Handlers describe what they did with ctx.audit(); a mutation that records
// nothing fails loudly rather than going unaudited.
// ---------------------------------------------------------------------------

class Rollback extends Error {}

function workspaceOfEntry(entry: AuditNote, ctx: object): string {
  const workspaceId = entry.workspaceId ?? (ctx as { workspaceId?: string }).workspaceId;
  if (!workspaceId) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "An audit entry outside a workspace procedure must name its workspace" });
  }
  return workspaceId;
}

const audited = t.middleware(async ({ ctx, type, path, input, next }) => {
  const entries: AuditNote[] = [];
  const audit = (note: AuditNote) => void entries.push(note);
  const run = (db: DbOrTx) => next({ ctx: { db, audit } });
  if (type !== "mutation") return run(ctx.db);

  let outcome: Awaited<ReturnType<typeof run>> | undefined;
  try {
    await ctx.db.transaction(async (tx) => {
      outcome = await run(tx);
      if (!outcome.ok) throw new Rollback();
      if (entries.length === 0) {
        throw new TRPCError({
          code: "INTERNAL_SERVER_ERROR",
          message: `Mutation ${path} recorded no audit entry`,
        });
      }
      const redactedInput = redact(input) as Record<string, unknown>;
      await recordAudit(
        tx,
        entries.map((entry) => ({
          ...entry,
          workspaceId: workspaceOfEntry(entry, ctx),
          action: path,
          actorUserId: entry.actorUserId ?? ctx.session?.user.id ?? null,
          details: { input: redactedInput, ...entry.details },
        })),
      );
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return outcome!;
});

// ---------------------------------------------------------------------------
// Domain errors (server/errors.ts) become tRPC errors with the same message.
// ---------------------------------------------------------------------------

const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  const refusal = describeDomainError(cause);
  if (refusal) throw new TRPCError({ ...refusal, cause });
  return result;
});

/** Text the database cannot store is refused before anything runs, naming where it is. */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  const found = findUnstorableText(await getRawInput());
  if (found) throw new TRPCError({ code: "BAD_REQUEST", message: describeUnstorable(found) });
  return next();
});

/** Cross-site request forgery: a change sent by a page of another site is refused, whoever is signed in. */
const refuseForeignOrigin = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && ctx.foreignOrigin) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "This change was sent from a page of another site, so it was refused. Make it in Centric itself.",
    });
  }
  return next();
});

const baseProcedure = t.procedure.use(mapDomainErrors).use(refuseForeignOrigin).use(refuseUnstorableText);

// ---------------------------------------------------------------------------
// Procedures
// ---------------------------------------------------------------------------

/** Deliberately public: sign-in helpers and invitation acceptance. */
export const publicProcedure = baseProcedure.use(audited);

/** A signed-in user whose account still exists. */
export const protectedProcedure = baseProcedure
  .use(async ({ ctx, next }) => {
    const sessionUser = ctx.session?.user;
    if (!sessionUser) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    const [user] = await ctx.db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(eq(users.id, sessionUser.id));
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists." });
    return next({ ctx: { session: { user } } });
  })
  .use(audited);

/**
 * A member of the workspace named by `input.workspaceId` whose role grants
 * `permission`. Non-members get FORBIDDEN and learn nothing of the workspace.
 */
export function workspaceProcedure(permission: Permission) {
  return baseProcedure
    .input(z.object({ workspaceId: ZWorkspaceId }))
    .use(async ({ ctx, input, next }) => {
      const userId = ctx.session?.user.id;
      if (!userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
      const member = await requireWorkspacePermission(ctx.db, {
        workspaceId: input.workspaceId,
        userId,
        permission,
      });
      return next({
        ctx: {
          session: { user: { id: userId, email: member.email, name: member.name } },
          workspaceId: input.workspaceId,
          role: member.role,
        },
      });
    })
    .use(audited);
}
