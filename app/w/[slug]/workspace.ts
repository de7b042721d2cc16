import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser, serverApi } from "~/app/_trpc/server";

/** The workspace of the current URL with the caller's role; 404 for non-members. Once per request. */
export const loadWorkspace = cache(async (slug: string) => {
  const user = await requireUser();
  const api = await serverApi();
  try {
    const workspace = await api.workspace.get({ slug });
    return { user, workspace, api };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});
