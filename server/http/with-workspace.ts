import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { getDb, type Database } from "~/db";
import type { Role } from "~/db/enums";
import { parseCookieHeader, sessionUserFromToken } from "~/server/auth/session-token";
import { env } from "~/server/env";
import { describeDomainError, INTERNAL_ERROR_MESSAGE } from "~/server/errors";
import type { Permission } from "~/server/permissions";
import type { SessionUser } from "~/server/auth/session-user";
import { requireWorkspacePermission, ZWorkspaceId } from "~/server/workspaces/access";
import { isForeignOrigin, isStateChanging } from "./origin";

// ---------------------------------------------------------------------------
// The one wrapper for route handlers that act on a workspace: what
// workspaceProcedure is to tRPC. In order: a state-changing request from
// another site is refused (403); the caller must be signed in (401); the
// query and route params are parsed with zod (400); the caller must be a
// member whose role grants the permission (403, the same check as tRPC's);
// domain errors become their status with their message; anything else is
// logged in full and answered with a generic 500.
// ---------------------------------------------------------------------------

export interface WorkspaceCall<Input> {
  request: Request;
  db: Database;
  user: SessionUser;
  workspaceId: string;
  role: Role;
  input: Input;
}

/** What Next.js passes a route handler besides the request. */
interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

export function jsonError(status: number, error: string) {
  return Response.json({ error }, { status });
}

/** Zod's issues as one sentence: "workspaceId must be a workspace id; kind must be …." */
function describeIssues(error: z.ZodError) {
  return `${error.issues.map((issue) => issue.message).join("; ")}.`;
}

function sessionUser(request: Request) {
  return sessionUserFromToken({
    cookies: parseCookieHeader(request.headers.get("cookie") ?? undefined),
    headers: request.headers,
  });
}

export function withWorkspace<Shape extends z.core.$ZodShape = Record<never, never>>(
  options: {
    permission: Permission;
    /** Fields of the query string and route params besides workspaceId, which every call names. */
    input?: Shape;
  },
  handler: (call: WorkspaceCall<z.infer<z.ZodObject<Shape>> & { workspaceId: string }>) => Promise<Response>,
) {
  const schema = z.object({ ...options.input, workspaceId: ZWorkspaceId });

  return async function workspaceRoute(request: Request, context?: RouteContext): Promise<Response> {
    try {
      if (isStateChanging(request.method) && isForeignOrigin(request.headers, env().NEXTAUTH_URL)) {
        return jsonError(403, "This request came from another site, so it was refused.");
      }
      const user = await sessionUser(request);
      if (!user) return jsonError(401, "Sign in to continue.");
      const parsed = schema.safeParse({
        ...Object.fromEntries(new URL(request.url).searchParams),
        ...(await context?.params),
      });
      if (!parsed.success) return jsonError(400, describeIssues(parsed.error));
      const input = parsed.data as z.infer<z.ZodObject<Shape>> & { workspaceId: string };

      const db = getDb();
      const member = await requireWorkspacePermission(db, {
        workspaceId: input.workspaceId,
        userId: user.id,
        permission: options.permission,
      });
      return await handler({
        request,
        db,
        user: { id: user.id, email: member.email, name: member.name },
        workspaceId: input.workspaceId,
        role: member.role,
        input,
      });
    } catch (error) {
      const refusal = describeDomainError(error);
      if (refusal) return jsonError(getHTTPStatusCodeFromError(new TRPCError(refusal)), refusal.message);
      console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, error);
      return jsonError(500, INTERNAL_ERROR_MESSAGE);
    }
  };
}
