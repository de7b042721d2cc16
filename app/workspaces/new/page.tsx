import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "~/app/_components/ui";
import { requireUser, serverApi } from "~/app/_trpc/server";
import { CreateWorkspaceForm } from "./create-workspace-form";

export const metadata: Metadata = { title: "New workspace" };
export const dynamic = "force-dynamic";

export default async function NewWorkspacePage() {
  await requireUser();
  const { workspaces, canCreate } = await (await serverApi()).workspace.list();
  const back = workspaces[0];

  return (
    <main className="from-brand-50 flex min-h-screen flex-col items-center justify-center bg-gradient-to-b to-slate-50 p-6">
      <div className="w-full max-w-lg">
        <p className="text-brand-700 mb-6 text-center text-3xl font-bold tracking-tight">Centric</p>
        <Card className="p-6">
          <h1 className="text-lg font-semibold text-slate-900">Create a workspace</h1>
          {canCreate ? (
            <>
              <p className="mt-1 text-sm text-slate-600">
                A workspace holds one business unit or brand: its maturity assessments, segments, journeys and
                customers. You become its admin and can add members next.
              </p>
              <CreateWorkspaceForm />
            </>
          ) : (
            <p className="mt-2 text-sm text-slate-600">
              Only admins create workspaces, and you are not an admin of any workspace. Ask an admin to create
              the workspace and add you to it, or to make you an admin of one.
            </p>
          )}
        </Card>
        <p className="mt-4 text-center text-sm">
          <Link
            href={back ? `/w/${back.slug}` : "/"}
            className="text-brand-700 underline-offset-2 hover:underline"
          >
            ← Back to {back?.name ?? "Centric"}
          </Link>
        </p>
      </div>
    </main>
  );
}
