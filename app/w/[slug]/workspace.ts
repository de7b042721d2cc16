import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser, serverApi } from "~/app/_trpc/server";

/**
 * What the URL names, or Next.js's not-found page (a 404) when it names
 * nothing: an unknown id, a malformed one, or one of another workspace (which
 * the procedures answer NOT_FOUND, telling nothing of it).
 */
export async function foundOrNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  }
}

/** The workspace of the current URL with the caller's role; 404 for non-members. Once per request. */
export const loadWorkspace = cache(async (slug: string) => {
  const user = await requireUser();
  const api = await serverApi();
  const workspace = await foundOrNotFound(api.workspace.get({ slug }));
  return { user, workspace, api };
});
