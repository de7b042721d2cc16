import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { LAST_WORKSPACE_COOKIE } from "~/server/workspaces/last-workspace";
import { requireUser, serverApi } from "~/app/_trpc/server";
import { Card } from "~/app/_components/ui";
import { SignOutButton } from "~/app/_components/sign-out-button";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await requireUser();
  const last = (await cookies()).get(LAST_WORKSPACE_COOKIE)?.value;
  const { slug } = await (await serverApi()).workspace.landing({ last: last?.slice(0, 60) });
  if (slug) redirect(`/w/${slug}`);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <Card className="max-w-md p-8">
        <h1 className="text-xl font-semibold">No workspace yet</h1>
        <p className="mt-2 text-sm text-slate-600">
          You are signed in as {user.email}, but you are not a member of any workspace. Ask an admin of your
          business unit to add you.
        </p>
        <div className="mt-6">
          <SignOutButton />
        </div>
      </Card>
    </main>
  );
}
