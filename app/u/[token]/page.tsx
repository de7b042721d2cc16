import type { Metadata } from "next";
import { buttonClass, Card } from "~/app/_components/ui";
import { getDb } from "~/db";
import { viewUnsubscribe, type UnsubscribeView } from "~/server/consent/unsubscribe";
import { channelMessages } from "~/server/consent/wording";

// The customer's unsubscribe link (docs/destinations.md#consent-and-unsubscribe), shown on the
// workspace's behalf. Opening it changes nothing — mail scanners open links — the button does.
// The token is in the address: keep it out of Referer headers and search engines.
export const metadata: Metadata = { title: "Unsubscribe", referrer: "no-referrer", robots: { index: false } };
export const dynamic = "force-dynamic";

export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const view = await viewUnsubscribe(getDb(), token);
  return (
    <main className="flex min-h-screen items-start justify-center bg-slate-50 p-4 pt-16 sm:items-center sm:pt-4">
      <Card className="w-full max-w-md p-6">
        <Content view={view} token={token} />
      </Card>
    </main>
  );
}

function Content({ view, token }: { view: UnsubscribeView; token: string }) {
  switch (view.kind) {
    case "invalid":
      return (
        <>
          <h1 className="text-lg font-semibold text-slate-900">This unsubscribe link is not valid</h1>
          <p className="mt-2 text-sm text-slate-600">
            It may have been cut short or changed when it was copied. Open the link from the message itself,
            or reply to the sender and ask them to unsubscribe you.
          </p>
        </>
      );
    case "gone":
      return (
        <>
          <h1 className="text-lg font-semibold text-slate-900">This link no longer works</h1>
          <p className="mt-2 text-sm text-slate-600">
            The sender no longer holds the profile it was made for, so there is nothing to unsubscribe.
          </p>
        </>
      );
    case "unsubscribed":
      return (
        <>
          <h1 className="text-lg font-semibold text-slate-900">You are unsubscribed</h1>
          <p className="mt-2 text-sm text-slate-600">
            {view.workspaceName} will send you no more {channelMessages[view.channel]}. It can take a moment
            for a message already on its way to stop.
          </p>
        </>
      );
    case "ready":
      return (
        <>
          <p className="text-sm font-medium text-slate-500">{view.workspaceName}</p>
          <h1 className="mt-1 text-lg font-semibold text-slate-900">
            Unsubscribe from {channelMessages[view.channel]} from {view.workspaceName}?
          </h1>
          <p className="mt-2 text-sm text-slate-600">
            You will get no more {channelMessages[view.channel]} from {view.workspaceName}.
          </p>
          <form method="post" action={`/u/${token}/unsubscribe`} className="mt-5">
            <button type="submit" className={buttonClass("primary", "w-full sm:w-auto")}>
              Unsubscribe
            </button>
          </form>
        </>
      );
  }
}
