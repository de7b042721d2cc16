import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Alert, ButtonLink, Card, RoleBadge } from "~/app/_components/ui";
import { serverApi } from "~/app/_trpc/server";
import { getSessionUser } from "~/server/auth/session";
import { roleDescriptions } from "~/server/permissions";
import { AcceptForm } from "./accept-form";
import { JoinButton } from "./join-button";

// The token is in the address: keep it out of Referer headers and search engines.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer", robots: { index: false } };
export const dynamic = "force-dynamic";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long" });

/** The invitation of the link, or undefined for a token that is malformed or unknown. */
async function loadInvitation(token: string) {
  const api = await serverApi();
  try {
    return await api.invitation.get({ token });
  } catch (error) {
    // A malformed token fails validation; an unknown one is NOT_FOUND. Both are "not valid" to the reader.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      return undefined;
    throw error;
  }
}

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([loadInvitation(token), getSessionUser()]);
  if (!invitation) notFound();

  return (
    <main className="from-brand-50 flex min-h-screen items-center justify-center bg-gradient-to-b to-slate-50 p-6">
      <div className="w-full max-w-md">
        <p className="text-brand-700 mb-6 text-center text-3xl font-bold tracking-tight">Centric</p>
        <Card className="p-6">
          {invitation.status === "expired" ? (
            <Problem title="This invitation has expired">
              The invitation to {invitation.workspaceName} for {invitation.email} ran out on{" "}
              {dateFormat.format(invitation.expiresAt)}. Ask an admin of the workspace to add you again: they
              will get a new link for you.
            </Problem>
          ) : invitation.status === "revoked" ? (
            <Problem title="This invitation was withdrawn">
              An admin of {invitation.workspaceName} revoked this invitation, or replaced it with a newer
              link. Ask them for the latest one.
            </Problem>
          ) : invitation.status === "accepted" ? (
            <Problem
              title="This invitation has already been used"
              action={
                signedInAs(user, invitation.email) ? (
                  <ButtonLink href="/">Open Centric</ButtonLink>
                ) : (
                  <ButtonLink href={`/signin?email=${encodeURIComponent(invitation.email)}`}>
                    Sign in as {invitation.email}
                  </ButtonLink>
                )
              }
            >
              {invitation.email} has joined {invitation.workspaceName} with this link. Sign in to open it; if
              that was not you, tell an admin of the workspace.
            </Problem>
          ) : (
            <>
              <h1 className="text-lg font-semibold text-slate-900">Join {invitation.workspaceName}</h1>
              <p className="mt-1 text-sm text-slate-600">You have been invited to this Centric workspace.</p>
              <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-md bg-slate-50 p-3 text-sm">
                <dt className="text-slate-500">Workspace</dt>
                <dd className="font-medium text-slate-900">{invitation.workspaceName}</dd>
                <dt className="text-slate-500">Email</dt>
                <dd className="break-all text-slate-900">{invitation.email}</dd>
                <dt className="text-slate-500">Role</dt>
                <dd>
                  <RoleBadge role={invitation.role} />
                  <span className="mt-1 block text-xs text-slate-600">
                    {roleDescriptions[invitation.role]}
                  </span>
                </dd>
                <dt className="text-slate-500">Valid until</dt>
                <dd className="text-slate-900">{dateFormat.format(invitation.expiresAt)}</dd>
              </dl>
              {signedInAs(user, invitation.email) ? (
                <JoinButton token={token} workspaceName={invitation.workspaceName} />
              ) : (
                <>
                  {user && (
                    <div className="mt-4">
                      <Alert tone="info">
                        You are signed in as {user.email}. This invitation is for {invitation.email}.
                      </Alert>
                    </div>
                  )}
                  <section aria-labelledby="invite-existing" className="mt-6 border-t border-slate-200 pt-4">
                    <h2 id="invite-existing" className="text-sm font-semibold text-slate-900">
                      Already have a Centric account?
                    </h2>
                    <p className="mt-1 text-sm text-slate-600">
                      Sign in as {invitation.email}, then join. Your password does not change.
                    </p>
                    <div className="mt-3">
                      <ButtonLink
                        href={`/signin?email=${encodeURIComponent(invitation.email)}&callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}
                      >
                        Sign in to accept
                      </ButtonLink>
                    </div>
                  </section>
                  <section aria-labelledby="invite-new" className="mt-6 border-t border-slate-200 pt-4">
                    <h2 id="invite-new" className="text-sm font-semibold text-slate-900">
                      New to Centric? Create your account
                    </h2>
                    <AcceptForm token={token} email={invitation.email} />
                  </section>
                </>
              )}
            </>
          )}
        </Card>
        <p className="mt-4 text-center text-sm text-slate-600">
          <Link href={user ? "/" : "/signin"} className="text-brand-700 underline-offset-2 hover:underline">
            {user ? "Go to Centric" : "Go to sign in"}
          </Link>
        </p>
      </div>
    </main>
  );
}

function signedInAs(user: { email: string } | undefined | null, email: string) {
  return user?.email.toLowerCase() === email.toLowerCase();
}

function Problem({
  title,
  children,
  action,
}: {
  title: string;
  children: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div>
      <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{children}</p>
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}
