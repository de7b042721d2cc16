"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert, Button, ButtonLink } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";

/** Someone who already has an account joins with it; their password stays as it is. */
export function JoinButton({
  token,
  email,
  workspaceName,
  signedInAsInvitee,
}: {
  token: string;
  email: string;
  workspaceName: string;
  signedInAsInvitee: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: (result) => {
        if (signedInAsInvitee) {
          router.push(`/w/${result.workspaceSlug}`);
          router.refresh();
        }
      },
    }),
  );

  if (accept.data) {
    const next = `/w/${accept.data.workspaceSlug}`;
    return (
      <div className="mt-6 space-y-4">
        <Alert tone="success">You have joined {accept.data.workspaceName}.</Alert>
        {!signedInAsInvitee && (
          <ButtonLink
            href={`/signin?email=${encodeURIComponent(email)}&callbackUrl=${encodeURIComponent(next)}`}
          >
            Sign in to open it
          </ButtonLink>
        )}
      </div>
    );
  }

  return (
    <div className="mt-6 space-y-4">
      <p className="text-sm text-slate-700">
        {email} already has a Centric account. Join with it; your password does not change.
      </p>
      {accept.error && <Alert>{errorMessage(accept.error)}</Alert>}
      <Button
        className="w-full"
        disabled={accept.isPending}
        // An existing account keeps its name and password, so there is nothing to send but the token.
        // TODO(lead): the input still requires name and password; see the report.
        onClick={() => accept.mutate({ token })}
      >
        {accept.isPending ? "Joining…" : `Join ${workspaceName}`}
      </Button>
    </div>
  );
}
