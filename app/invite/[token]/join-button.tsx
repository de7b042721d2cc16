"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert, Button } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";

/** The invited person, signed in with their account, joins; their password stays as it is. */
export function JoinButton({ token, workspaceName }: { token: string; workspaceName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const join = useMutation(
    trpc.invitation.join.mutationOptions({
      onSuccess: (result) => {
        router.push(`/w/${result.workspaceSlug}`);
        router.refresh();
      },
    }),
  );

  return (
    <div className="mt-6 space-y-4">
      {join.error && <Alert>{errorMessage(join.error)}</Alert>}
      <Button className="w-full" disabled={join.isPending || join.isSuccess} onClick={() => join.mutate({ token })}>
        {join.isPending || join.isSuccess ? "Joining…" : `Join ${workspaceName}`}
      </Button>
    </div>
  );
}
