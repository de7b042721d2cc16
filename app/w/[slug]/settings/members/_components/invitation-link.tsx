"use client";

import { useEffect, useRef, useState } from "react";
import { Button, inputClass } from "~/app/_components/ui";
import { formatDateTime } from "../../../_components/dates";

/** The link an admin passes on by hand: Centric has no mail server to send it. */
export function InvitationLink({
  email,
  role,
  invitePath,
  expiresAt,
}: {
  email: string;
  role: string;
  invitePath: string;
  expiresAt: Date;
}) {
  // Rendered only in the browser, after the admin added someone.
  const url = typeof window === "undefined" ? invitePath : window.location.origin + invitePath;
  const [copied, setCopied] = useState<"copied" | "select" | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("copied");
    } catch {
      // No clipboard access (e.g. plain http on another host): select it for Ctrl+C instead.
      input.current?.select();
      setCopied("select");
    }
  }

  return (
    <div className="border-brand-100 bg-brand-50 mt-4 rounded-md border p-4">
      <h3 ref={heading} tabIndex={-1} className="text-sm font-semibold text-slate-900">
        Invitation for {email} as {role}
      </h3>
      <p className="mt-1 text-sm text-slate-700">
        Centric has no mail server, so it does not send this link: pass it on to {email} yourself, by chat or
        email. Whoever opens it can join, so share it only with them.
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="invitation-link" className="sr-only">
          Invitation link
        </label>
        <input
          ref={input}
          id="invitation-link"
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className={`${inputClass} font-mono text-xs`}
        />
        <Button variant="secondary" onClick={() => void copy()} className="shrink-0">
          Copy link
        </Button>
      </div>
      <p aria-live="polite" className="mt-2 text-xs text-slate-600">
        {copied === "copied"
          ? "Link copied."
          : copied === "select"
            ? "Could not copy automatically: the link is selected, press Ctrl+C (⌘C on a Mac)."
            : null}
      </p>
      <p className="text-xs text-slate-600">
        The link works until <time dateTime={expiresAt.toISOString()}>{formatDateTime(expiresAt)}</time>,
        once.
      </p>
    </div>
  );
}
