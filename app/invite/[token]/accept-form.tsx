"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, ButtonLink, Field, controlProps } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";

/** A new person chooses their name and password, joins, and is signed in. */
export function AcceptForm({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [mismatch, setMismatch] = useState(false);
  const [signInFailed, setSignInFailed] = useState<{ slug: string; message: string }>();
  const [signingIn, setSigningIn] = useState(false);

  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const errors = fieldErrors(accept.error);
  const formError = accept.error && !errors.name && !errors.password ? errorMessage(accept.error) : undefined;
  const busy = accept.isPending || signingIn;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setMismatch(true);
      document.getElementById("invite-confirm")?.focus();
      return;
    }
    setMismatch(false);
    setSignInFailed(undefined);
    let accepted;
    try {
      accepted = await accept.mutateAsync({ token, name: String(form.get("name") ?? ""), password });
    } catch {
      return; // shown from accept.error
    }
    setSigningIn(true);
    const result = await signIn("credentials", { email: accepted.email, password, redirect: false });
    if (!result || result.error) {
      setSigningIn(false);
      setSignInFailed({
        slug: accepted.workspaceSlug,
        message:
          result?.error && result.error !== "CredentialsSignin"
            ? result.error
            : "Signing you in did not work.",
      });
      return;
    }
    router.push(`/w/${accepted.workspaceSlug}`);
    router.refresh();
  }

  if (signInFailed) {
    return (
      <div className="mt-6 space-y-4">
        <Alert tone="success">Your account is ready and you have joined the workspace.</Alert>
        <p className="text-sm text-slate-600">
          {signInFailed.message} Sign in with your email and new password to continue.
        </p>
        <ButtonLink
          href={`/signin?email=${encodeURIComponent(email)}&callbackUrl=${encodeURIComponent(`/w/${signInFailed.slug}`)}`}
        >
          Sign in
        </ButtonLink>
      </div>
    );
  }

  return (
    // POST: a submit before the script has loaded must not put the password in the URL.
    <form method="post" onSubmit={onSubmit} className="mt-3 space-y-4" noValidate>
      {formError && <Alert>{formError}</Alert>}
      <Field id="invite-name" label="Your name" error={errors.name}>
        <input
          {...controlProps("invite-name", { error: errors.name })}
          name="name"
          autoComplete="name"
          required
        />
      </Field>
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <Field id="invite-password" label="Password" hint="At least 10 characters." error={errors.password}>
        <input
          {...controlProps("invite-password", { error: errors.password, hasHint: true })}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
        />
      </Field>
      <Field
        id="invite-confirm"
        label="Confirm password"
        error={mismatch ? "The passwords do not match." : undefined}
      >
        <input
          {...controlProps("invite-confirm", { error: mismatch })}
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
        />
      </Field>
      <Button type="submit" className="w-full" disabled={busy}>
        {accept.isPending
          ? "Creating your account…"
          : signingIn
            ? "Signing you in…"
            : "Create account and join"}
      </Button>
    </form>
  );
}
